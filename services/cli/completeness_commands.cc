// lims completeness PROTOCOL [--site] [--svg FILE] [--png FILE] and lims due --site --from --to
// (RegistryService.GetCompleteness / ListDueTimepoints): the patient × timepoint matrix as a
// table or a coloured grid (SVG written as text; PNG through cairo when built with it), and the
// timepoints to collect in a date range.
#include <algorithm>
#include <cerrno>
#include <iterator>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#ifdef LIMS_HAVE_CAIRO
#include <cairo.h>
#endif

#include "cli.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

struct StatusLook {
  v1::CompletenessStatus status;
  const char* mark;   // in the table
  const char* name;   // in legends
  const char* fill;   // SVG cell colour
  const char* ink;    // SVG text colour on it
};

// In the order of the legends.
constexpr StatusLook kLooks[] = {
    {v1::COMPLETENESS_STATUS_COMPLETE, "C", "complete", "#2e9d4f", "#ffffff"},
    {v1::COMPLETENESS_STATUS_PARTIAL, "P", "partial", "#f2a81d", "#1a1a1a"},
    {v1::COMPLETENESS_STATUS_DUE, "D", "due (window open)", "#2f6fd6", "#ffffff"},
    {v1::COMPLETENESS_STATUS_OVERDUE, "O", "overdue", "#d64545", "#ffffff"},
    {v1::COMPLETENESS_STATUS_NOT_YET_DUE, "-", "not yet due", "#cfcfcf", "#1a1a1a"},
};

const StatusLook& LookOf(v1::CompletenessStatus status) {
  for (const StatusLook& look : kLooks) {
    if (look.status == status) return look;
  }
  static const StatusLook kUnknown = {v1::COMPLETENESS_STATUS_UNSPECIFIED, "?", "unknown",
                                      "#ffffff", "#1a1a1a"};
  return kUnknown;
}

std::string Counts(const v1::CompletenessCell& cell) {
  return std::to_string(cell.collected_count()) + "/" + std::to_string(cell.expected_count());
}

std::string RequireDate(const std::string& text, const std::string& option) {
  if (!ParseIsoDate(text).ok()) {
    throw CliError(kExitUsage, option + ": '" + text + "' is not a date YYYY-MM-DD");
  }
  return text;
}

// Every page of the matrix in one response.
v1::GetCompletenessResponse FetchMatrix(Client& client, v1::GetCompletenessRequest request) {
  v1::GetCompletenessResponse all;
  std::string token;
  do {
    request.set_page_size(kPageSize);
    request.set_page_token(token);
    v1::GetCompletenessResponse page;
    client.Call([&](grpc::ClientContext* context) {
      return client.registry().GetCompleteness(context, request, &page);
    });
    if (all.timepoint_codes().empty()) *all.mutable_timepoint_codes() = page.timepoint_codes();
    all.set_as_of(page.as_of());
    for (auto& row : *page.mutable_rows()) *all.add_rows() = std::move(row);
    if (page.next_page_token() == token) break;  // never loop on a server that repeats itself
    token = page.next_page_token();
  } while (!token.empty());
  return all;
}

void PrintMatrix(const v1::GetCompletenessResponse& m, const std::string& protocol,
                 const std::string& site) {
  std::cout << Style::Bold("Completeness of " + protocol) << (site.empty() ? "" : " at " + site)
            << " as of " << m.as_of() << "  (" << m.rows_size() << " patients)\n\n";
  if (m.rows().empty()) {
    std::cout << "No patients enrolled" << (site.empty() ? "" : " at " + site)
              << ". Enroll one with: lims enroll PATIENT " << protocol << " --anchor DATE\n";
    return;
  }
  std::vector<std::string> headers = {"PATIENT", "SITE"};
  for (const auto& code : m.timepoint_codes()) headers.push_back(code);
  Table table(headers);
  std::map<int, int> totals;
  for (const auto& row : m.rows()) {
    std::vector<std::string> cells = {row.patient_registry_id(), row.site_code()};
    for (const auto& cell : row.cells()) {
      const StatusLook& look = LookOf(cell.status());
      std::string text = std::string(look.mark) + " " + Counts(cell);
      if (cell.status() == v1::COMPLETENESS_STATUS_COMPLETE) text = Style::Good(text);
      if (cell.status() == v1::COMPLETENESS_STATUS_OVERDUE) text = Style::Warn(text);
      cells.push_back(text);
      ++totals[cell.status()];
    }
    table.AddRow(cells);
  }
  table.Print(std::cout);
  std::cout << "\n";
  std::string legend;
  for (const StatusLook& look : kLooks) {
    legend += std::string(legend.empty() ? "" : "   ") + look.mark + " " + look.name + " (" +
              std::to_string(totals[look.status]) + ")";
  }
  std::cout << legend << "\nn/m: primary samples collected / expected (aliquots do not count)\n";
}

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// One drawing of the matrix, rendered as SVG text or (with cairo) as PNG.
struct Shape {
  enum Kind { kRect, kText } kind = kRect;
  int x = 0, y = 0, w = 0, h = 0;  // rect; text: x, y is the baseline point
  std::string colour;              // fill / text colour, "#rrggbb"
  std::string text;                // text
  bool centred = false, bold = false;
  int size = 12;
  std::string tooltip;             // SVG only
};

struct Picture {
  int width = 0, height = 0;
  std::vector<Shape> shapes;
};

Shape Rect(int x, int y, int w, int h, const std::string& fill, std::string tooltip = "") {
  Shape s;
  s.x = x, s.y = y, s.w = w, s.h = h, s.colour = fill, s.tooltip = std::move(tooltip);
  return s;
}

Shape Text(int x, int y, std::string text, const std::string& colour = "#1a1a1a",
           bool centred = false, bool bold = false, int size = 12) {
  Shape s;
  s.kind = Shape::kText;
  s.x = x, s.y = y, s.colour = colour, s.text = std::move(text), s.centred = centred;
  s.bold = bold, s.size = size;
  return s;
}

// Patients on rows, timepoints on columns, one coloured square per cell with collected/expected
// in it, a title with the date and a legend.
Picture Draw(const v1::GetCompletenessResponse& m, const std::string& protocol,
             const std::string& site) {
  constexpr int kCellH = 26, kGap = 2, kMargin = 16, kTitleH = 34, kHeaderH = 24, kCharW = 8,
                kLegendH = 26, kLegendStep = 150;
  size_t longest = 7;  // "PATIENT"
  for (const auto& row : m.rows()) longest = std::max(longest, row.patient_registry_id().size());
  size_t longest_code = 6;
  for (const auto& code : m.timepoint_codes()) longest_code = std::max(longest_code, code.size());
  const int kCellW = static_cast<int>(longest_code) * (kCharW + 1) + 10;  // bold codes fit
  const int label_w = static_cast<int>(longest) * kCharW + 12;
  const int columns = m.timepoint_codes_size();
  const int rows = m.rows_size();
  const int grid_x = kMargin + label_w;
  const int grid_y = kMargin + kTitleH + kHeaderH;
  const int legend_y = grid_y + rows * (kCellH + kGap) + 14;
  const int legend_w = static_cast<int>(std::size(kLooks)) * kLegendStep;
  const std::string title = "Completeness of " + protocol + (site.empty() ? "" : " at " + site) +
                            " as of " + m.as_of() + " (" + std::to_string(rows) + " patients)";
  Picture pic;
  pic.width = std::max({grid_x + columns * (kCellW + kGap), kMargin + legend_w,
                        kMargin + static_cast<int>(title.size()) * 11}) +
              kMargin;
  pic.height = legend_y + 2 * kLegendH + kMargin;
  auto& out = pic.shapes;
  out.push_back(Rect(0, 0, pic.width, pic.height, "#ffffff"));
  out.push_back(Text(kMargin, kMargin + 18, title, "#1a1a1a", false, true, 16));
  out.push_back(Text(kMargin, grid_y - 8, "PATIENT", "#444444", false, true));
  for (int c = 0; c < columns; ++c) {
    out.push_back(Text(grid_x + c * (kCellW + kGap) + kCellW / 2, grid_y - 8,
                       m.timepoint_codes(c), "#1a1a1a", true, true));
  }
  for (int r = 0; r < rows; ++r) {
    const auto& row = m.rows(r);
    const int y = grid_y + r * (kCellH + kGap);
    out.push_back(Text(kMargin, y + kCellH / 2 + 4, row.patient_registry_id()));
    for (int c = 0; c < row.cells_size() && c < columns; ++c) {
      const auto& cell = row.cells(c);
      const StatusLook& look = LookOf(cell.status());
      const int x = grid_x + c * (kCellW + kGap);
      out.push_back(Rect(x, y, kCellW, kCellH, look.fill,
                         row.patient_registry_id() + " " + cell.timepoint_code() + ": " +
                             look.name + ", " + Counts(cell) + " collected, due " +
                             cell.due_date() + " (window " + cell.window_start() + " to " +
                             cell.window_end() + ")"));
      out.push_back(Text(x + kCellW / 2, y + kCellH / 2 + 4, Counts(cell), look.ink, true));
    }
  }
  int x = kMargin;
  for (const StatusLook& look : kLooks) {
    out.push_back(Rect(x, legend_y, 16, 16, look.fill));
    out.push_back(Text(x + 22, legend_y + 13, look.name));
    x += kLegendStep;
  }
  out.push_back(Text(kMargin, legend_y + kLegendH + 12,
                     "n/m: primary samples collected / expected (aliquots do not count)",
                     "#444444"));
  return pic;
}

std::string ToSvg(const Picture& pic) {
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << pic.width << "\" height=\""
      << pic.height << "\" viewBox=\"0 0 " << pic.width << " " << pic.height
      << "\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"12\">\n";
  for (const Shape& s : pic.shapes) {
    if (s.kind == Shape::kRect) {
      if (!s.tooltip.empty()) svg << "<g><title>" << XmlEscape(s.tooltip) << "</title>";
      svg << "<rect x=\"" << s.x << "\" y=\"" << s.y << "\" width=\"" << s.w << "\" height=\""
          << s.h << "\"" << (s.x == 0 && s.y == 0 ? "" : " rx=\"3\"") << " fill=\"" << s.colour
          << "\"/>";
      svg << (s.tooltip.empty() ? "\n" : "</g>\n");
    } else {
      svg << "<text x=\"" << s.x << "\" y=\"" << s.y << "\"";
      if (s.centred) svg << " text-anchor=\"middle\"";
      if (s.bold) svg << " font-weight=\"bold\"";
      if (s.size != 12) svg << " font-size=\"" << s.size << "\"";
      if (s.colour != "#1a1a1a") svg << " fill=\"" << s.colour << "\"";
      svg << ">" << XmlEscape(s.text) << "</text>\n";
    }
  }
  svg << "</svg>\n";
  return svg.str();
}

#ifdef LIMS_HAVE_CAIRO
// Writes the picture as a PNG (twice the SVG's pixel size, for sharp text on paper and screens).
void WritePng(const Picture& pic, const std::string& path) {
  constexpr double kScale = 2.0;
  cairo_surface_t* surface = cairo_image_surface_create(
      CAIRO_FORMAT_RGB24, static_cast<int>(pic.width * kScale),
      static_cast<int>(pic.height * kScale));
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, kScale, kScale);
  auto colour = [&](const std::string& hex) {
    const unsigned long v = std::stoul(hex.substr(1), nullptr, 16);
    cairo_set_source_rgb(cr, ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
                         (v & 0xff) / 255.0);
  };
  for (const Shape& s : pic.shapes) {
    colour(s.colour);
    if (s.kind == Shape::kRect) {
      cairo_rectangle(cr, s.x, s.y, s.w, s.h);
      cairo_fill(cr);
      continue;
    }
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           s.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, s.size);
    double x = s.x;
    if (s.centred) {
      cairo_text_extents_t extents;
      cairo_text_extents(cr, s.text.c_str(), &extents);
      x -= extents.x_advance / 2;
    }
    cairo_move_to(cr, x, s.y);
    cairo_show_text(cr, s.text.c_str());
  }
  cairo_destroy(cr);
  const cairo_status_t status = cairo_surface_write_to_png(surface, path.c_str());
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw CliError(kExitOther,
                   "cannot write " + path + ": " + cairo_status_to_string(status));
  }
}
#endif

}  // namespace

void AddCompletenessCommands(CLI::App& app, Cli& cli) {
  struct MatrixArgs {
    std::string protocol, site, as_of, svg, png;
  };
  auto args = std::make_shared<MatrixArgs>();
  auto* completeness = app.add_subcommand(
      "completeness", "Patients × timepoints of a protocol: expected kit vs samples collected");
  completeness->add_option("PROTOCOL", args->protocol, "protocol code, e.g. CART-SLE")
      ->required();
  completeness->add_option("--site", args->site, "only this site");
  completeness->add_option("--as-of", args->as_of, "judge on this day (YYYY-MM-DD; default today)");
  completeness->add_option("--svg", args->svg, "write the matrix as a coloured SVG grid to FILE");
  completeness->add_option("--png", args->png, "write the same grid as a PNG image to FILE");
  cli.OnRun(completeness, [&cli, args] {
    v1::GetCompletenessRequest request;
    request.set_protocol_code(args->protocol);
    request.set_site_code(args->site);
    if (!args->as_of.empty()) request.set_as_of(RequireDate(args->as_of, "--as-of"));
    const v1::GetCompletenessResponse matrix = FetchMatrix(cli.client(), request);
    if (!args->svg.empty() || !args->png.empty()) {
      const Picture picture = Draw(matrix, args->protocol, args->site);
      std::vector<std::string> written;
      if (!args->svg.empty()) {
        WriteWholeFile(args->svg, ToSvg(picture));
        written.push_back(args->svg);
      }
      if (!args->png.empty()) {
#ifdef LIMS_HAVE_CAIRO
        WritePng(picture, args->png);
        written.push_back(args->png);
#else
        throw CliError(kExitUsage, "this lims was built without cairo: use --svg FILE");
#endif
      }
      if (!cli.options.json) {
        for (const std::string& file : written) {
          std::cout << "Wrote " << file << " (" << matrix.rows_size() << " patients × "
                    << matrix.timepoint_codes_size() << " timepoints, as of " << matrix.as_of()
                    << ")\n";
        }
        return 0;
      }
    }
    if (cli.options.json) {
      PrintJson(matrix);
    } else {
      PrintMatrix(matrix, args->protocol, args->site);
    }
    return 0;
  });

  struct DueArgs {
    std::string site, from, to, as_of;
  };
  auto due_args = std::make_shared<DueArgs>();
  auto* due = app.add_subcommand(
      "due", "Timepoints to collect at a site in a date range (not yet complete)");
  due->add_option("--site", due_args->site, "site code, e.g. PSL")->required();
  due->add_option("--from", due_args->from, "first day, YYYY-MM-DD")->required();
  due->add_option("--to", due_args->to, "last day, YYYY-MM-DD (at most a year later)")
      ->required();
  due->add_option("--as-of", due_args->as_of, "judge on this day (YYYY-MM-DD; default today)");
  cli.OnRun(due, [&cli, due_args] {
    v1::ListDueTimepointsRequest request;
    request.set_site_code(due_args->site);
    request.set_from(RequireDate(due_args->from, "--from"));
    request.set_to(RequireDate(due_args->to, "--to"));
    if (!due_args->as_of.empty()) request.set_as_of(RequireDate(due_args->as_of, "--as-of"));
    const v1::ListDueTimepointsResponse response = cli.client().Read(
        &Client::registry, &v1::RegistryService::Stub::ListDueTimepoints, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    if (response.items().empty()) {
      std::cout << "Nothing to collect at " << due_args->site << " from " << due_args->from
                << " to " << due_args->to << ".\n";
      return 0;
    }
    Table table({"DUE", "WINDOW", "PATIENT", "PROTOCOL", "TIMEPOINT", "STATUS", "COLLECTED"});
    for (const auto& item : response.items()) {
      std::string status = LookOf(item.status()).name;
      if (item.status() == v1::COMPLETENESS_STATUS_OVERDUE) status = Style::Warn(status);
      table.AddRow({item.due_date(),
                    item.window_start() == item.window_end()
                        ? "that day only"
                        : item.window_start() + " to " + item.window_end(),
                    item.patient_registry_id(), item.protocol_code(), item.timepoint_code(),
                    status,
                    std::to_string(item.collected_count()) + "/" +
                        std::to_string(item.expected_count())});
    }
    std::cout << Style::Bold("Due at " + due_args->site) << " from " << due_args->from << " to "
              << due_args->to << " (as of " << response.as_of() << ")\n\n";
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace lims::cli
