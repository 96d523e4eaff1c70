#include "lims/labels/packing_list.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include "absl/strings/str_cat.h"

namespace lims::labels {
namespace {

constexpr double kWidth = 595, kHeight = 842, kMargin = 40, kLine = 14;  // A4 in points
constexpr double kColumns[] = {kMargin,       kMargin + 120, kMargin + 160,
                               kMargin + 220, kMargin + 320, kMargin + 420};

void Text(cairo_t* cr, double x, double y, const std::string& text, double size,
          bool bold = false) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The particulars at the top of every page; returns where the lines start.
double Header(cairo_t* cr, const PackingList& list, int page) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  Text(cr, kMargin, kMargin + 10, list.title, 16, true);
  Text(cr, kMargin, kMargin + 30, "To: " + list.destination, 10);
  Text(cr, kMargin, kMargin + 44, list.transport, 9);
  Text(cr, kMargin, kMargin + 58, absl::StrCat(list.dispatched, "   page ", page), 9);
  Text(cr, kMargin, kMargin + 70, "Manifest digest (SHA-256) " + list.digest, 7);
  double y = kMargin + 94;
  const char* titles[] = {"TUBE", "TYPE", "QUANTITY", "PATIENT", "PROTOCOL / TP", "PACKED IN"};
  for (int i = 0; i < 6; ++i) Text(cr, kColumns[i], y, titles[i], 8, true);
  return y + kLine;
}

}  // namespace

absl::StatusOr<std::string> PackingListPdf(const PackingList& list) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &pdf, kWidth, kHeight);
  cairo_t* cr = cairo_create(surface);
  int page = 1;
  double y = Header(cr, list, page);
  for (const PackingListLine& line : list.lines) {
    if (y > kHeight - kMargin - 60) {
      cairo_show_page(cr);
      y = Header(cr, list, ++page);
    }
    const std::string* cells[] = {
        &line.tube,     &line.type, &line.quantity, &line.patient, &line.protocol_timepoint,
        &line.packed_in};
    for (int i = 0; i < 6; ++i) Text(cr, kColumns[i], y, *cells[i], 8);
    y += kLine;
  }
  Text(cr, kMargin, y + 20, absl::StrCat(list.lines.size(), " tubes"), 10, true);
  Text(cr, kMargin, kHeight - kMargin - 20, "Packed by: ____________________", 10);
  Text(cr, kMargin + 280, kHeight - kMargin - 20, "Received by: ____________________", 10);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("the packing list could not be drawn: ", cairo_status_to_string(status)));
  }
  return pdf;
}

}  // namespace lims::labels
