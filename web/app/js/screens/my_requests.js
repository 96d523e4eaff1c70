// My requests: researchers see their requests and, once approved, the tubes under request codes
// only (the server never sends a barcode, registry id or date to them); managers approve or
// reject submitted requests with a reason.
import { call, requestId, hasRole } from '../api.js';
import { h, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk } from '../feedback.js';

export function myRequestsScreen(main) {
  const listing = h('section', { class: 'card' });
  const detail = h('section', { class: 'card', 'aria-live': 'polite' });
  const manager = hasRole('ROLE_MANAGER', 'ROLE_ADMIN');

  async function decide(request, approve) {
    const reason = prompt(t(approve ? 'requests.approveReason' : 'requests.rejectReason'));
    if (!reason) return;
    const done = await attempt(() => call('RequestService', approve ? 'ApproveRequest' : 'RejectRequest',
      { sampleRequestId: request.id, reason, requestId: requestId() }));
    if (done) {
      showOk(`${request.code}: ${approve ? t('requests.approved') : t('requests.rejected')}`);
      load();
    }
  }

  async function open(request) {
    const answer = await attempt(() => call('RequestService', 'GetSampleRequest', { sampleRequestId: request.id }));
    if (!answer) return;
    // Before deciding, a manager sees what approving would reserve now.
    let wouldReserve = '';
    if (manager && request.status === 'SAMPLE_REQUEST_STATUS_SUBMITTED') {
      const preview = await attempt(() => call('RequestService', 'PreviewRequest', { criteria: request.criteria }));
      if (preview) {
        wouldReserve = h('div', { class: 'would-reserve', 'aria-label': 'Would reserve' },
          h('p', {}, t('newRequest.matches', { patients: preview.matchingPatients, samples: preview.matchingSamples })),
          h('ul', {}, (preview.byTimepoint || []).map((l) => h('li', {}, `${l.timepointCode}: ${l.samples}`))));
      }
    }
    clear(detail).append(h('h2', {}, `${answer.sampleRequest.code} — ${answer.sampleRequest.title}`), wouldReserve,
      h('table', { 'aria-label': 'Requested tubes' },
        h('thead', {}, h('tr', {}, ['code', 'patient', 'protocol', 'timepoint', 'type'].map((c) => h('th', {}, t(`requests.${c}`))))),
        h('tbody', {}, (answer.samples || []).map((s) => h('tr', {},
          h('td', {}, s.requestCode), h('td', {}, s.patientCode), h('td', {}, s.protocolCode),
          h('td', {}, s.timepointCode), h('td', {}, s.sampleType))))));
  }

  async function load() {
    const answer = await attempt(() => call('RequestService', 'ListSampleRequests', { pageSize: 200 }));
    if (!answer) return;
    clear(listing).append(h('table', { 'aria-label': 'Requests' },
      h('thead', {}, h('tr', {}, ['code', 'title2', 'status', 'reserved', ''].map((c) => h('th', {}, c ? t(`requests.${c}`) : '')))),
      h('tbody', {}, (answer.sampleRequests || []).map((r) => h('tr', {},
        h('td', {}, h('button', { type: 'button', class: 'link-button', onclick: () => open(r) }, r.code)),
        h('td', {}, r.title), h('td', {}, enumWord(r.status, 'SAMPLE_REQUEST_STATUS_')),
        h('td', {}, `${r.pickedCount} / ${r.reservedCount}`),
        h('td', {}, manager && r.status === 'SAMPLE_REQUEST_STATUS_SUBMITTED'
          ? [h('button', { type: 'button', class: 'small', onclick: () => decide(r, true) }, t('requests.approve')),
             h('button', { type: 'button', class: 'small', onclick: () => decide(r, false) }, t('requests.reject'))]
          : ''))))));
  }

  main.append(h('h1', {}, t('requests.title')), listing, detail);
  load();
}
