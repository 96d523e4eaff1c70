// Receive a shipment: open its manifest (or an incoming shipment), scan the tubes with a live
// tally, resolve what is missing or unexpected, close.
import { call, requestId, hasRole } from '../api.js';
import { h, field, clear, fileToText } from '../dom.js';
import { t } from '../i18n.js';
import { showError, showOk, hideError, attempt } from '../feedback.js';
import { scanField } from '../scan_field.js';
import { sendShipment } from '../shipment_send.js';

const CONDITIONS = ['OK', 'THAWED', 'DAMAGED'];

// Receiving and sending are two modes: one barcode field on screen at a time.
export function shipmentsScreen(main, query) {
  const sending = query.get('mode') === 'send';
  const modes = h('div', { class: 'row modes', role: 'group', 'aria-label': 'Mode' },
    h('a', { href: '#/shipments', 'aria-current': sending ? undefined : 'page' }, t('ship.title')),
    h('a', { href: '#/shipments?mode=send', 'aria-current': sending ? 'page' : undefined }, t('send.title')));
  if (sending) {
    main.append(h('h1', {}, t('send.title')), modes);
    sendShipment(main);
    return;
  }
  receiveShipment(main, modes);
}

function receiveShipment(main, modes) {
  const state = { shipmentId: '' };
  const manifest = h('input', { type: 'file', accept: '.json,application/json' });
  const incoming = h('select', {});
  const condition = h('select', {}, CONDITIONS.map((c) => h('option', { value: c }, t(`condition.${c.toLowerCase()}`))));
  const tally = h('section', { class: 'tally', 'aria-live': 'polite' });
  const title = h('h2', {});

  async function open(shipmentId) {
    state.shipmentId = shipmentId;
    await refresh();
  }

  async function refresh() {
    const answer = await attempt(() => call('ShipmentService', 'GetShipment', { shipmentId: state.shipmentId }));
    if (!answer) return;
    const items = answer.items || [];
    title.textContent = `${answer.shipment.id} — ${answer.shipment.fromSiteCode} → ${answer.shipment.receivingSiteCode || answer.shipment.destination} (${answer.shipment.status.replace('SHIPMENT_STATUS_', '').toLowerCase()})`;
    const by = (wanted) => items.filter((item) => item.state === wanted);
    const damaged = (item) => item.condition === 'ITEM_CONDITION_THAWED' || item.condition === 'ITEM_CONDITION_DAMAGED';
    // Missing, unexpected, thawed or damaged: a discrepancy a manager resolves before closing.
    const needsResolving = (item) => !item.resolution && (item.state !== 'received' || damaged(item));
    const manager = hasRole('ROLE_MANAGER', 'ROLE_ADMIN');
    const list = (heading, css, rows) => h('div', { class: `column ${css}` },
      h('h3', {}, `${heading}: ${rows.length}`),
      h('ul', { 'aria-label': heading }, rows.map((item) => h('li', {}, item.barcode,
        damaged(item) ? ` (${t(`condition.${item.condition.replace('ITEM_CONDITION_', '').toLowerCase()}`)})` : '',
        item.resolution ? ` ✓ ${item.resolution}` : '',
        manager && needsResolving(item)
          ? h('button', { type: 'button', class: 'small', onclick: () => resolve(item.barcode) }, t('ship.resolve')) : ''))));
    clear(tally).append(
      list(t('ship.received'), 'ok', by('received')),
      list(t('ship.missing'), 'missing', by('expected')),
      list(t('ship.unexpected'), 'unexpected', by('unexpected')));
    if (manager) tally.append(h('div', { class: 'actions' }, h('button', { type: 'button', onclick: close }, t('ship.close'))));
  }

  async function resolve(barcode) {
    const reason = prompt(t('ship.resolveReason'));
    if (!reason) return;
    const done = await attempt(() => call('ShipmentService', 'ResolveDiscrepancy',
                                          { shipmentId: state.shipmentId, barcode, reason, requestId: requestId() }));
    if (done) await refresh();
  }

  async function close() {
    const done = await attempt(() => call('ShipmentService', 'CloseShipment',
                                          { shipmentId: state.shipmentId, requestId: requestId() }));
    if (done) {
      showOk(t('ship.closed'));
      await refresh();
    }
  }

  const scanner = scanField(async (barcode) => {
    if (!state.shipmentId) {
      showError(t('ship.import'));
      return;
    }
    try {
      await call('ShipmentService', 'ReceiveShipment', {
        shipmentId: state.shipmentId, items: [{ barcode, condition: `ITEM_CONDITION_${condition.value}` }],
        requestId: requestId(),
      });
      condition.value = 'OK';
      hideError();
      await refresh();
      const after = tally.querySelector('.unexpected ul');
      if (after && [...after.children].some((li) => li.textContent.startsWith(barcode))) {
        showError(`${barcode}: ${t('ship.unexpected')}`);
      } else {
        showOk(`${barcode}: ${t('ship.received')}`);
      }
    } catch (error) {
      showError(error.message);
    }
  });

  manifest.addEventListener('change', async () => {
    if (!manifest.files.length) return;
    const text = await fileToText(manifest.files[0]);
    const answer = await attempt(() => call('ShipmentService', 'ImportManifest',
                                            { manifestJson: text, requestId: requestId() }));
    manifest.value = '';
    if (answer) {
      showOk(`${answer.shipment.id}`);
      await open(answer.shipment.id);
      scanner.input.focus();
    }
  });
  incoming.addEventListener('change', () => incoming.value && open(incoming.value));
  call('ShipmentService', 'ListShipments', { pageSize: 100 }).then((answer) => {
    const waiting = (answer.shipments || []).filter((s) => s.direction === 'SHIPMENT_DIRECTION_INCOMING' &&
                                                          s.status !== 'SHIPMENT_STATUS_CLOSED');
    incoming.append(h('option', { value: '' }, '…'),
                    ...waiting.map((s) => h('option', { value: s.id }, `${s.id} (${s.fromSiteCode}, ${s.itemCount})`)));
  }, (error) => showError(error.message));

  main.append(h('h1', {}, t('ship.title')), modes,
    h('section', { class: 'card row' }, field(t('ship.manifest'), manifest, 'Manifest file'),
      field(t('ship.incoming'), incoming, 'Incoming shipment')),
    h('section', { class: 'card bench' }, title, scanner.element,
      field(t('ship.condition'), condition, 'Condition'), tally));
}
