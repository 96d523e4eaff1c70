// Audit trail (managers): events filtered by tube, user, action and dates, each change shown as
// a readable difference; the same filter exported as CSV (the server's export, streamed); the
// hash chain's state.
import { call, stream, base64Bytes } from '../api.js';
import { h, field, clear, downloadLink } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, hideError } from '../feedback.js';

// "field: before → after" lines for the fields that changed.
function difference(beforeJson, afterJson) {
  const parse = (text) => { try { return text ? JSON.parse(text) : {}; } catch { return {}; } };
  const before = parse(beforeJson);
  const after = parse(afterJson);
  const lines = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = JSON.stringify(before[key]);
    const b = JSON.stringify(after[key]);
    if (a !== b) lines.push(h('li', {}, h('strong', {}, key), `: ${a ?? '—'} → ${b ?? '—'}`));
  }
  return h('ul', { class: 'diff' }, lines);
}

export function auditScreen(main) {
  const tube = h('input', { type: 'text' });
  const actor = h('input', { type: 'text' });
  const action = h('input', { type: 'text', list: 'audit-actions', placeholder: 'sample.collected' });
  const actions = h('datalist', { id: 'audit-actions' }, ['sample.collected', 'sample.derived', 'storage.placed',
    'storage.moved', 'storage.retrieved', 'storage.returned', 'sample.consumed', 'sample.disposed',
    'shipment.dispatched', 'shipment.received', 'user.login_failed'].map((a) => h('option', { value: a })));
  const exported = h('span', {});
  const since = h('input', { type: 'date' });
  const until = h('input', { type: 'date' });
  const chain = h('p', { class: 'chain', 'aria-live': 'polite' });
  const table = h('section', { class: 'events' });

  // The filter as the request gives it (dates are local days, whole).
  function filter() {
    const body = { entityBarcode: tube.value.trim(), actor: actor.value.trim(), action: action.value.trim() };
    if (since.value) body.since = new Date(`${since.value}T00:00:00`).toISOString();
    if (until.value) body.until = new Date(`${until.value}T23:59:59.999`).toISOString();
    return body;
  }

  async function search(event) {
    event?.preventDefault();
    const answer = await attempt(() => call('AuditService', 'ListAuditEvents', { ...filter(), pageSize: 200 }));
    if (!answer) return;
    hideError();
    clear(table).append(h('table', { 'aria-label': 'Audit events' },
      h('thead', {}, h('tr', {}, ['at', 'user', 'action', 'what', 'details', 'reason', 'change'].map((c) => h('th', {}, t(`audit.${c}`))))),
      h('tbody', {}, (answer.events || []).map((e) => h('tr', {},
        h('td', {}, new Date(e.at).toLocaleString()), h('td', {}, e.actor), h('td', {}, e.action),
        h('td', {}, `${e.entityType} ${e.entityKey}`), h('td', {}, e.details), h('td', {}, e.reason),
        h('td', {}, difference(e.beforeJson, e.afterJson)))))));
  }

  async function exportCsv() {
    const pieces = await attempt(() => stream('AuditService', 'ExportAuditCsv', filter()));
    if (!pieces) return;
    const chunks = pieces.map((p) => base64Bytes(p.chunk));
    const bytes = chunks.reduce((sum, c) => sum + c.length, 0);
    clear(exported).append(downloadLink(chunks, `audit-${new Date().toISOString().slice(0, 10)}.csv`,
      'text/csv', t('audit.exported', { bytes })));
  }

  async function verify() {
    const answer = await attempt(() => call('AuditService', 'VerifyAuditChain', {}));
    if (answer) {
      chain.textContent = answer.ok
        ? t('audit.chainOk', { count: answer.eventsChecked })
        : t('audit.chainBroken', { id: answer.firstBrokenEventId, problem: answer.problem });
      chain.className = answer.ok ? 'chain ok' : 'chain bad';
    }
  }

  main.append(h('h1', {}, t('audit.title')),
    h('form', { class: 'card row', onsubmit: search },
      field(t('audit.tube'), tube, 'Tube'), field(t('audit.user'), actor, 'User'),
      field(t('audit.actionFilter'), action, 'Action'), actions,
      field(t('audit.since'), since, 'Since'), field(t('audit.until'), until, 'Until'),
      h('button', { type: 'submit' }, t('audit.search')),
      h('button', { type: 'button', onclick: exportCsv }, t('audit.export')), exported),
    h('section', { class: 'card row' }, h('button', { type: 'button', onclick: verify }, t('audit.verify')), chain),
    table);
  verify();
}
