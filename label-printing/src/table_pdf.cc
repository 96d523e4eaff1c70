#include "table_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include "absl/strings/str_cat.h"

namespace lims::labels {
namespace {

constexpr double kWidth = 595, kHeight = 842, kMargin = 40, kLine = 14;  // A4 in points

void Text(cairo_t* cr, double x, double y, const std::string& text, double size,
          bool bold = false) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

// A cell's text stops at its column's edge instead of running over the next one.
void Cell(cairo_t* cr, double x, double y, double width, const std::string& text, bool bold) {
  cairo_save(cr);
  cairo_rectangle(cr, x, y - kLine, width - 4, kLine + 4);
  cairo_clip(cr);
  Text(cr, x, y, text, 8, bold);
  cairo_restore(cr);
}

void Row(cairo_t* cr, const TablePdf& table, double y, const std::vector<std::string>& cells,
         bool bold) {
  double x = kMargin;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i < cells.size()) Cell(cr, x, y, table.columns[i].width, cells[i], bold);
    x += table.columns[i].width;
  }
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The particulars at the top of every page; returns where the rows start.
double Header(cairo_t* cr, const TablePdf& table, int page) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  Text(cr, kMargin, kMargin + 10, table.title, 16, true);
  double y = kMargin + 30;
  for (size_t i = 0; i < table.particulars.size(); ++i, y += kLine) {
    const bool last = i + 1 == table.particulars.size();
    Text(cr, kMargin, y, table.particulars[i], last ? 7 : 9);
  }
  Text(cr, kWidth - kMargin - 40, kMargin + 10, absl::StrCat("page ", page), 9);
  y += 10;
  std::vector<std::string> titles;
  for (const TableColumn& c : table.columns) titles.push_back(c.title);
  Row(cr, table, y, titles, true);
  return y + kLine;
}

}  // namespace

absl::StatusOr<std::string> DrawTablePdf(const TablePdf& table, const std::string& what) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &pdf, kWidth, kHeight);
  cairo_t* cr = cairo_create(surface);
  int page = 1;
  double y = Header(cr, table, page);
  for (const std::vector<std::string>& row : table.rows) {
    if (y > kHeight - kMargin - 60) {
      cairo_show_page(cr);
      y = Header(cr, table, ++page);
    }
    Row(cr, table, y, row, false);
    y += kLine;
  }
  Text(cr, kMargin, y + 20, table.total, 10, true);
  double x = kMargin;
  for (const std::string& signature : table.signatures) {
    Text(cr, x, kHeight - kMargin - 20, signature + ": ____________________", 10);
    x += 280;
  }
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("the ", what, " could not be drawn: ", cairo_status_to_string(status)));
  }
  return pdf;
}

}  // namespace lims::labels
