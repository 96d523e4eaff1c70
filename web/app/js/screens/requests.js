// Pick a request: the pick list of an approved request in freezer order; each scanned tube is
// ticked off, a tube not on the list is refused.
import { call, requestId } from '../api.js';
import { h, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { showError, showOk, attempt } from '../feedback.js';
import { scanField } from '../scan_field.js';

export function requestsScreen(main) {
  const state = { requestId: '' };
  const chooser = h('select', {});
  const list = h('section', { class: 'picklist' });
  const remaining = h('p', { class: 'summary', 'aria-live': 'polite' });

  async function load() {
    const answer = await attempt(() => call('RequestService', 'GetPickList', { sampleRequestId: state.requestId }));
    if (!answer) return;
    const items = answer.items || [];
    const left = items.filter((item) => !item.picked).length;
    remaining.textContent = left ? t('req.remaining', { count: left }) : t('req.done');
    clear(list).append(h('table', { 'aria-label': 'Pick list' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, t('barcode')), h('th', {}, t('sample.location')), h('th', {}, t('req.position')))),
      h('tbody', {}, items.map((item) => h('tr', { class: item.picked ? 'picked' : '', dataset: { barcode: item.barcode } },
        h('td', {}, item.picked ? '✓' : ''), h('td', {}, item.barcode),
        h('td', {}, item.location?.path || ''), h('td', {}, item.location?.position || ''))))));
  }

  const scanner = scanField(async (barcode) => {
    if (!state.requestId) {
      showError(t('req.none'));
      return;
    }
    try {
      await call('RequestService', 'PickTube', { sampleRequestId: state.requestId, barcode, requestId: requestId() });
      showOk(t('req.picked', { barcode }));
      await load();
    } catch (error) {
      showError(error.message);
    }
  });

  chooser.addEventListener('change', () => {
    state.requestId = chooser.value;
    if (state.requestId) load();
    scanner.input.focus();
  });
  call('RequestService', 'ListSampleRequests', { pageSize: 100 }).then((answer) => {
    const approved = (answer.sampleRequests || []).filter((r) => r.status === 'SAMPLE_REQUEST_STATUS_APPROVED');
    chooser.append(h('option', { value: '' }, approved.length ? '…' : t('req.none')),
                   ...approved.map((r) => h('option', { value: r.id }, `${r.code} — ${r.title} (${r.pickedCount}/${r.reservedCount})`)));
  }, (error) => showError(error.message));

  main.append(h('h1', {}, t('req.title')),
    h('section', { class: 'card bench' }, field(t('req.choose'), chooser, 'Request'), scanner.element, remaining, list));
}
