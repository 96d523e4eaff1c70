#include "lims/labels/label_png.h"

#include <cairo.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "barcode_symbols.h"

namespace lims::labels {
namespace {

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

void FillModules(cairo_t* cr, const ZXing::BitMatrix& m, int x, int y, int module, int bar_height) {
  for (int row = 0; row < m.height(); ++row) {
    for (int col = 0; col < m.width(); ++col) {
      if (!m.get(col, row)) continue;
      const int h = bar_height > 0 ? bar_height : module;
      cairo_rectangle(cr, x + col * module, y + row * module, module, h);
    }
  }
  cairo_fill(cr);
}

absl::Status DrawText(cairo_t* cr, const PlacedElement& e) {
  // Condensed bold is close to the printer's font 0; the size is the letter height in dots.
  cairo_select_font_face(cr, "DejaVu Sans Condensed", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_BOLD);
  double size = e.height;
  cairo_set_font_size(cr, size);
  cairo_text_extents_t extents;
  cairo_text_extents(cr, e.text.c_str(), &extents);
  if (extents.x_advance > e.max_width && extents.x_advance > 0) {
    size *= e.max_width / extents.x_advance;  // the same rule as the printer: smaller, not cut
    cairo_set_font_size(cr, size);
  }
  cairo_font_extents_t font;
  cairo_font_extents(cr, &font);
  cairo_move_to(cr, e.x, e.y + font.ascent);
  cairo_show_text(cr, e.text.c_str());
  return absl::OkStatus();
}

absl::Status DrawElement(cairo_t* cr, const PlacedElement& e) {
  switch (e.kind) {
    case ElementKind::kText:
      return DrawText(cr, e);
    case ElementKind::kDataMatrix: {
      auto m = EncodeDataMatrix(e.text);
      if (!m.ok()) return m.status();
      FillModules(cr, *m, e.x, e.y, e.module, 0);
      return absl::OkStatus();
    }
    case ElementKind::kCode128: {
      auto m = EncodeCode128(e.text);
      if (!m.ok()) return m.status();
      FillModules(cr, *m, e.x, e.y, e.module, e.height);
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown element kind");
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

absl::StatusOr<std::string> LabelToPng(const LabelLayout& label) {
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, label.width, label.height),
                  cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError("cairo cannot create the label image");
  }
  Context cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  // Printer dots are either black or white: no grey edges on bars and cells.
  cairo_set_antialias(cr.get(), CAIRO_ANTIALIAS_NONE);
  for (const PlacedElement& e : label.elements) {
    if (absl::Status drawn = DrawElement(cr.get(), e); !drawn.ok()) return drawn;
  }
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    // e.g. a stored value that is not valid UTF-8
    return absl::InternalError(absl::StrCat("cairo cannot draw the label: ",
                                            cairo_status_to_string(cairo_status(cr.get()))));
  }
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), AppendToString, &png) !=
      CAIRO_STATUS_SUCCESS) {
    return absl::InternalError("cairo cannot encode the label as PNG");
  }
  return png;
}

}  // namespace lims::labels
