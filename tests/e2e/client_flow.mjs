#!/usr/bin/env node
// End-to-end test from another language: a Node.js client written from proto/ alone drives a
// real lims-server process through the whole life of a tube, from collection to a freezer box,
// and checks every answer. Usage: node client_flow.mjs PATH_TO_LIMS_SERVER
//
// It starts its own server (temporary SQLite database, a port the kernel picks), authenticates every
// call with the admin token the server writes next to its database on first start, checks that
// calls without a valid token or outside the caller's sites are refused, and stops the server with
// SIGTERM at the end, expecting a clean exit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  LimsServer, bearer, callWith, grpc, here, lims, loadProtos, passedSteps, serverPathFromArgs,
  sleep, step,
} from './harness.mjs';

const serverPath = serverPathFromArgs('client_flow.mjs');
const healthPkg = loadProtos('health.proto', here).grpc.health.v1;
const reflectionPkg = loadProtos('reflection.proto', here).grpc.reflection.v1alpha;

// The admin's token and metadata, set once the server has written the admin token file.
let adminToken = null;
let adminMetadata = null;
const ADMIN = 'admin';

// A unary call as the admin (health checks and reflection need no token, but get it too).
function call(client, method, request, deadlineMs = 10000) {
  return callWith(adminMetadata ?? new grpc.Metadata(), client, method, request, deadlineMs);
}

// Expects the call to fail with `code`; returns the error for further checks.
async function expectStatus(promise, code, what) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.code, code, `${what}: expected status ${code}, got ${err.code} (${err.details})`);
    return err;
  }
  assert.fail(`${what}: expected status ${code}, but the call succeeded`);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lims-e2e-'));
const logPath = path.join(tmp, 'server.log');
const server = new LimsServer(serverPath, path.join(tmp, 'e2e.db'), logPath);
const adminTokenPath = server.adminTokenPath;

function clientsFor(address) {
  // Short reconnect back-off: the first attempts hit a server that is still starting.
  const options = {
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 500,
  };
  const creds = grpc.credentials.createInsecure();
  return {
    registry: new lims.RegistryService(address, creds, options),
    samples: new lims.SampleService(address, creds, options),
    storage: new lims.StorageService(address, creds, options),
    users: new lims.UserService(address, creds, options),
    health: new healthPkg.Health(address, creds, options),
    reflection: new reflectionPkg.ServerReflection(address, creds, options),
  };
}

async function waitServing(health) {
  const deadline = Date.now() + 20000;
  let lastError;
  while (Date.now() < deadline) {
    server.throwIfExited();
    try {
      const res = await call(health, 'Check', { service: '' }, 1000);
      if (res.status === 'SERVING') return res;
      lastError = new Error(`health status ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await sleep(100);
  }
  throw new Error(`lims-server did not become ready in 20 s: ${lastError?.message}`);
}

// The admin token the server wrote on first start: private to the server's user, one word.
async function readAdminToken() {
  const token = await server.adminToken();
  const mode = fs.statSync(adminTokenPath).mode & 0o777;
  assert.equal(mode.toString(8), '600', `${adminTokenPath} is private to the server's user`);
  assert.match(token, /^[\x21-\x7e]+$/, 'the token is one word of printable ASCII');
  return token;
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86400 * 1000;

async function flow(c) {
  await step('a call without a token is refused with UNAUTHENTICATED', async () => {
    await expectStatus(
      callWith(new grpc.Metadata(), c.registry, 'ListSites', {}),
      grpc.status.UNAUTHENTICATED,
      'ListSites without authorization metadata',
    );
  });

  await step('a call with a forged token is refused with UNAUTHENTICATED', async () => {
    await expectStatus(
      callWith(bearer('lims_forged-token-that-was-never-issued'), c.samples, 'ResolveBarcode', {
        barcode: 'NODE26-000001-X',
      }),
      grpc.status.UNAUTHENTICATED,
      'ResolveBarcode with a forged token',
    );
  });

  await step('WhoAmI with the admin token answers the admin', async () => {
    const { user } = await call(c.users, 'WhoAmI', {});
    assert.equal(user.username, ADMIN);
    assert.equal(user.role, 'ROLE_ADMIN');
  });

  await step('grpc.health.v1.Health/Check answers SERVING', async () => {
    const res = await call(c.health, 'Check', { service: '' });
    assert.equal(res.status, 'SERVING');
  });

  await step('server reflection lists the LIMS services', async () => {
    const names = await new Promise((resolve, reject) => {
      const stream = c.reflection.ServerReflectionInfo();
      stream.on('data', (res) => {
        resolve(res.list_services_response.service.map((s) => s.name));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ list_services: '' });
    });
    for (const service of ['lims.v1.RegistryService', 'lims.v1.SampleService', 'lims.v1.StorageService',
      'lims.v1.UserService']) {
      assert.ok(names.includes(service), `${service} missing from ${names.join(', ')}`);
    }
  });

  await step('CreateSite', async () => {
    const { site } = await call(c.registry, 'CreateSite', { code: 'NODE', name: 'Node.js e2e biobank' });
    assert.equal(site.code, 'NODE');
    assert.equal(site.name, 'Node.js e2e biobank');
  });

  const patient = await step('CreatePatient', async () => {
    const res = await call(c.registry, 'CreatePatient', { registry_id: 'MATHEC-0042', site_code: 'NODE' });
    assert.ok(res.patient.id, 'patient id is set');
    assert.equal(res.patient.registry_id, 'MATHEC-0042');
    assert.equal(res.patient.site_code, 'NODE');
    return res.patient;
  });

  await step('CreateProtocol with a schedule', async () => {
    const timepoints = [
      { code: 'BASELINE', offset_days: -7, window_before_days: 7, window_after_days: 7,
        expected_samples: [{ sample_type: 'SER', count: 1 }] },
      { code: 'D0', offset_days: 0, window_before_days: 0, window_after_days: 1, expected_samples: [] },
      { code: 'M3', offset_days: 90, window_before_days: 14, window_after_days: 14,
        expected_samples: [{ sample_type: 'SER', count: 1 }, { sample_type: 'BLD', count: 2 }] },
    ];
    const { protocol } = await call(c.registry, 'CreateProtocol', {
      code: 'CART-SLE', name: 'CAR-T in systemic lupus', timepoints,
    });
    assert.equal(protocol.code, 'CART-SLE');
    assert.deepEqual(protocol.timepoints.map((t) => t.code), ['BASELINE', 'D0', 'M3']);
    const m3 = protocol.timepoints[2];
    assert.equal(m3.offset_days, 90);
    assert.deepEqual(
      m3.expected_samples.map((e) => [e.sample_type, e.count]),
      [['SER', 1], ['BLD', 2]],
    );
  });

  // Infusion (D0) in a week: BASELINE (D-7) is due today, so a collection now is in its window.
  const anchorDate = isoDay(Date.now() + 7 * DAY_MS);
  const enrollment = await step('EnrollPatient', async () => {
    const { enrollment } = await call(c.registry, 'EnrollPatient', {
      patient_id: patient.id, protocol_code: 'CART-SLE', anchor_date: anchorDate,
    });
    assert.ok(enrollment.id, 'enrollment id is set');
    assert.equal(enrollment.patient_id, patient.id);
    assert.equal(enrollment.protocol_code, 'CART-SLE');
    assert.equal(enrollment.anchor_date, anchorDate);
    return enrollment;
  });

  const serum = await step('CollectSample 4 mL serum at BASELINE', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const { sample } = await call(c.samples, 'CollectSample', {
      enrollment_id: enrollment.id, timepoint_code: 'BASELINE', sample_type: 'SER',
      quantity: { value: 4, unit: 'mL' }, collected_at: { seconds: nowSeconds, nanos: 0 },
    });
    assert.ok(sample.barcode, 'a barcode was minted');
    assert.equal(sample.parent_barcode, '');
    assert.equal(sample.sample_type, 'SER');
    // Volumes are answered in uL.
    assert.deepEqual({ ...sample.quantity }, { value: 4000, unit: 'uL' });
    assert.equal(sample.patient_registry_id, 'MATHEC-0042');
    assert.equal(sample.protocol_code, 'CART-SLE');
    assert.equal(sample.timepoint_code, 'BASELINE');
    assert.equal(sample.out_of_window, false);
    assert.equal(sample.collected_at.seconds, String(nowSeconds));
    return sample;
  });

  const aliquots = await step('DeriveSamples 4 aliquots of 500 uL', async () => {
    const res = await call(c.samples, 'DeriveSamples', {
      parent_barcode: serum.barcode, sample_type: 'SER', count: 4,
      quantity_each: { value: 500, unit: 'uL' },
    });
    assert.equal(res.samples.length, 4);
    const barcodes = new Set(res.samples.map((s) => s.barcode));
    assert.equal(barcodes.size, 4, 'four distinct barcodes');
    assert.ok(!barcodes.has(serum.barcode), 'aliquots do not reuse the parent barcode');
    for (const s of res.samples) {
      assert.equal(s.parent_barcode, serum.barcode);
      assert.equal(s.sample_type, 'SER');
      assert.deepEqual({ ...s.quantity }, { value: 500, unit: 'uL' });
      assert.equal(s.patient_registry_id, 'MATHEC-0042');
      assert.equal(s.timepoint_code, 'BASELINE');
    }
    if (res.parent) {
      assert.equal(res.parent.barcode, serum.barcode);
      assert.deepEqual({ ...res.parent.quantity }, { value: 2000, unit: 'uL' }, 'parent keeps 4 mL - 4 x 0.5 mL');
    }
    return res.samples;
  });

  // The storage tree: site → room → freezer → rack → 9×9 box.
  const units = {};
  const tree = [
    ['site', 'STORAGE_KIND_SITE', 'NODE', null],
    ['room', 'STORAGE_KIND_ROOM', 'Room 1', 'site'],
    ['freezer', 'STORAGE_KIND_FREEZER', 'F-01', 'room'],
    ['rack', 'STORAGE_KIND_RACK', 'R2', 'freezer'],
    ['box', 'STORAGE_KIND_BOX', 'B-0042', 'rack'],
  ];
  for (const [key, kind, name, parentKey] of tree) {
    units[key] = await step(`CreateStorageUnit ${kind} ${name}`, async () => {
      const isBox = kind === 'STORAGE_KIND_BOX';
      const { unit } = await call(c.storage, 'CreateStorageUnit', {
        parent_id: parentKey ? units[parentKey].id : '', kind, name,
        rows: isBox ? 9 : 0, columns: isBox ? 9 : 0,
      });
      assert.ok(unit.id, 'unit id is set');
      assert.equal(unit.kind, kind);
      assert.equal(unit.name, name);
      assert.equal(unit.parent_id, parentKey ? units[parentKey].id : '');
      assert.ok(unit.path.includes(name), `path "${unit.path}" names the unit`);
      if (isBox) {
        assert.equal(unit.rows, 9);
        assert.equal(unit.columns, 9);
      }
      return unit;
    });
  }
  const box = units.box;

  await step('PlaceSample aliquot into A1', async () => {
    const { placement } = await call(c.storage, 'PlaceSample', {
      barcode: aliquots[0].barcode, box_id: box.id, position: 'A1',
    });
    assert.equal(placement.barcode, aliquots[0].barcode);
    assert.equal(placement.location.box_id, box.id);
    assert.equal(placement.location.position, 'A1');
    assert.equal(placement.location.position_number, 1);
  });

  await step('ResolveBarcode as a scanner types it (trailing Enter)', async () => {
    const res = await call(c.samples, 'ResolveBarcode', { barcode: `${aliquots[0].barcode}\r\n` });
    assert.equal(res.sample.barcode, aliquots[0].barcode);
    assert.equal(res.sample.parent_barcode, serum.barcode);
    assert.equal(res.sample.status, 'SAMPLE_STATUS_STORED');
    assert.ok(res.location, 'the placed sample has a location');
    assert.equal(res.location.box_id, box.id);
    assert.equal(res.location.position, 'A1');
    assert.ok(res.location.path.includes('F-01'), `path "${res.location.path}" names the freezer`);
    assert.ok(res.location.path.includes('B-0042'), `path "${res.location.path}" names the box`);
    assert.equal(res.patient_registry_id, 'MATHEC-0042');
    assert.equal(res.protocol_code, 'CART-SLE');
    assert.equal(res.timepoint_code, 'BASELINE');
  });

  await step('PlaceSample into an occupied position fails with FAILED_PRECONDITION', async () => {
    const err = await expectStatus(
      call(c.storage, 'PlaceSample', { barcode: aliquots[1].barcode, box_id: box.id, position: 'A1' }),
      grpc.status.FAILED_PRECONDITION,
      'second tube into A1',
    );
    assert.match(err.details, /A1/, 'the message names the position');
    // A failed call changes nothing: the second tube is still not placed.
    const res = await call(c.samples, 'ResolveBarcode', { barcode: aliquots[1].barcode });
    assert.ok(!res.location || res.location.box_id === '', 'second tube has no location');
  });

  await step('GetBoxContents shows exactly the placed tube', async () => {
    const res = await call(c.storage, 'GetBoxContents', { box_id: box.id });
    assert.equal(res.box.id, box.id);
    assert.deepEqual(
      res.slots.map((s) => [s.position, s.barcode]),
      [['A1', aliquots[0].barcode]],
    );
  });

  await step('GetSampleHistory shows collection, derivation and placement', async () => {
    const parentEvents = (await call(c.samples, 'GetSampleHistory', { barcode: serum.barcode })).events;
    const aliquotEvents = (await call(c.samples, 'GetSampleHistory', { barcode: aliquots[0].barcode })).events;
    const actions = (events) => events.map((e) => e.action);
    const describe = `parent: ${actions(parentEvents)}; aliquot: ${actions(aliquotEvents)}`;
    for (const e of [...parentEvents, ...aliquotEvents]) {
      assert.ok(Number(e.at?.seconds) > 0, `event ${e.action} has a time`);
    }
    assert.ok(parentEvents.some((e) => /collect/i.test(e.action)), `collection in the parent's history (${describe})`);
    assert.ok(
      [...parentEvents, ...aliquotEvents].some((e) => /deriv/i.test(e.action)),
      `derivation in the history (${describe})`,
    );
    const placed = aliquotEvents.find((e) => /plac/i.test(e.action));
    assert.ok(placed, `placement in the aliquot's history (${describe})`);
    assert.equal(placed.actor, ADMIN, 'the placement records the authenticated user');
  });

  // A technician of another site: they may work, but not on NODE's tubes.
  await step('CreateSite OTHR for a second biobank', async () => {
    const { site } = await call(c.registry, 'CreateSite', { code: 'OTHR', name: 'Other biobank' });
    assert.equal(site.code, 'OTHR');
  });

  const technician = await step('CreateUser a technician of site OTHR (token shown once)', async () => {
    const res = await call(c.users, 'CreateUser', {
      username: 'tech.othr', role: 'ROLE_TECHNICIAN', site_codes: ['OTHR'],
    });
    assert.equal(res.user.username, 'tech.othr');
    assert.equal(res.user.role, 'ROLE_TECHNICIAN');
    assert.deepEqual(res.user.site_codes, ['OTHR']);
    assert.ok(res.token, 'the new token is returned');
    assert.notEqual(res.token, adminToken);
    return { metadata: bearer(res.token) };
  });

  await step('the technician\'s token authenticates them', async () => {
    const { user } = await callWith(technician.metadata, c.users, 'WhoAmI', {});
    assert.equal(user.username, 'tech.othr');
    assert.equal(user.role, 'ROLE_TECHNICIAN');
    assert.deepEqual(user.site_codes, ['OTHR']);
  });

  await step('the technician of OTHR resolving a tube of NODE gets PERMISSION_DENIED', async () => {
    await expectStatus(
      callWith(technician.metadata, c.samples, 'ResolveBarcode', { barcode: aliquots[0].barcode }),
      grpc.status.PERMISSION_DENIED,
      'ResolveBarcode of another site\'s tube',
    );
    await expectStatus(
      callWith(technician.metadata, c.storage, 'RetrieveSample', {
        barcode: aliquots[0].barcode, reason: 'not mine',
      }),
      grpc.status.PERMISSION_DENIED,
      'RetrieveSample of another site\'s tube',
    );
    // Refused means unchanged: the tube is still in A1.
    const res = await call(c.samples, 'ResolveBarcode', { barcode: aliquots[0].barcode });
    assert.equal(res.location?.position, 'A1');
  });
}

let failed = false;
try {
  const address = await server.start();
  const clients = clientsFor(address);
  await step(`lims-server answers on ${address}`, () => waitServing(clients.health));
  adminToken = await step(`lims-server wrote the admin token to ${adminTokenPath} (mode 0600)`, readAdminToken);
  adminMetadata = bearer(adminToken);
  await flow(clients);
  for (const client of Object.values(clients)) client.close();
  await step('lims-server stops on SIGTERM with exit code 0', async () => {
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
  });
  await step('the server log names the token file but never the token', async () => {
    const log = fs.readFileSync(logPath, 'utf8');
    assert.ok(log.includes(adminTokenPath), 'the log does not say where the admin token is');
    assert.ok(!log.includes(adminToken), 'the admin token is in the log');
  });
} catch (err) {
  failed = true;
  console.error(err);
  try {
    await server.stop();
  } catch (stopErr) {
    console.error(stopErr.message);
  }
  if (fs.existsSync(logPath)) {
    const lines = fs.readFileSync(logPath, 'utf8').trimEnd().split('\n');
    console.error(`--- last lines of the lims-server log (${logPath}) ---`);
    console.error(lines.slice(-40).join('\n'));
  }
}

console.log(`e2e: ${passedSteps()} passed, ${failed ? 1 : 0} failed`);
if (!failed) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
