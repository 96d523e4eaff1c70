#!/usr/bin/env node
// Reads a rack picture with plain ZXing (zxing-wasm) over the WHOLE picture and compares the
// DataMatrix codes it finds with the truth written by rack_scene.py. An independent check of
// the generator, and the "plain ZXing" baseline for rack-reader benchmarks.
//
// usage: node rack_scene_check.mjs PICTURE.png TRUTH.json
// prints {"found", "present", "misplaced", "unreadable_decoded", "mirrored", "ms", "missing"}:
//   present    wells whose state is "code"
//   found      of those, decoded within 0.3 pitch of the truth's well centre
//   misplaced  decoded codes farther than that from their well, or not in the truth at all
//   unreadable_decoded  codes of wells the truth calls unreadable that were decoded anyway
//   mirrored   decoded codes that ZXing saw mirrored (expected: none in bottom views, all in top)
//   missing    the wells with state "code" that were not found
//   ms         decode time (PNG decoding inside zxing-wasm included)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBarcodes, prepareZXingModule } from 'zxing-wasm/reader';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasm = path.join(here, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm');

const [picturePath, truthPath] = process.argv.slice(2);
if (!picturePath || !truthPath) {
  console.error('usage: node rack_scene_check.mjs PICTURE.png TRUTH.json');
  process.exit(2);
}

// Load the wasm from node_modules rather than letting zxing-wasm fetch it from a CDN.
await prepareZXingModule({
  overrides: { wasmBinary: fs.readFileSync(wasm) },
  fireImmediately: true,
});

const truth = JSON.parse(fs.readFileSync(truthPath, 'utf8'));
const wellOf = new Map(Object.values(truth.wells).filter((w) => w.code).map((w) => [w.code, w]));
const picture = new Uint8Array(fs.readFileSync(picturePath));

const start = performance.now();
const results = await readBarcodes(picture, {
  formats: ['DataMatrix'],
  tryHarder: true,
  maxNumberOfSymbols: 255,
});
const ms = performance.now() - start;

const centre = ({ topLeft, topRight, bottomRight, bottomLeft }) => [
  (topLeft.x + topRight.x + bottomRight.x + bottomLeft.x) / 4,
  (topLeft.y + topRight.y + bottomRight.y + bottomLeft.y) / 4,
];

const found = new Set();
let misplaced = 0;
let unreadableDecoded = 0;
let mirrored = 0;
for (const r of results.filter((result) => result.isValid)) {
  mirrored += r.isMirrored ? 1 : 0;
  const well = wellOf.get(r.text);
  const [x, y] = centre(r.position);
  if (!well || Math.hypot(x - well.center[0], y - well.center[1]) > 0.3 * truth.pitch) {
    misplaced++;
  } else if (well.state === 'unreadable') {
    unreadableDecoded++;
  } else {
    found.add(r.text);
  }
}

const codeWells = Object.entries(truth.wells).filter(([, w]) => w.state === 'code');
console.log(JSON.stringify({
  found: found.size,
  present: codeWells.length,
  misplaced,
  unreadable_decoded: unreadableDecoded,
  mirrored,
  ms: Math.round(ms),
  missing: codeWells.filter(([, w]) => !found.has(w.code)).map(([name]) => name),
}));
