// Completeness (coordinators): patients × timepoints of a protocol as a coloured ARIA grid
// whose cells say the status in words (opening a cell's tubes is not built: no RPC lists them).
import { call } from '../api.js';
import { h, field, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, hideError } from '../feedback.js';

// Timepoints to collect at a site in a date range (not yet complete).
function dueList() {
  const site = h('input', { type: 'text', placeholder: 'PSL', required: true });
  const from = h('input', { type: 'date', value: new Date().toISOString().slice(0, 10) });
  const to = h('input', { type: 'date', value: new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10) });
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' }, h('h2', {}, t('due.title')),
    h('div', { class: 'row' }, field(t('completeness.site'), site, 'Due at site'), field(t('audit.since'), from, 'Due from'),
      field(t('audit.until'), to, 'Due until'), h('button', { type: 'submit' }, t('completeness.show'))), result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await attempt(() => call('RegistryService', 'ListDueTimepoints',
      { siteCode: site.value.trim(), from: from.value, to: to.value }));
    if (!answer) return;
    clear(result).append(h('table', { 'aria-label': 'Due timepoints' },
      h('thead', {}, h('tr', {}, ['patient', 'protocol', 'timepoint', 'due', 'window', 'status'].map((c) => h('th', {}, t(`due.${c}`))))),
      h('tbody', {}, (answer.items || []).map((d) => h('tr', {}, h('td', {}, d.patientRegistryId), h('td', {}, d.protocolCode),
        h('td', {}, d.timepointCode), h('td', {}, d.dueDate), h('td', {}, `${d.windowStart} … ${d.windowEnd}`),
        h('td', { class: `status-${enumWord(d.status, 'COMPLETENESS_STATUS_').replace(/ /g, '-')}` },
          `${enumWord(d.status, 'COMPLETENESS_STATUS_')} (${d.collectedCount}/${d.expectedCount})`))))));
  });
  return form;
}

export function completenessScreen(main) {
  const protocol = h('select', {});
  const site = h('input', { type: 'text', placeholder: t('completeness.allSites') });
  const matrix = h('section', { class: 'matrix' });

  async function show(event) {
    event?.preventDefault();
    if (!protocol.value) return;
    const answer = await attempt(() => call('RegistryService', 'GetCompleteness',
      { protocolCode: protocol.value, siteCode: site.value.trim(), pageSize: 500 }));
    if (!answer) return;
    hideError();
    const columns = answer.timepointCodes || [];
    const grid = h('div', { role: 'grid', class: 'completeness', 'aria-label': `Completeness ${protocol.value}` },
      h('div', { role: 'row', class: 'c-row header' }, h('span', { role: 'columnheader' }, t('sample.patient')),
        columns.map((code) => h('span', { role: 'columnheader' }, code))));
    for (const row of answer.rows || []) {
      grid.append(h('div', { role: 'row', class: 'c-row' },
        h('span', { role: 'rowheader' }, row.patientRegistryId),
        row.cells.map((cell) => {
          const status = enumWord(cell.status, 'COMPLETENESS_STATUS_');
          const name = `${row.patientRegistryId} ${cell.timepointCode} ${status}, ${cell.collectedCount} of ${cell.expectedCount}, due ${cell.dueDate}`;
          return h('span', {
            role: 'gridcell', tabindex: '-1', class: `c-cell status-${status.replace(/ /g, '-')}`,
            'aria-label': name, title: name,
          }, `${cell.collectedCount}/${cell.expectedCount}`);
        })));
    }
    clear(matrix).append(h('p', {}, t('completeness.asOf', { day: answer.asOf })), grid,
      h('ul', { class: 'legend' }, ['complete', 'partial', 'due', 'overdue', 'not-yet-due'].map((s) =>
        h('li', { class: `c-cell status-${s}` }, s.replace(/-/g, ' ')))));
    const first = grid.querySelector('[role=gridcell]');
    if (first) first.tabIndex = 0;
  }

  main.append(h('h1', {}, t('completeness.title')),
    h('form', { class: 'card row', onsubmit: show },
      field(t('sample.protocol'), protocol, 'Protocol'), field(t('completeness.site'), site, 'Site'),
      h('button', { type: 'submit' }, t('completeness.show'))), matrix, dueList());
  call('RegistryService', 'ListProtocols', { pageSize: 200 }).then((answer) => {
    protocol.append(...(answer.protocols || []).map((p) => h('option', { value: p.code }, `${p.code} — ${p.name}`)));
    show();
  }, () => {});
}
