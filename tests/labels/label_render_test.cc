// label-printing without a server: templates, filling, the layout's fit rules, ZPL escaping and
// the PNG preview read back by a barcode reader.
#include <filesystem>
#include <fstream>
#include <set>
#include <regex>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "lims/labels/label_layout.h"
#include "lims/labels/label_png.h"
#include "lims/labels/label_template.h"
#include "lims/labels/zpl.h"
#include "png_barcodes.h"
#include "status_matchers.h"

namespace lims::labels {
namespace {

using testing::PngSize;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

LabelValues TubeValues(const std::string& barcode = "PSL26-000123-K") {
  return {{"barcode", barcode},          {"sample_type", "SER"},
          {"sample_type_name", "Sérum"}, {"quantity", "0.5 mL"},
          {"patient_registry_id", "MATHEC-0042"}, {"protocol_code", "CART-SLE"},
          {"timepoint_code", "M3"},      {"collected_date", "2026-04-16"},
          {"site_code", "PSL"},          {"sprec", "SER-SST-A-X-X-X-X"}};
}

LabelValues BoxValues() {
  return {{"box_code", "BOX-42"},
          {"box_name", "B-0042"},
          {"box_path", "Site LYO / Lyon Hôpital Édouard-Herriot / Congélateur -80 °C / Box B-0042"},
          {"box_layout", "9 x 9"},
          {"site_code", "LYO"}};
}

LabelValues ShipmentValues() {
  return {{"shipment_code", "SHP-PSL-000007"}, {"from_site", "PSL Paris Saint-Louis"},
          {"destination", "Central biobank, Lyon"}, {"packaging", "Dry ice (UN1845), 5 kg"},
          {"courier", "World Courier"}, {"tracking_number", "WC-123456789"},
          {"logger_id", "LOG-88"}, {"item_count", "96"}, {"dispatch_date", "2026-05-02"}};
}

LabelTemplate Shipped(const std::string& name) {
  auto t = TemplateLibrary().Find(name);
  EXPECT_TRUE(t.ok()) << t.status();
  return *t;
}

// What each barcode element of the picture decodes to, read with its quiet zone, as
// "format:text" (the whole picture is read by an independent decoder in tests/e2e).
std::multiset<std::string> Codes(const std::string& png, const LabelLayout& layout) {
  std::multiset<std::string> out;
  for (const PlacedElement& e : layout.elements) {
    if (e.kind == ElementKind::kText) continue;
    const int margin = 2 * e.module;  // the quiet zone, short of the neighbouring text
    // The preview's own symbol (a DataMatrix may be a rectangle inside its square footprint).
    const int width = e.kind == ElementKind::kDataMatrix ? e.columns * e.module : e.symbol_width;
    const int height = e.kind == ElementKind::kDataMatrix ? e.rows * e.module : e.symbol_height;
    for (const auto& b : testing::DecodePngRegion(png, e.x - margin, e.y - margin,
                                                  width + 2 * margin, height + 2 * margin)) {
      out.insert(b.format + ":" + b.text);
    }
  }
  return out;
}

TEST(TemplateLibrary, ShipsBagBoxCryotubeResearchTubeAndShipment) {
  auto all = TemplateLibrary().List();
  ASSERT_OK(all);
  std::vector<std::string> names;
  for (const auto& t : *all) names.push_back(t.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"bag", "box", "cryotube", "research-tube", "shipment"}));
  EXPECT_STATUS(TemplateLibrary().Find("tiny"), absl::StatusCode::kNotFound,
                "there are bag, box, cryotube, research-tube, shipment");
}

TEST(TemplateLibrary, DirectoryAddsAndReplacesWithoutRecompiling) {
  const std::string dir = ::testing::TempDir() + "/lims-templates";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/vial.json") << R"({"name": "vial", "width_mm": 25, "height_mm": 10,
      "elements": [{"kind": "datamatrix", "x_mm": 1, "y_mm": 1, "module_mm": 0.3,
                    "content": "{barcode}"}]})";
  TemplateLibrary library(dir);
  ASSERT_OK(library.Find("vial"));
  ASSERT_OK(library.Find("cryotube"));
  std::ofstream(dir + "/broken.json") << "{\"name\": \"broken\"";
  // A broken file stops nothing else, and whoever looks for it or lists the templates is told.
  EXPECT_OK(library.Find("vial"));
  EXPECT_STATUS(library.Find("broken"), absl::StatusCode::kNotFound, "broken.json");
  EXPECT_STATUS(library.List(), kInvalid, "broken.json");
  std::filesystem::remove_all(dir);
}

TEST(ParseTemplateJson, BadTemplates_SayWhichElementAndWhy) {
  EXPECT_STATUS(ParseTemplateJson("[]"), kInvalid, "one JSON object");
  EXPECT_STATUS(ParseTemplateJson("{\"name\": " + std::string(100'000, '[')), kInvalid,
                "a label template nests arrays or objects more than 8 deep");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "x", "width_mm": 10, "height_mm": 10,
      "elements": [{"kind": "qr", "x_mm": 1, "y_mm": 1, "content": "a"}]})"),
                kInvalid, "element 1: kind \"qr\"");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "x", "width_mm": 10, "height_mm": 10,
      "elements": [{"kind": "text", "x_mm": 12, "y_mm": 1, "height_mm": 2, "width_mm": 5,
                    "content": "a"}]})"),
                kInvalid, "off the 10 x 10 mm stock");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "x", "width_mm": 10, "height_mm": 10,
      "elements": [{"kind": "datamatrix", "x_mm": 1, "y_mm": 1, "module_mm": 0.1,
                    "content": "{barcode}"}]})"),
                kInvalid, "too small to print reliably");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "x", "width_mm": 10, "height_mm": 10,
      "elements": []})"),
                kInvalid, "has no elements");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "x", "width_mm": 10})"), kInvalid, "height_mm");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "Big Label", "width_mm": 10, "height_mm": 10,
      "elements": []})"),
                kInvalid, "lower-case letters");
  EXPECT_STATUS(ParseTemplateJson(R"({"name": "poster", "width_mm": 1300, "height_mm": 10,
      "elements": []})"),
                kInvalid, "at most 300 mm");
}

TEST(FillContent, ReplacesNamesAndRefusesUnknownOnes) {
  EXPECT_EQ(*FillContent("{a}-{b}!", {{"a", "1"}, {"b", "2"}}), "1-2!");
  EXPECT_STATUS(FillContent("{patient}", {{"a", "1"}}), kInvalid, "no value {patient}");
  EXPECT_STATUS(FillContent("{a", {{"a", "1"}}), kInvalid, "without its '}'");
}

TEST(EscapeFieldData, CommandCharactersAndUtf8BecomeHexEscapes) {
  EXPECT_EQ(EscapeFieldData("PSL26-000123-K"), "PSL26-000123-K");
  EXPECT_EQ(EscapeFieldData("^XZ~JA"), "_5EXZ_7EJA");
  EXPECT_EQ(EscapeFieldData("a_b\\c"), "a_5Fb_5Cc");
  EXPECT_EQ(EscapeFieldData("Sérum"), "S_C3_A9rum");
  EXPECT_EQ(EscapeFieldData("line\r\n"), "line_0D_0A");
}

TEST(LabelToZpl, HostileValuesStayInsideTheirFields) {
  LabelValues values = TubeValues();
  values["patient_registry_id"] = "^XZ~JA^FDx";
  values["sample_type_name"] = "_5EXZ";  // a literal "_5E" must not become "^"
  auto layout = LayOutLabel(Shipped("cryotube"), values, 203);
  ASSERT_OK(layout);
  const std::string zpl = LabelToZpl(*layout, 2);
  // One format, one ^XA and one ^XZ; no field holds a raw ^ or ~.
  EXPECT_EQ(zpl.find("^XA"), 0u);
  EXPECT_EQ(zpl.find("^XA", 1), std::string::npos);
  EXPECT_EQ(zpl.find("^XZ"), zpl.size() - 4);
  EXPECT_EQ(zpl.find('~'), std::string::npos);
  const std::regex field(R"(\^FD([^\^]*)\^FS)");
  int fields = 0;
  for (std::sregex_iterator it(zpl.begin(), zpl.end(), field), end; it != end; ++it) ++fields;
  EXPECT_EQ(fields, static_cast<int>(layout->elements.size()));
  EXPECT_NE(zpl.find("_5EXZ_7EJA_5EFDx"), std::string::npos) << zpl;
  EXPECT_NE(zpl.find("_5F5EXZ"), std::string::npos);
  EXPECT_NE(zpl.find("^CI28"), std::string::npos);
  EXPECT_NE(zpl.find("^PQ2"), std::string::npos);
}

TEST(LayOutLabel, StockInDotsAtEachResolution) {
  for (auto [dpi, width, height] : {std::tuple{203, 256, 104}, {300, 384, 156}, {600, 768, 312}}) {
    auto layout = LayOutLabel(Shipped("cryotube"), TubeValues(), dpi);
    ASSERT_OK(layout);
    EXPECT_EQ(layout->width, width);
    EXPECT_EQ(layout->height, height);
  }
  EXPECT_STATUS(LayOutLabel(Shipped("cryotube"), TubeValues(), 250), kInvalid,
                "use 203, 300 or 600");
}

TEST(LayOutLabel, LongTextIsDrawnSmallerNeverCut) {
  LabelValues values = TubeValues();
  values["patient_registry_id"] = "EBMT-12345-UPN-987654";
  auto layout = LayOutLabel(Shipped("cryotube"), values, 300);
  ASSERT_OK(layout);
  const PlacedElement& line = layout->elements[3];
  EXPECT_EQ(line.text, "EBMT-12345-UPN-987654 M3");
  EXPECT_LT(line.height, 24);  // 2 mm at 12 dots/mm, shrunk
  EXPECT_LE(line.height * kCharWidthPerHeight * line.text.size(), line.max_width);
  values["patient_registry_id"] = std::string(80, 'X');
  EXPECT_STATUS(LayOutLabel(Shipped("cryotube"), values, 300), kInvalid, "too long for this label");
}

TEST(LayOutLabel, UnsafeOrOversizedBarcodes_Refused) {
  EXPECT_STATUS(LayOutLabel(Shipped("cryotube"), TubeValues("A>B"), 203), kInvalid,
                "cannot be put in a barcode safely");
  EXPECT_STATUS(LayOutLabel(Shipped("cryotube"), TubeValues("Sérum"), 203), kInvalid,
                "printable ASCII");
  EXPECT_STATUS(LayOutLabel(Shipped("cryotube"), TubeValues(std::string(300, '7')), 203), kInvalid,
                "does not fit");
  EXPECT_STATUS(LayOutLabel(Shipped("cryotube"), {{"barcode", "X"}}, 203), kInvalid,
                "no value {sample_type_name}");
}

// Every shipped template at every resolution: the preview decodes to exactly the intended codes.
TEST(LabelToPng, EveryTemplateAndDpi_DecodesToTheIntendedText) {
  struct Case {
    std::string name;
    LabelValues values;
    std::multiset<std::string> expected;
  };
  const Case cases[] = {
      {"cryotube", TubeValues(), {"DataMatrix:PSL26-000123-K"}},
      {"cryotube", TubeValues("1234567890"), {"DataMatrix:1234567890"}},
      {"box", BoxValues(), {"DataMatrix:BOX-42", "Code128:BOX-42"}},
      {"shipment", ShipmentValues(), {"DataMatrix:SHP-PSL-000007", "Code128:SHP-PSL-000007"}},
      {"bag",
       {{"din_scan", "=W12342600000300"},
        {"din_printed", "W1234 26 000003 J"},
        {"coi", "COI-PSL-000001-N"},
        {"product_kind", "CAR_T"},
        {"product_code", "S1234V00"},
        {"patient_registry_id", "MATHEC-0042"},
        {"expires_on", "2027-01-31"}},
       {"DataMatrix:=W12342600000300", "Code128:=W12342600000300"}},
      {"research-tube",
       {{"request_code", "R0007-S012"},
        {"patient_code", "R0007-P03"},
        {"protocol_code", "CART-SLE"},
        {"timepoint_code", "M3"},
        {"sample_type_name", "Serum"},
        {"quantity", "500 uL"}},
       {"DataMatrix:R0007-S012"}},
  };
  for (const Case& c : cases) {
    for (int dpi : {203, 300, 600}) {
      SCOPED_TRACE(absl::StrCat(c.name, " at ", dpi, " dpi"));
      auto layout = LayOutLabel(Shipped(c.name), c.values, dpi);
      ASSERT_OK(layout);
      auto png = LabelToPng(*layout);
      ASSERT_OK(png);
      EXPECT_EQ(PngSize(*png), std::make_pair(layout->width, layout->height));
      EXPECT_EQ(Codes(*png, *layout), c.expected);
    }
  }
}

}  // namespace
}  // namespace lims::labels
