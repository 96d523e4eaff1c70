#!/usr/bin/env node
// End-to-end: labels checked by parts that are not ours. Every shipped template at 203, 300 and
// 600 dpi is rendered by lims-label-render to ZPL and PNG; the ZPL is drawn by an independent
// ZPL renderer (npm zpl-renderer-js) and every barcode on that picture and on our PNG preview is
// read by an independent decoder (npm zxing-wasm, its wasm loaded from node_modules; zbarimg as
// a second reader for Code 128): the decoded texts must be exactly the intended ones. Hostile
// field contents must print literally. Then a real lims-server prints three tubes to a Node TCP
// listener standing in for a Zebra on port 9100, and the bytes it receives are checked the same
// way: one label per tube, each decoding to its tube.
// Usage: node labels_verify.mjs PATH_TO_LIMS_SERVER PATH_TO_LIMS_LABEL_RENDER
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import {
  LimsServer, bearer, callWith, grpc, here, lims, passedSteps, requireTool, sleep, step,
} from './harness.mjs';

const [serverPath, renderPath] = process.argv.slice(2);
if (!serverPath || !renderPath) {
  console.error('usage: node labels_verify.mjs PATH_TO_LIMS_SERVER PATH_TO_LIMS_LABEL_RENDER');
  process.exit(2);
}

const { ready } = requireTool('zpl-renderer-js');
const zxing = requireTool('zxing-wasm/reader');
// The wasm from node_modules: zxing-wasm would otherwise fetch it from the network.
const wasmPath = path.join(here, '..', 'tools', 'node_modules', 'zxing-wasm', 'dist', 'reader',
  'zxing_reader.wasm');
const wasm = fs.readFileSync(wasmPath);
zxing.prepareZXingModule({
  overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
});
const { api: zpl } = await ready;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lims-labels-'));
const DPMM = { 203: 8, 300: 12, 600: 24 };
const SIZES = { cryotube: [32, 13], box: [57, 32], shipment: [100, 150] };

// Every code zxing-wasm finds in a PNG, as "Format:text", sorted.
async function decode(png) {
  const found = await zxing.readBarcodes(new Blob([png]), { formats: [], tryHarder: true });
  return found.filter((r) => r.isValid).map((r) => `${r.format}:${r.text}`).sort();
}

// zbarimg's reading of the 1D codes (it reads no DataMatrix).
function zbarCode128(png) {
  const file = path.join(tmp, `zbar-${process.hrtime.bigint()}.png`);
  fs.writeFileSync(file, png);
  const out = spawnSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Scode128.enable', file],
    { encoding: 'utf8' });
  if (out.error) throw new Error(`zbarimg: ${out.error.message} (install zbar-tools)`);
  return out.stdout.split('\n').filter(Boolean).sort();
}

async function renderZpl(text, template, dpi) {
  const [w, h] = SIZES[template];
  return Buffer.from(await zpl.zplToBase64Async(text, w, h, DPMM[dpi]), 'base64');
}

const tube = {
  barcode: 'PSL26-000123-K', sample_type: 'SER', sample_type_name: 'Sérum', quantity: '0.5 mL',
  patient_registry_id: 'MATHEC-0042', protocol_code: 'CART-SLE', timepoint_code: 'M3',
  collected_date: '2026-04-16', site_code: 'PSL', sprec: 'SER-SST-A-X-X-X-X',
};
const cases = [
  { template: 'cryotube', values: tube, codes: ['DataMatrix:PSL26-000123-K'] },
  { template: 'cryotube', values: { ...tube, barcode: '1234567890' }, codes: ['DataMatrix:1234567890'] },
  {
    template: 'box',
    values: {
      box_code: 'BOX-42', box_name: 'B-0042', box_layout: '9 x 9', site_code: 'LYO',
      box_path: 'Site LYO / Lyon Hôpital Édouard-Herriot / Congélateur -80 °C / B-0042',
    },
    codes: ['Code128:BOX-42', 'DataMatrix:BOX-42'],
  },
  {
    template: 'shipment',
    values: {
      shipment_code: 'SHP-PSL-000007', from_site: 'PSL Paris Saint-Louis',
      destination: 'Lyon Hôpital Édouard-Herriot', packaging: 'Dry ice (UN1845), 5 kg',
      courier: 'World Courier', tracking_number: 'WC-123456789', logger_id: 'LOG-88',
      item_count: '96', dispatch_date: '2026-05-02',
    },
    codes: ['Code128:SHP-PSL-000007', 'DataMatrix:SHP-PSL-000007'],
  },
];

function renderWithTool(template, values, dpi, name) {
  const valuesFile = path.join(tmp, `${name}.json`);
  fs.writeFileSync(valuesFile, JSON.stringify(values));
  const zplFile = path.join(tmp, `${name}.zpl`);
  const pngFile = path.join(tmp, `${name}.png`);
  execFileSync(renderPath, ['--template', template, '--values', valuesFile, '--dpi', String(dpi),
    '--zpl', zplFile, '--png', pngFile]);
  return { zplText: fs.readFileSync(zplFile, 'utf8'), preview: fs.readFileSync(pngFile) };
}

for (const c of cases) {
  for (const dpi of [203, 300, 600]) {
    const name = `${c.template}-${c.values.barcode ?? ''}-${dpi}`;
    await step(`${c.template} ${c.codes[0]} at ${dpi} dpi: renderer and preview decode exactly`, async () => {
      const { zplText, preview } = renderWithTool(c.template, c.values, dpi, name);
      const rendered = await renderZpl(zplText, c.template, dpi);
      fs.writeFileSync(path.join(tmp, `${name}.rendered.png`), rendered);
      assert.deepEqual(await decode(rendered), c.codes, 'independent ZPL renderer');
      assert.deepEqual(await decode(preview), c.codes, 'our PNG preview');
      const ones = c.codes.filter((x) => x.startsWith('Code128:')).map((x) => x.slice(8));
      if (ones.length) {
        assert.deepEqual(zbarCode128(rendered), ones, 'zbarimg on the rendered ZPL');
        assert.deepEqual(zbarCode128(preview), ones, 'zbarimg on the preview');
      }
    });
  }
}

await step('hostile field contents print literally, inside one label format', async () => {
  const hostile = { ...tube, patient_registry_id: '^XZ~JA^FD', sample_type_name: '_5E' };
  const { zplText } = renderWithTool('cryotube', hostile, 300, 'hostile');
  assert.equal(zplText.match(/\^XA/g).length, 1);
  assert.equal(zplText.match(/\^XZ/g).length, 1);
  assert.ok(!zplText.includes('~'), 'no raw ~ reaches the printer');
  assert.ok(zplText.includes('_5EXZ_7EJA_5EFD M3'));
  // The renderer draws one label and the tube's code still decodes.
  const rendered = await zpl.zplToBase64MultipleAsync(zplText, 32, 13, 12);
  assert.equal(rendered.length, 1);
  assert.deepEqual(await decode(Buffer.from(rendered[0], 'base64')), ['DataMatrix:PSL26-000123-K']);
});

// A Zebra on "port 9100": records what each connection sends.
function startPrinter() {
  const jobs = [];
  const server = net.createServer((socket) => {
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => jobs.push(Buffer.concat(chunks).toString('utf8')));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, jobs })));
}

const server = new LimsServer(serverPath, path.join(tmp, 'labels.db'), path.join(tmp, 'server.log'));
try {
  const address = await server.start();
  const token = await server.adminToken();
  const creds = grpc.credentials.createInsecure();
  const c = {
    registry: new lims.RegistryService(address, creds),
    samples: new lims.SampleService(address, creds),
    labels: new lims.LabelService(address, creds),
  };
  const call = (client, method, request) => callWith(bearer(token), client, method, request, 20000);
  for (let i = 0; ; i += 1) {
    try {
      await call(c.registry, 'ListSites', {});
      break;
    } catch (err) {
      server.throwIfExited();
      if (i > 200) throw err;
      await sleep(100);
    }
  }
  const printer = await startPrinter();
  const tubes = await step('a site, a patient, a protocol and three collected tubes', async () => {
    await call(c.registry, 'CreateSite', { code: 'LYO', name: 'Lyon Hôpital Édouard-Herriot' });
    const { patient } = await call(c.registry, 'CreatePatient', { registry_id: 'MATHEC-0042', site_code: 'LYO' });
    await call(c.registry, 'CreateProtocol', {
      code: 'CART-SLE', name: 'CAR-T lupus',
      timepoints: [{ code: 'M3', offset_days: 90, window_before_days: 14, window_after_days: 14 }],
    });
    const { enrollment } = await call(c.registry, 'EnrollPatient', {
      patient_id: patient.id, protocol_code: 'CART-SLE', anchor_date: '2026-01-15',
    });
    const out = [];
    for (let i = 0; i < 3; i += 1) {
      const { sample } = await call(c.samples, 'CollectSample', {
        enrollment_id: enrollment.id, timepoint_code: 'M3', sample_type: 'SER',
        quantity: { value: 0.5, unit: 'mL' }, collected_at: { seconds: 1776331800 },
      });
      out.push(sample.barcode);
    }
    return out;
  });

  await step('PreviewLabel: the server\'s ZPL and PNG decode to the tube', async () => {
    for (const dpi of [203, 300, 600]) {
      const preview = await call(c.labels, 'PreviewLabel', { barcode: tubes[0], dpi });
      assert.deepEqual(await decode(Buffer.from(preview.png)), [`DataMatrix:${tubes[0]}`]);
      assert.deepEqual(await decode(await renderZpl(preview.zpl, 'cryotube', dpi)), [`DataMatrix:${tubes[0]}`]);
    }
  });

  await step('PrintLabels to a loopback printer: one label per tube, each decoding to its tube', async () => {
    await call(c.labels, 'RegisterPrinter', {
      name: 'bench-1', uri: `tcp://127.0.0.1:${printer.server.address().port}`, dpi: 300,
      label_stock: 'cryotube',
    });
    const printed = await call(c.labels, 'PrintLabels', { barcodes: tubes, printer: 'bench-1' });
    assert.equal(printed.labels_printed, 3);
    for (let i = 0; i < 50 && printer.jobs.length < 1; i += 1) await sleep(100);
    assert.equal(printer.jobs.length, 1);
    const labels = await zpl.zplToBase64MultipleAsync(printer.jobs[0], 32, 13, 12);
    assert.equal(labels.length, 3);
    const decoded = [];
    for (const png of labels) decoded.push(...(await decode(Buffer.from(png, 'base64'))));
    assert.deepEqual(decoded, tubes.map((t) => `DataMatrix:${t}`));
  });

  await step('an unreachable printer answers UNAVAILABLE at once', async () => {
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, '127.0.0.1', r));
    const port = closed.address().port;
    await new Promise((r) => closed.close(r));
    await call(c.labels, 'RegisterPrinter', { name: 'off', uri: `tcp://127.0.0.1:${port}`, dpi: 203, label_stock: 'cryotube' });
    await assert.rejects(call(c.labels, 'PrintLabels', { barcodes: [tubes[0]], printer: 'off', reason: 'test' }),
      (err) => err.code === grpc.status.UNAVAILABLE && /cannot be reached/.test(err.details));
  });
  printer.server.close();
} finally {
  await server.stop();
}
console.log(`1..${passedSteps()}`);
fs.rmSync(tmp, { recursive: true, force: true });
