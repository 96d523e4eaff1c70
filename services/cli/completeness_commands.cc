// lims completeness PROTOCOL [--site] [--svg FILE] and lims due --site --from --to
// (RegistryService.GetCompleteness / ListDueTimepoints): the patient × timepoint matrix as a
// table or a coloured SVG grid, and the timepoints to collect in a date range.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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
  if (!ParseIsoDate(text)) {
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

// The matrix as an SVG document: patients on rows, timepoints on columns, one coloured square
// per cell with collected/expected in it, a title with the date and a legend.
std::string CompletenessSvg(const v1::GetCompletenessResponse& m, const std::string& protocol,
                            const std::string& site) {
  constexpr int kCellW = 64, kCellH = 26, kGap = 2, kMargin = 16, kTitleH = 34, kHeaderH = 24,
                kCharW = 8, kLegendH = 26;
  size_t longest = 7;  // "PATIENT"
  for (const auto& row : m.rows()) longest = std::max(longest, row.patient_registry_id().size());
  const int label_w = static_cast<int>(longest) * kCharW + 12;
  const int columns = m.timepoint_codes_size();
  const int rows = m.rows_size();
  const int grid_x = kMargin + label_w;
  const int grid_y = kMargin + kTitleH + kHeaderH;
  const int legend_y = grid_y + rows * (kCellH + kGap) + 14;
  const int legend_w = 5 * 150;
  const int width = std::max(grid_x + columns * (kCellW + kGap), kMargin + legend_w) + kMargin;
  const int height = legend_y + 2 * kLegendH + kMargin;

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\""
      << height << "\" viewBox=\"0 0 " << width << " " << height
      << "\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  const std::string title = "Completeness of " + protocol + (site.empty() ? "" : " at " + site) +
                            " as of " + m.as_of() + " (" + std::to_string(rows) + " patients)";
  svg << "<text x=\"" << kMargin << "\" y=\"" << kMargin + 18
      << "\" font-size=\"16\" font-weight=\"bold\">" << XmlEscape(title) << "</text>\n";
  svg << "<text x=\"" << kMargin << "\" y=\"" << grid_y - 8
      << "\" font-weight=\"bold\" fill=\"#444444\">PATIENT</text>\n";
  for (int c = 0; c < columns; ++c) {
    svg << "<text x=\"" << grid_x + c * (kCellW + kGap) + kCellW / 2 << "\" y=\"" << grid_y - 8
        << "\" text-anchor=\"middle\" font-weight=\"bold\">" << XmlEscape(m.timepoint_codes(c))
        << "</text>\n";
  }
  for (int r = 0; r < rows; ++r) {
    const auto& row = m.rows(r);
    const int y = grid_y + r * (kCellH + kGap);
    svg << "<text x=\"" << kMargin << "\" y=\"" << y + kCellH / 2 + 4 << "\">"
        << XmlEscape(row.patient_registry_id()) << "</text>\n";
    for (int c = 0; c < row.cells_size() && c < columns; ++c) {
      const auto& cell = row.cells(c);
      const StatusLook& look = LookOf(cell.status());
      const int x = grid_x + c * (kCellW + kGap);
      svg << "<g><title>" << XmlEscape(row.patient_registry_id() + " " + cell.timepoint_code() +
                                       ": " + look.name + ", " + Counts(cell) + " collected, due " +
                                       cell.due_date() + " (window " + cell.window_start() +
                                       " to " + cell.window_end() + ")")
          << "</title><rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << kCellW
          << "\" height=\"" << kCellH << "\" rx=\"3\" fill=\"" << look.fill
          << "\"/><text x=\"" << x + kCellW / 2 << "\" y=\"" << y + kCellH / 2 + 4
          << "\" text-anchor=\"middle\" fill=\"" << look.ink << "\">" << Counts(cell)
          << "</text></g>\n";
    }
  }
  int x = kMargin;
  for (const StatusLook& look : kLooks) {
    svg << "<rect x=\"" << x << "\" y=\"" << legend_y << "\" width=\"16\" height=\"16\" rx=\"3\" "
        << "fill=\"" << look.fill << "\"/><text x=\"" << x + 22 << "\" y=\"" << legend_y + 13
        << "\">" << XmlEscape(look.name) << "</text>\n";
    x += 150;
  }
  svg << "<text x=\"" << kMargin << "\" y=\"" << legend_y + kLegendH + 12
      << "\" fill=\"#444444\">n/m: primary samples collected / expected (aliquots do not "
         "count)</text>\n"
      << "</svg>\n";
  return svg.str();
}

}  // namespace

void AddCompletenessCommands(CLI::App& app, Cli& cli) {
  struct MatrixArgs {
    std::string protocol, site, as_of, svg;
  };
  auto args = std::make_shared<MatrixArgs>();
  auto* completeness = app.add_subcommand(
      "completeness", "Patients × timepoints of a protocol: expected kit vs samples collected");
  completeness->add_option("PROTOCOL", args->protocol, "protocol code, e.g. CART-SLE")
      ->required();
  completeness->add_option("--site", args->site, "only this site");
  completeness->add_option("--as-of", args->as_of, "judge on this day (YYYY-MM-DD; default today)");
  completeness->add_option("--svg", args->svg, "write the matrix as a coloured SVG grid to FILE");
  cli.OnRun(completeness, [&cli, args] {
    v1::GetCompletenessRequest request;
    request.set_protocol_code(args->protocol);
    request.set_site_code(args->site);
    if (!args->as_of.empty()) request.set_as_of(RequireDate(args->as_of, "--as-of"));
    const v1::GetCompletenessResponse matrix = FetchMatrix(cli.client(), request);
    if (!args->svg.empty()) {
      std::ofstream out(args->svg, std::ios::binary | std::ios::trunc);
      out << CompletenessSvg(matrix, args->protocol, args->site);
      out.close();
      if (!out) {
        throw CliError(kExitOther, "cannot write " + args->svg + ": " + std::strerror(errno));
      }
      if (!cli.options.json) {
        std::cout << "Wrote " << args->svg << " (" << matrix.rows_size() << " patients × "
                  << matrix.timepoint_codes_size() << " timepoints, as of " << matrix.as_of()
                  << ")\n";
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
    v1::ListDueTimepointsResponse response;
    cli.client().Call([&](grpc::ClientContext* context) {
      return cli.client().registry().ListDueTimepoints(context, request, &response);
    });
    if (cli.options.json) {
      PrintJson(response);
      return 0;
    }
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
