#!/usr/bin/python3
"""Synthetic photographs of 2D-coded tube racks seen from below, with exact ground truth.

An independent test-data generator for the rack reader: grayscale pictures of racks whose tube
bottoms carry DataMatrix codes (matrices from libdmtx, drawn module by module here), plus a
JSON file saying what a perfect reader reports. Needs Debian's python3-pil, python3-numpy and
python3-pylibdmtx.

Conventions:
- Wells are A1.., rows lettered from the A1 corner, columns numbered 1..C. In the top view
  (looking down on the rack) a straight rack has A1 top-left, columns growing rightwards and
  rows downwards; the plate's A1 corner is cut off at 45 degrees (unless --no-chamfer).
- Codes are printed to be read from below. The bottom view (default; the raw picture of a
  camera under the rack) is the top view mirrored left-right: codes read the right way round
  and a straight rack has A1 top-right. --view top writes the bottom-view picture mirrored
  left-right, so its codes appear mirrored.
- The top-view scene is rotated clockwise by rotation + skew degrees, then mirrored (bottom
  view), then distorted by a homography of strength --perspective (the rack's far side up to
  about 1 + 2P times as large as its near side).
- Pixel coordinates in the truth have pixel centres at integers: (0, 0) is the centre of the
  top-left pixel.
- Per-picture parameters that are not given explicitly are drawn from --seed and the picture's
  index, so every picture is reproducible: a single picture equals picture 0 of a batch with
  the same options, and --view top gives exactly the --view bottom picture mirrored.

Truth JSON: {"rows", "columns", "view", "rotation", "skew", "perspective", "pitch", "width",
"height", "a1_corner": "top_left|top_right|bottom_left|bottom_right", "wells": {"A1":
{"state": "code"|"empty"|"unreadable", "code": "..." (not for empty wells), "center": [x, y]},
...}, plus informative "seed", "index", "difficulty", "module_px", "options"}.

--photos DIR[,DIR...] puts real photographs of DataMatrix symbols (each image with its expected
text in a .txt beside it, e.g. ../shared/data/barcodes/datamatrix-2) on some tube bottoms
instead of drawn codes: real print, lighting and blur in the wells.

Examples:
  rack_scene.py --seed 7 --pitch 120 --rotation 90 --out rack.png --truth rack.json
  rack_scene.py --batch 50 --out-dir /tmp/racks --seed 1 --pitch-range 50 300 --max-skew 8
"""

import argparse
import io
import json
import math
import os
import sys
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps
from pylibdmtx import pylibdmtx

DIFFICULTIES = ("clean", "medium", "hard")
EDGES = ("none", "first-row", "last-row", "first-column", "last-column")
ROW_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
QUIET_MODULES = 2      # light modules around the largest symbol of a picture, on each side
MAX_CODE_OFFSET = 0.06  # pitch units

# Appearance ranges per difficulty: blur sigma (px), noise sd and code contrast (grey levels),
# vignetting and gradient (relative gain), glare spots, JPEG chance, unreadable fraction.
LOOKS = {
    "clean": dict(blur=(0.0, 0.35), noise=(0.0, 1.5), contrast=(150, 200), vignette=(0, 0),
                  gradient=(0, 0), glare=(0, 0), jpeg=0.0, unreadable=(0, 0)),
    "medium": dict(blur=(0.3, 0.8), noise=(1.0, 5.0), contrast=(110, 190), vignette=(0, 0.15),
                   gradient=(0, 0.12), glare=(0, 1), jpeg=0.0, unreadable=(0, 0.03)),
    "hard": dict(blur=(0.6, 1.2), noise=(3.0, 10.0), contrast=(90, 170), vignette=(0.15, 0.4),
                 gradient=(0.1, 0.3), glare=(1, 4), jpeg=0.4, unreadable=(0.01, 0.06)),
}


# ---------------------------------------------------------------------------------------------
# Homogeneous 2D transforms (3x3 matrices acting on column vectors).

def translate(x, y):
    return np.array([[1.0, 0, x], [0, 1, y], [0, 0, 1]])


def scale(sx, sy=None):
    return np.diag([sx, sx if sy is None else sy, 1.0])


def rotate(degrees):
    """Clockwise on screen, since the y axis points down."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])


def project(h, points):
    p = np.asarray(points, float).reshape(-1, 2)
    w = p @ h[2, :2] + h[2, 2]
    return (p @ h[:2, :2].T + h[:2, 2]) / w[:, None]


# ---------------------------------------------------------------------------------------------
# Codes.

def module_matrix(text):
    """The DataMatrix of text as a square bool array (True = dark). libdmtx renders a few
    pixels per module inside a light margin; the module size is the first dark run of the
    top timing pattern, and the result is checked against the symbol's fixed border."""
    enc = pylibdmtx.encode(text.encode("ascii"), size="SquareAuto")
    pixels = np.frombuffer(enc.pixels, np.uint8).reshape(enc.height, enc.width, enc.bpp // 8)
    dark = pixels[..., 0] < 128
    ys, xs = np.nonzero(dark)
    top, left, side = ys.min(), xs.min(), xs.max() + 1 - xs.min()
    module = int(np.argmin(dark[top, left:left + side]))
    n = side // module if module else 0
    if not n or n * module != side or ys.max() + 1 - top != side:
        raise ValueError(f"unexpected libdmtx rendering of {text!r}")
    centres = module // 2 + module * np.arange(n)
    m = dark[np.ix_(top + centres, left + centres)]
    right = m[::-1, -1]
    if not (m[:, 0].all() and m[-1].all() and m[0, ::2].all() and not m[0, 1::2].any()
            and right[::2].all() and not right[1::2].any()):
        raise ValueError(f"libdmtx symbol of {text!r} lacks the DataMatrix border")
    return m


def make_codes(rng, count, kind):
    """Distinct codes: 10-digit numbers (pre-barcoded cryotubes), with kind 'mixed' also
    about 30 % lab-printed ones like FR24-001234."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    codes = []
    while len(codes) < count:
        if kind == "mixed" and rng.random() < 0.3:
            code = "%s%s%02d-%06d" % (letters[rng.integers(len(letters))],
                                      letters[rng.integers(len(letters))],
                                      rng.integers(100), rng.integers(1000000))
        else:
            code = "".join(str(d) for d in rng.integers(0, 10, 10))
        if code not in codes:
            codes.append(code)
    return codes


# ---------------------------------------------------------------------------------------------
# Per-picture parameters, all drawn in a fixed order so that explicit options and the view
# change nothing else.

@dataclass
class Geometry:
    """Rack geometry in pitch units (top view, origin at the A1 well centre)."""
    margin_x: float
    margin_y: float
    chamfer: float     # leg of the 45-degree cut at the A1 corner; 0 = none
    skirt: float       # width of the plate's outer rim
    hole: float        # radius of a well opening
    gap: float         # dark ring between a tube and its opening
    face: float        # radius of a tube's flat bottom
    code: float        # side of the largest symbol plus quiet zone
    label: float       # height of row/column labels; 0 = none
    borders: tuple     # background around the rack: left, top, right, bottom
    tilt: float        # direction of the perspective distortion, degrees


@dataclass
class Look:
    background: float
    plate: float
    skirt: float
    label: float
    empty_fill: float
    face: float
    ink: float
    rim: float
    dot: float         # dot radius in modules (--dots)
    blur: float
    noise: float
    vignette: float
    gradient: float
    gradient_dir: float
    glare: int
    jpeg: int          # quality; 0 = no JPEG round trip


def draw_params(args, rng):
    """The picture-level parameters: drawn, then overridden by explicit options."""
    p = dict(pitch=round(rng.uniform(*args.pitch_range), 1),
             rotation=int(rng.choice(args.rotations)),
             skew=round(rng.uniform(-args.max_skew, args.max_skew), 2),
             perspective=round(rng.uniform(0, args.max_perspective), 4),
             difficulty=str(rng.choice(DIFFICULTIES)),
             empty_fraction=rng.uniform(0, 0.3),
             empty_edge=str(rng.choice(EDGES)))
    share = rng.random()  # where the unreadable fraction lies in its difficulty's range
    for key in p:
        if getattr(args, key) is not None and getattr(args, key) != "random":
            p[key] = getattr(args, key)
    low, high = LOOKS[p["difficulty"]]["unreadable"]
    p["unreadable_fraction"] = (args.unreadable_fraction if args.unreadable_fraction is not None
                                else low + (high - low) * share)
    return p


def draw_geometry(args, rng, largest_symbol):
    margin_x, margin_y = rng.uniform(0.9, 1.6, 2)
    hole = rng.uniform(0.42, 0.47)
    gap = rng.uniform(0.01, 0.025)
    face = hole - gap - rng.uniform(0.03, 0.06)
    # The symbol, at any angle and offset, must stay on the tube's flat bottom.
    modules = largest_symbol + 2 * QUIET_MODULES
    fit = (face - MAX_CODE_OFFSET - 0.01) * math.sqrt(2) * modules / largest_symbol
    # Modules of about pitch/36 or larger, within the 0.45..0.65 pitch the tubes allow.
    largest_code = min(0.65, fit)
    code = rng.uniform(min(max(0.45, modules / 36), largest_code), largest_code)
    label = min(0.3, 0.7 * (min(margin_x, margin_y) - hole)) if args.labels else 0.0
    # The cut must clear the A1 opening and the A / 1 labels next to it.
    clear = margin_x + margin_y - hole * math.sqrt(2) - 0.1
    if label:
        clear = min(clear, margin_x + margin_y - (hole + min(margin_x, margin_y)) / 2
                    - label - 0.05)
    chamfer = min(rng.uniform(0.8, 1.3), clear)
    return Geometry(margin_x, margin_y, 0.0 if args.no_chamfer else chamfer,
                    rng.uniform(0.05, 0.15), hole, gap, face, code, label,
                    tuple(rng.uniform(0.3, 1.5, 4)), rng.uniform(0, 360))


def draw_look(args, rng, difficulty):
    r = LOOKS[difficulty]
    background = rng.choice([rng.uniform(8, 40), rng.uniform(80, 140), rng.uniform(170, 235)],
                             p=[0.45, 0.35, 0.2])
    plate = rng.uniform(45, 210)
    contrast = rng.uniform(*r["contrast"])
    if args.light_on_dark:
        face = rng.uniform(20, 70)
        ink = min(250.0, face + contrast)
    else:
        face = rng.uniform(max(175, 10 + contrast), 240)
        ink = face - contrast
    return Look(background=background,
                plate=plate,
                skirt=np.clip(plate + rng.uniform(-30, 30), 0, 255),
                label=plate + (-1 if plate > 128 else 1) * rng.uniform(30, 70),
                empty_fill=rng.choice([rng.uniform(5, 35), background * rng.uniform(0.75, 0.95)]),
                face=face, ink=ink,
                rim=face * rng.uniform(0.55, 0.85) if not args.light_on_dark
                else face + rng.uniform(20, 60),
                dot=rng.uniform(0.38, 0.48),
                blur=rng.uniform(*r["blur"]),
                noise=rng.uniform(*r["noise"]),
                vignette=rng.uniform(*r["vignette"]),
                gradient=rng.uniform(*r["gradient"]),
                gradient_dir=rng.uniform(0, 2 * math.pi),
                glare=int(rng.integers(r["glare"][0], r["glare"][1] + 1)),
                jpeg=int(rng.integers(60, 86)) if rng.random() < r["jpeg"] else 0)


@dataclass
class Tube:
    state: str          # code / empty / unreadable
    code: str
    angle: float        # degrees
    offset: tuple       # pitch units
    spoil: str          # frost / smear, for unreadable tubes
    shade: float        # per-tube variation of face and ink


def draw_tubes(rng, rows, cols, p, codes):
    empty = rng.random((rows, cols)) < p["empty_fraction"]
    edge = p["empty_edge"]
    if edge != "none":
        line = {"first-row": np.s_[0, :], "last-row": np.s_[-1, :],
                "first-column": np.s_[:, 0], "last-column": np.s_[:, -1]}[edge]
        empty[line] = True
    unreadable = rng.random((rows, cols)) < p["unreadable_fraction"]
    tubes = {}
    for r in range(rows):
        for c in range(cols):
            radius = MAX_CODE_OFFSET * math.sqrt(rng.random())  # uniform over the disc
            direction = rng.uniform(0, 2 * math.pi)
            state = "empty" if empty[r, c] else "unreadable" if unreadable[r, c] else "code"
            tubes[(r, c)] = Tube(state, codes[r * cols + c], rng.uniform(0, 360),
                                 (radius * math.cos(direction), radius * math.sin(direction)),
                                 str(rng.choice(["frost", "smear"])), rng.uniform(-8, 8))
    return tubes


# ---------------------------------------------------------------------------------------------
# Rendering on a supersampled canvas addressed in top-view rack units.

def plate_outline(rows, cols, g, inset=0.0):
    x0, y0 = -g.margin_x + inset, -g.margin_y + inset
    x1, y1 = cols - 1 + g.margin_x - inset, rows - 1 + g.margin_y - inset
    if not g.chamfer:
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    leg = g.chamfer - inset * (2 - math.sqrt(2))  # the 45-degree cut moves in with the inset
    return [(x0 + leg, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0 + leg)]


def bottom_view_transform(rows, cols, p, g):
    """Homography from top-view rack units to bottom-view pixels, and the picture size."""
    centred = scale(-1, 1) @ rotate(p["rotation"] + p["skew"]) @ translate(-(cols - 1) / 2,
                                                                            -(rows - 1) / 2)
    outline = plate_outline(rows, cols, g)
    reach = np.hypot(*project(centred, outline).T).max()
    tilt = np.eye(3)
    tilt[2, :2] = p["perspective"] / reach * np.array([math.cos(math.radians(g.tilt)),
                                                       math.sin(math.radians(g.tilt))])
    h = scale(p["pitch"]) @ tilt @ centred
    corners = project(h, outline)
    lo, hi = corners.min(0), corners.max(0)
    left, top, right, bottom = (b * p["pitch"] for b in g.borders)
    size = (int(math.ceil(hi[0] - lo[0] + left + right)),
            int(math.ceil(hi[1] - lo[1] + top + bottom)))
    return translate(left - lo[0], top - lo[1]) @ h, size


def supersampling(pitch):
    """Enough canvas pixels per module for smooth edges, without huge canvases."""
    return 4 if pitch < 90 else 3 if pitch < 180 else 2


class Canvas:
    def __init__(self, size, pitch, to_picture, background):
        ss = self.ss = supersampling(pitch)
        self.per_pitch = pitch * ss  # canvas pixels per pitch, for curve and font detail
        # Output pixel x covers canvas [ss*x, ss*(x+1)) with pixel centres at integers.
        self.to_canvas = translate(ss / 2, ss / 2) @ scale(ss) @ to_picture
        self.image = Image.new("L", (size[0] * ss, size[1] * ss), int(background))
        self.draw = ImageDraw.Draw(self.image)
        self.pixels = None

    def polygon(self, points, level):
        self.draw.polygon([tuple(q) for q in project(self.to_canvas, points)], fill=int(level))

    def disc(self, centre, radius, level):
        steps = int(np.clip(2 * math.pi * radius * self.per_pitch / 3, 24, 256))
        t = np.linspace(0, 2 * math.pi, steps, endpoint=False)
        self.polygon(np.c_[centre[0] + radius * np.cos(t), centre[1] + radius * np.sin(t)], level)

    def start_raster(self):
        """Switch from PIL shapes to per-pixel drawing in a numpy array."""
        self.pixels = np.array(self.image)

    def local_grid(self, local_to_scene, box):
        """Canvas pixels covering the local rectangle box = (u0, v0, u1, v1): their region and
        the local coordinates of their centres."""
        m = self.to_canvas @ local_to_scene
        u0, v0, u1, v1 = box
        corners = project(m, [(u0, v0), (u1, v0), (u1, v1), (u0, v1)])
        height, width = self.pixels.shape
        x0, y0 = np.maximum(np.floor(corners.min(0)).astype(int), 0)
        x1 = min(int(math.ceil(corners[:, 0].max())) + 1, width)
        y1 = min(int(math.ceil(corners[:, 1].max())) + 1, height)
        if x0 >= x1 or y0 >= y1:
            return None, None, None
        inv = np.linalg.inv(m).astype(np.float32)
        x = np.arange(x0, x1, dtype=np.float32)[None, :] + 0.5
        y = np.arange(y0, y1, dtype=np.float32)[:, None] + 0.5
        w = inv[2, 0] * x + inv[2, 1] * y + inv[2, 2]
        u = (inv[0, 0] * x + inv[0, 1] * y + inv[0, 2]) / w
        v = (inv[1, 0] * x + inv[1, 1] * y + inv[1, 2]) / w
        return np.s_[y0:y1, x0:x1], u, v

    def blend(self, region, level, alpha):
        patch = self.pixels[region].astype(np.float32)
        patch += (level - patch) * alpha
        self.pixels[region] = np.clip(patch + 0.5, 0, 255)

    def picture(self):
        return Image.fromarray(self.pixels).reduce(self.ss)


def ink_mask(matrix, u, v, dot):
    """Dark modules at local module coordinates; dot > 0 draws round dots of that radius."""
    n = len(matrix)
    iu, iv = np.floor(u).astype(np.int32), np.floor(v).astype(np.int32)
    inside = (iu >= 0) & (iu < n) & (iv >= 0) & (iv < n)
    mask = np.zeros(u.shape, bool)
    mask[inside] = matrix[iv[inside], iu[inside]]
    if dot:
        mask &= (u - iu - 0.5) ** 2 + (v - iv - 0.5) ** 2 <= dot * dot
    return mask


def draw_code(canvas, centre, tube, matrix, module, look, dot, rng):
    n = len(matrix)
    # Mirrored in the top view: printed to be read from below.
    local = (translate(*centre) @ translate(*tube.offset) @ rotate(tube.angle)
             @ scale(-module, module) @ translate(-n / 2, -n / 2))
    smear = tube.state == "unreadable" and tube.spoil == "smear"
    length = rng.uniform(3, 5) if smear else 0.0
    pad = 1 + length
    region, u, v = canvas.local_grid(local, (-pad, -pad, n + pad, n + pad))
    if region is None:
        return
    if smear:
        # Ink dragged over several modules: a streaky smudge that keeps no module structure.
        direction = rng.uniform(0, 2 * math.pi)
        steps = np.linspace(0, length, int(length * 4))
        ink = sum(ink_mask(matrix, u - t * math.cos(direction), v - t * math.sin(direction), dot)
                  for t in steps) / len(steps)
        ink = np.minimum(1.0, 1.6 * ink)
    else:
        ink = ink_mask(matrix, u, v, dot)
    canvas.blend(region, look.ink + tube.shade, ink)


def draw_frost(canvas, centre, symbol, g, rng):
    """An opaque, grainy frost patch that hides a symbol of side `symbol` at any angle and
    offset, fading out towards the tube's edge."""
    covered = symbol / math.sqrt(2) + MAX_CODE_OFFSET + 0.01
    outer = g.hole - g.gap
    local = translate(*centre)
    region, u, v = canvas.local_grid(local, (-outer, -outer, outer, outer))
    if region is None:
        return
    r, theta = np.hypot(u, v), np.arctan2(v, u)
    wobble = sum(rng.uniform(-0.5, 0.5) * np.sin(k * theta + rng.uniform(0, 6.3))
                 for k in (2, 3, 5))
    edge = covered + max(0.0, outer - 0.04 - covered) * (0.5 + 0.5 * np.clip(wobble, -1, 1))
    alpha = np.clip((edge + 0.04 - r) / 0.04, 0, 1) * (r <= outer)
    grain = sum(rng.uniform(1, 4) * np.sin(f * (math.cos(a) * u + math.sin(a) * v)
                                           + rng.uniform(0, 6.3))
                for f, a in zip(rng.uniform(20, 90, 8), rng.uniform(0, math.pi, 8)))
    canvas.blend(region, rng.uniform(200, 240) + grain, alpha)


def draw_label(canvas, text, centre, height, level, font):
    """Row/column marks moulded on the plate's underside, so readable from below."""
    x0, y0, x1, y1 = font.getbbox(text)
    sprite = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(sprite).text((-x0, -y0), text, fill=255, font=font)
    glyphs = np.asarray(sprite, dtype=np.float32) / 255
    k = height / glyphs.shape[0]
    region, inside, values = sample_sprite(canvas, translate(*centre) @ scale(-k, k), glyphs)
    if region is None:
        return
    alpha = np.zeros(inside.shape, np.float32)
    alpha[inside] = values
    canvas.blend(region, level, alpha)


def sample_sprite(canvas, placement, pixels):
    """A picture drawn centred at `placement` (scene from its centred pixel grid): the canvas
    region it covers, which of the region's pixels it covers, and its values there."""
    local = placement @ translate(-pixels.shape[1] / 2, -pixels.shape[0] / 2)
    region, u, v = canvas.local_grid(local, (0, 0, pixels.shape[1], pixels.shape[0]))
    if region is None:
        return None, None, None
    iu, iv = np.floor(u).astype(np.int32), np.floor(v).astype(np.int32)
    inside = (iu >= 0) & (iu < pixels.shape[1]) & (iv >= 0) & (iv < pixels.shape[0])
    return region, inside, pixels[iv[inside], iu[inside]]


def load_photos(dirs):
    """(text, grey image) of every photograph whose expected text is one printable line."""
    photos = []
    for folder in dirs.split(","):
        for name in sorted(os.listdir(folder)):
            stem, ext = os.path.splitext(name)
            text_path = os.path.join(folder, stem + ".txt")
            if ext.lower() not in (".png", ".jpg", ".jpeg") or not os.path.exists(text_path):
                continue
            with open(text_path, "rb") as f:
                raw = f.read()
            try:
                text = raw.decode("ascii").strip()
            except UnicodeDecodeError:
                continue
            if text and len(text) <= 200 and text.isprintable():
                photos.append((text, ImageOps.grayscale(Image.open(os.path.join(folder, name)))))
    return photos


def draw_photo(canvas, centre, tube, photo, g):
    """A photograph on the tube's flat bottom, fitted into it, at the tube's angle and mirrored
    like a drawn code (printed to be read from below)."""
    pixels = np.asarray(photo, dtype=np.float32)
    k = 2 * g.face / math.hypot(*pixels.shape)  # the photo's diagonal spans the face
    region, inside, values = sample_sprite(
        canvas, translate(*centre) @ rotate(tube.angle) @ scale(-k, k), pixels)
    if region is None:
        return
    patch = canvas.pixels[region].astype(np.float32)
    patch[inside] = values
    canvas.pixels[region] = np.clip(patch + 0.5, 0, 255)


def render_rack(canvas, rows, cols, g, look, tubes, matrices, module, dot, rng, photos):
    canvas.polygon(plate_outline(rows, cols, g), look.skirt)
    canvas.polygon(plate_outline(rows, cols, g, inset=g.skirt), look.plate)
    shadow = min(look.plate, look.face) * 0.35
    for (r, c), tube in tubes.items():
        canvas.disc((c, r), g.hole, shadow)
        if tube.state == "empty":
            canvas.disc((c, r), g.hole - g.gap, (look.plate + look.empty_fill) / 2)  # inner wall
            canvas.disc((c, r), g.hole * 0.85, look.empty_fill)
        else:
            canvas.disc((c, r), g.hole - g.gap, look.rim + tube.shade)
            canvas.disc((c, r), g.face, look.face + tube.shade)
    canvas.start_raster()
    if g.label:
        font_px = max(8, int(g.label * canvas.per_pitch / 0.73))  # cap height ~0.73 em
        font = (ImageFont.truetype(FONT, font_px) if os.path.exists(FONT)
                else ImageFont.load_default())
        for r in range(rows):
            draw_label(canvas, ROW_LETTERS[r], (-(g.hole + g.margin_x) / 2, r), g.label,
                       look.label, font)
        for c in range(cols):
            draw_label(canvas, str(c + 1), (c, -(g.hole + g.margin_y) / 2), g.label,
                       look.label, font)
    for (r, c), tube in tubes.items():
        if tube.code in photos:
            draw_photo(canvas, (c, r), tube, photos[tube.code], g)
        elif tube.state != "empty":
            draw_code(canvas, (c, r), tube, matrices[tube.code], module, look, dot, rng)
        if tube.state == "unreadable" and tube.spoil == "frost":
            draw_frost(canvas, (c, r), module * len(matrices[tube.code]), g, rng)


# ---------------------------------------------------------------------------------------------
# Camera effects on the output picture.

def camera_effects(image, look, glare_spots, rng):
    pixels = np.asarray(image, dtype=np.float32).copy()
    height, width = pixels.shape
    y, x = np.ogrid[:height, :width]
    if look.vignette or look.gradient:
        nx, ny = (x - width / 2) / (width / 2), (y - height / 2) / (height / 2)
        pixels *= (1 - look.vignette * (nx * nx + ny * ny) / 2
                   + look.gradient * (math.cos(look.gradient_dir) * nx
                                      + math.sin(look.gradient_dir) * ny) / 2)
    for cx, cy, sigma, strength in glare_spots:
        # Blends towards white by at most ~55 %, so codes under glare keep some contrast.
        x0, x1 = max(0, int(cx - 3 * sigma)), min(width, int(cx + 3 * sigma) + 1)
        y0, y1 = max(0, int(cy - 3 * sigma)), min(height, int(cy + 3 * sigma) + 1)
        if x0 < x1 and y0 < y1:
            d2 = (x[:, x0:x1] - cx) ** 2 + (y[y0:y1] - cy) ** 2
            patch = pixels[y0:y1, x0:x1]
            patch += strength * (255 - patch) * np.exp(-d2 / (2 * sigma * sigma))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if look.blur > 0.05:
        image = image.filter(ImageFilter.GaussianBlur(look.blur))
    if look.noise > 0:
        pixels = np.asarray(image, dtype=np.float32)
        pixels = pixels + look.noise * rng.standard_normal((height, width), np.float32)
        image = Image.fromarray(np.clip(pixels + 0.5, 0, 255).astype(np.uint8))
    if look.jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=look.jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return image


def draw_glare(rng, look, centres, pitch):
    picks = rng.choice(len(centres), size=look.glare)
    return [(centres[i][0] + rng.uniform(-0.3, 0.3) * pitch,
             centres[i][1] + rng.uniform(-0.3, 0.3) * pitch,
             rng.uniform(0.08, 0.2) * pitch, rng.uniform(0.3, 0.55)) for i in picks]


# ---------------------------------------------------------------------------------------------
# One picture and its truth.

def a1_corner(centres, a1):
    mean = centres.mean(0)
    return ("top" if a1[1] < mean[1] else "bottom") + "_" + ("left" if a1[0] < mean[0] else "right")


_photo_cache = {}


def PHOTOS(dirs):
    """load_photos, once per process (a batch draws many pictures)."""
    if dirs not in _photo_cache:
        _photo_cache[dirs] = load_photos(dirs)
    return _photo_cache[dirs]


def render_picture(args, index):
    rng = np.random.default_rng([args.seed, index])
    rows, cols = args.rows, args.columns
    p = draw_params(args, rng)
    codes = make_codes(rng, rows * cols, args.codes)
    matrices = {code: module_matrix(code) for code in codes}
    largest = max(len(m) for m in matrices.values())
    g = draw_geometry(args, rng, largest)
    look = draw_look(args, rng, p["difficulty"])
    tubes = draw_tubes(rng, rows, cols, p, codes)
    module = g.code / (largest + 2 * QUIET_MODULES)
    photos = {}
    if args.photos:
        # Real photographs on readable tubes, each text once in the rack (one of its photos).
        by_text = {}
        for text, image in PHOTOS(args.photos):
            by_text.setdefault(text, []).append(image)
        pool = [(t, ims[rng.integers(len(ims))]) for t, ims in sorted(by_text.items())
                if t not in codes]
        readable = [tube for tube in tubes.values() if tube.state == "code"]
        for k in rng.permutation(len(readable))[:len(pool)]:
            text, image = pool[len(photos)]
            readable[k].code = text
            photos[text] = image

    to_picture, size = bottom_view_transform(rows, cols, p, g)
    canvas = Canvas(size, p["pitch"], to_picture, look.background)
    render_rack(canvas, rows, cols, g, look, tubes, matrices, module,
                look.dot if args.dots else 0.0, rng, photos)
    wells = sorted(tubes)
    centres = project(to_picture, [(c, r) for r, c in wells])
    image = camera_effects(canvas.picture(), look, draw_glare(rng, look, centres, p["pitch"]), rng)
    if args.view == "top":
        image = ImageOps.mirror(image)
        centres[:, 0] = size[0] - 1 - centres[:, 0]
    if args.canvas:
        image, offset = placed_in_canvas(image, args.canvas, rng)
        centres = centres + offset
        size = tuple(args.canvas)

    def well_truth(tube, centre):
        entry = {"state": tube.state}
        if tube.state != "empty":
            entry["code"] = tube.code
        entry["center"] = [round(float(centre[0]), 2), round(float(centre[1]), 2)]
        return entry

    truth = {
        "rows": rows, "columns": cols, "view": args.view,
        "rotation": p["rotation"], "skew": p["skew"], "perspective": p["perspective"],
        "pitch": p["pitch"], "width": size[0], "height": size[1],
        "a1_corner": a1_corner(centres, centres[wells.index((0, 0))]),
        "wells": {f"{ROW_LETTERS[r]}{c + 1}": well_truth(tubes[(r, c)], centre)
                  for (r, c), centre in zip(wells, centres)},
        "seed": args.seed, "index": index, "difficulty": p["difficulty"],
        "module_px": round(module * p["pitch"], 2),
        "options": {"codes": args.codes, "light_on_dark": args.light_on_dark, "dots": args.dots,
                    "labels": args.labels, "chamfer": not args.no_chamfer,
                    "empty_edge": p["empty_edge"], "photos": len(photos)},
    }
    return image, truth


def placed_in_canvas(image, canvas_size, rng):
    """The picture somewhere in a larger one (a camera with a wider view): the rest is the
    picture's border, its grey level and its noise. Returns it and the offset (x, y)."""
    pixels = np.asarray(image, dtype=np.float32)
    border = np.concatenate([pixels[:4].ravel(), pixels[-4:].ravel(),
                             pixels[:, :4].ravel(), pixels[:, -4:].ravel()])
    width, height = canvas_size
    if width < pixels.shape[1] or height < pixels.shape[0]:
        sys.exit(f"--canvas {width} {height} is smaller than the picture "
                 f"({pixels.shape[1]} x {pixels.shape[0]})")
    out = rng.normal(np.median(border), max(1.0, float(np.std(border))), (height, width))
    x = int(rng.integers(0, width - pixels.shape[1] + 1))
    y = int(rng.integers(0, height - pixels.shape[0] + 1))
    out[y:y + pixels.shape[0], x:x + pixels.shape[1]] = pixels
    return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8)), np.array([x, y])


def write_picture(args, index, png, truth_path):
    image, truth = render_picture(args, index)
    image.save(png, compress_level=1)  # test data: speed over size
    with open(truth_path, "w") as f:
        f.write(truth_json(truth))


def truth_json(truth):
    """Indented JSON with one line per well."""
    head = json.dumps({k: v for k, v in truth.items() if k != "wells"}, indent=1)
    wells = ",\n".join(f"  {json.dumps(name)}: {json.dumps(well)}"
                       for name, well in truth["wells"].items())
    return head[:-2] + ',\n "wells": {\n' + wells + "\n }\n}\n"


# ---------------------------------------------------------------------------------------------
# Command line.

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Unset per-picture options are drawn from the seed.")
    out = ap.add_argument_group("output (one picture, or a batch)")
    out.add_argument("--out", help="PNG to write")
    out.add_argument("--truth", help="truth JSON to write (default: --out with .json)")
    out.add_argument("--batch", type=int,
                     help="write N pictures rack_000.png/.json ... to --out-dir")
    out.add_argument("--out-dir", help="directory for --batch")
    out.add_argument("--seed", type=int, default=1, help="default 1")
    ap.add_argument("--rows", type=int, default=8, help="default 8")
    ap.add_argument("--columns", type=int, default=12, help="default 12")
    ap.add_argument("--view", choices=("bottom", "top"), default="bottom",
                    help="bottom (default): the camera's raw picture; top: it mirrored")
    ap.add_argument("--difficulty", choices=DIFFICULTIES, help="default: drawn per picture")
    ap.add_argument("--pitch", type=float, help="well pitch in pixels (50..300)")
    ap.add_argument("--pitch-range", type=float, nargs=2, default=(60, 200), metavar=("MIN", "MAX"),
                    help="range the pitch is drawn from (default 60 200)")
    ap.add_argument("--rotation", type=int, choices=(0, 90, 180, 270),
                    help="clockwise, of the top view")
    ap.add_argument("--rotations", default="0,90,180,270",
                    help="comma list the rotation is drawn from (default all four)")
    ap.add_argument("--skew", type=float, help="degrees, added to the rotation")
    ap.add_argument("--max-skew", type=float, default=4.0,
                    help="skew drawn from +-this (default 4)")
    ap.add_argument("--perspective", type=float, help="homography strength, 0..0.05")
    ap.add_argument("--max-perspective", type=float, default=0.02,
                    help="perspective drawn from 0..this (default 0.02)")
    ap.add_argument("--codes", choices=("numeric", "mixed"), default="numeric",
                    help="10-digit numbers only (default), or ~30 %% like FR24-001234 too")
    ap.add_argument("--empty-fraction", type=float, help="default: drawn from 0..0.3")
    ap.add_argument("--empty-edge", choices=EDGES + ("random",),
                    help="a whole edge row/column left empty (default none)")
    ap.add_argument("--unreadable-fraction", type=float,
                    help="tubes with frosted or smeared codes (default: drawn, none when clean, "
                         "up to 0.03 medium, 0.01..0.06 hard)")
    ap.add_argument("--light-on-dark", action="store_true",
                    help="light modules on dark tube bottoms")
    ap.add_argument("--dots", action="store_true", help="round dots instead of square modules")
    ap.add_argument("--labels", action="store_true",
                    help="row letters and column numbers on the plate")
    ap.add_argument("--no-chamfer", action="store_true", help="square A1 corner")
    ap.add_argument("--canvas", type=int, nargs=2, metavar=("WIDTH", "HEIGHT"),
                    help="place the picture in a larger one of this size (a wider view)")
    ap.add_argument("--photos", help="comma list of directories of real DataMatrix photographs "
                                     "(image + .txt) to put on tube bottoms")
    args = ap.parse_args(argv)
    args.rotations = [int(r) for r in args.rotations.split(",")]
    if args.empty_edge is None:
        args.empty_edge = "none"
    if not 1 <= args.rows <= len(ROW_LETTERS) or args.columns < 1:
        ap.error("rows must be 1..26 and columns at least 1")
    if any(r not in (0, 90, 180, 270) for r in args.rotations):
        ap.error("--rotations takes multiples of 90")
    if args.batch is None and not args.out:
        ap.error("give --out (and --truth), or --batch N --out-dir DIR")
    if args.batch is not None and not args.out_dir:
        ap.error("--batch needs --out-dir")
    return args


def main(argv):
    args = parse_args(argv)
    if args.batch is None:
        write_picture(args, 0, args.out, args.truth or os.path.splitext(args.out)[0] + ".json")
        return
    os.makedirs(args.out_dir, exist_ok=True)
    digits = max(3, len(str(args.batch - 1)))
    for i in range(args.batch):
        stem = os.path.join(args.out_dir, f"rack_{i:0{digits}d}")
        write_picture(args, i, stem + ".png", stem + ".json")


if __name__ == "__main__":
    main(sys.argv[1:])
