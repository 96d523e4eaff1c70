// Sending a shipment (the Shipments screen's other half): a draft from one of the user's sites,
// tubes added by scanning (or a whole box), dispatch, the signed manifest (JSON, CSV) and a
// printable packing list.
import { call, requestId, session, base64Bytes } from './api.js';
import { h, field, clear, enumWord, downloadLink } from './dom.js';
import { t } from './i18n.js';
import { attempt, showError, showOk } from './feedback.js';
import { scanField } from './scan_field.js';
import { boxPicker } from './box_picker.js';

const PACKAGING = ['DRY_ICE', 'LN2_DRY_SHIPPER', 'COLD_PACKS', 'AMBIENT'];

export function sendShipment(container) {
  const state = { id: '' };
  const from = h('select', {}, (session().sites || []).map((s) => h('option', { value: s }, s)));
  const destination = h('input', { type: 'text', required: true });
  const packaging = h('select', {}, PACKAGING.map((p) => h('option', { value: `PACKAGING_${p}` }, p.toLowerCase().replace(/_/g, ' '))));
  const title = h('h2', {});
  const items = h('div', { class: 'packing-list', 'aria-live': 'polite' });
  const files = h('p', { class: 'row' });

  async function refresh() {
    const answer = await attempt(() => call('ShipmentService', 'GetShipment', { shipmentId: state.id }));
    if (!answer) return;
    const s = answer.shipment;
    title.textContent = `${t('send.shipment')} ${s.id}: ${s.fromSiteCode} → ${s.destination} (${enumWord(s.status, 'SHIPMENT_STATUS_')})`;
    clear(items).append(h('table', { 'aria-label': 'Packing list' },
      h('thead', {}, h('tr', {}, ['barcode', 'type', 'box', 'position'].map((c) => h('th', {}, t(`send.${c}`))))),
      h('tbody', {}, (answer.items || []).map((i) => h('tr', {}, h('td', {}, i.barcode), h('td', {}, i.sampleType),
        h('td', {}, i.packedBox), h('td', {}, i.packedPosition))))));
  }

  async function create(event) {
    event.preventDefault();
    const answer = await attempt(() => call('ShipmentService', 'CreateShipment', {
      fromSiteCode: from.value, destination: destination.value.trim(), packaging: packaging.value, requestId: requestId() }));
    if (!answer) return;
    state.id = answer.shipment.id;
    clear(files);
    await refresh();
    scanner.input.focus();
  }

  async function add(body) {
    if (!state.id) { showError(t('send.createFirst')); return; }
    const answer = await attempt(() => call('ShipmentService', 'AddShipmentItems', { shipmentId: state.id, ...body, requestId: requestId() }));
    if (answer) { showOk(t('send.added', { count: (answer.added || []).length })); await refresh(); }
  }

  async function dispatch() {
    const answer = await attempt(() => call('ShipmentService', 'DispatchShipment', { shipmentId: state.id, requestId: requestId() }));
    if (!answer) return;
    showOk(t('send.dispatched'));
    await refresh();
    const manifest = await attempt(() => call('ShipmentService', 'ExportManifest', { shipmentId: state.id, packingListPdf: true }));
    if (manifest) {
      clear(files).append(downloadLink(manifest.manifestJson, `shipment-${state.id}.json`, 'application/json', t('send.manifestJson')),
        ' ', downloadLink(manifest.manifestCsv, `shipment-${state.id}.csv`, 'text/csv', t('send.manifestCsv')),
        ' ', downloadLink([base64Bytes(manifest.packingListPdf)], `packing-list-${state.id}.pdf`, 'application/pdf', t('send.packingPdf')),
        ' ', h('button', { type: 'button', onclick: () => window.print() }, t('send.print')));
    }
  }

  const scanner = scanField((barcode) => add({ barcodes: [barcode] }));
  container.append(
    h('form', { class: 'card row', onsubmit: create },
      field(t('send.from'), from, 'From site'), field(t('send.destination'), destination, 'Destination'),
      field(t('send.packaging'), packaging, 'Packaging'), h('button', { type: 'submit' }, t('send.create'))),
    h('section', { class: 'card bench' }, title, scanner.element,
      h('div', {}, h('p', { class: 'hint' }, t('send.wholeBox')), boxPicker((boxId) => add({ boxIds: [boxId] }))),
      items, h('div', { class: 'row' }, h('button', { type: 'button', onclick: dispatch }, t('send.dispatch'))), files));
}
