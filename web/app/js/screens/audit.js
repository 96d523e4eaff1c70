// Audit trail (managers): events filtered by tube, user and dates, each change shown as a
// readable difference; the hash chain's state.
import { call } from '../api.js';
import { h, field, clear } from '../dom.js';
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
  const since = h('input', { type: 'date' });
  const until = h('input', { type: 'date' });
  const chain = h('p', { class: 'chain', 'aria-live': 'polite' });
  const table = h('section', { class: 'events' });

  async function search(event) {
    event?.preventDefault();
    const body = { entityBarcode: tube.value.trim(), actor: actor.value.trim(), pageSize: 200 };
    if (since.value) body.since = new Date(`${since.value}T00:00:00`).toISOString();
    if (until.value) body.until = new Date(`${until.value}T23:59:59`).toISOString();
    const answer = await attempt(() => call('AuditService', 'ListAuditEvents', body));
    if (!answer) return;
    hideError();
    clear(table).append(h('table', { 'aria-label': 'Audit events' },
      h('thead', {}, h('tr', {}, ['at', 'user', 'action', 'what', 'details', 'reason', 'change'].map((c) => h('th', {}, t(`audit.${c}`))))),
      h('tbody', {}, (answer.events || []).map((e) => h('tr', {},
        h('td', {}, new Date(e.at).toLocaleString()), h('td', {}, e.actor), h('td', {}, e.action),
        h('td', {}, `${e.entityType} ${e.entityKey}`), h('td', {}, e.details), h('td', {}, e.reason),
        h('td', {}, difference(e.beforeJson, e.afterJson)))))));
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
      field(t('audit.since'), since, 'Since'), field(t('audit.until'), until, 'Until'),
      h('button', { type: 'submit' }, t('audit.search'))),
    h('section', { class: 'card row' }, h('button', { type: 'button', onclick: verify }, t('audit.verify')), chain),
    table);
  verify();
}
