#include "packing_list.h"

#include <nlohmann/json.hpp>

#include "output.h"

#ifdef LIMS_HAVE_CAIRO
#include <cairo-pdf.h>
#include <cairo.h>
#endif

namespace lims::cli {

#ifdef LIMS_HAVE_CAIRO
namespace {

constexpr double kWidth = 595, kHeight = 842, kMargin = 40, kLine = 14;  // A4 in points

void Text(cairo_t* cr, double x, double y, const std::string& text, double size, bool bold = false) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

}  // namespace

void WritePackingList(const std::string& manifest_json, const std::string& path) {
  const nlohmann::json m = nlohmann::json::parse(manifest_json, nullptr, false);
  if (m.is_discarded() || !m.contains("tubes")) {
    throw CliError(kExitOther, "the server's manifest could not be read for the packing list");
  }
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kWidth, kHeight);
  cairo_t* cr = cairo_create(surface);
  const auto& origin = m["origin"];
  const auto& info = m["shipment"];
  const double columns[] = {kMargin, kMargin + 120, kMargin + 160, kMargin + 220, kMargin + 320,
                            kMargin + 420};
  int page = 1;
  double y = 0;
  auto header = [&] {
    cairo_set_source_rgb(cr, 0, 0, 0);
    Text(cr, kMargin, kMargin + 10,
         "Packing list: shipment " + origin.value("site_code", "") + "-" +
             origin["shipment_id"].dump(),
         16, true);
    Text(cr, kMargin, kMargin + 30, "To: " + info.value("destination", ""), 10);
    Text(cr, kMargin, kMargin + 44,
         "Packaging " + info.value("packaging", "") + "   courier " + info.value("courier", "") +
             "   tracking " + info.value("tracking_number", "") + "   logger " +
             info.value("logger_id", ""),
         9);
    Text(cr, kMargin, kMargin + 58,
         "Dispatched " + info.value("dispatched_at", "") + " by " + info.value("dispatched_by", "") +
             "   page " + std::to_string(page),
         9);
    Text(cr, kMargin, kMargin + 70, "Manifest digest (SHA-256) " + m.value("digest", ""), 7);
    y = kMargin + 94;
    const char* titles[] = {"TUBE", "TYPE", "QUANTITY", "PATIENT", "PROTOCOL / TP", "PACKED IN"};
    for (int i = 0; i < 6; ++i) Text(cr, columns[i], y, titles[i], 8, true);
    y += kLine;
  };
  header();
  for (const auto& t : m["tubes"]) {
    if (y > kHeight - kMargin - 60) {
      cairo_show_page(cr);
      ++page;
      header();
    }
    // A researcher's manifest knows tubes and patients by their request codes only.
    const std::string cells[] = {t.value("barcode", t.value("request_code", "")),
                                 t.value("sample_type", ""), t.value("quantity_text", ""),
                                 t.value("patient_registry_id", t.value("patient_code", "")),
                                 t.value("protocol_code", "") + " " + t.value("timepoint_code", ""),
                                 t.value("packed_box", "") + " " + t.value("packed_position", "")};
    for (int i = 0; i < 6; ++i) Text(cr, columns[i], y, cells[i], 8);
    y += kLine;
  }
  Text(cr, kMargin, y + 20, std::to_string(m["tubes"].size()) + " tubes", 10, true);
  Text(cr, kMargin, kHeight - kMargin - 20, "Packed by: ____________________", 10);
  Text(cr, kMargin + 280, kHeight - kMargin - 20, "Received by: ____________________", 10);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw CliError(kExitOther, "cannot write " + path + ": " + cairo_status_to_string(status));
  }
}

#else

void WritePackingList(const std::string&, const std::string& path) {
  throw CliError(kExitOther, "this lims was built without cairo: no PDF " + path);
}

#endif

}  // namespace lims::cli
