// Completeness (coordinators): patients × timepoints of a protocol as a coloured ARIA grid
// whose cells say the status in words; a cell (click, Enter or Space) opens that patient's
// tubes of that timepoint. Arrow keys move between cells.
import { call } from '../api.js';
import { enrollmentTubes, tubeTable } from '../tube_list.js';
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
  const opened = h('section', { class: 'card', 'aria-live': 'polite' });

  async function open(patientRegistryId, timepointCode) {
    const tubes = await attempt(() => enrollmentTubes(patientRegistryId, protocol.value, timepointCode));
    if (!tubes) return;
    const title = `${patientRegistryId} ${timepointCode}`;
    clear(opened).append(h('h2', {}, t('completeness.tubesOf', { what: title })),
      tubeTable(tubes, `Tubes ${title}`));
    opened.scrollIntoView({ block: 'nearest' });
  }

  // Roving focus over the cells, as the ARIA grid pattern has it.
  function move(grid, cell, key) {
    const rows = [...grid.querySelectorAll('[role=row]')].slice(1);
    const r = rows.indexOf(cell.parentElement);
    const cells = [...cell.parentElement.querySelectorAll('[role=gridcell]')];
    const c = cells.indexOf(cell);
    const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[key];
    const row = rows[Math.max(0, Math.min(rows.length - 1, r + step[0]))];
    const target = row.querySelectorAll('[role=gridcell]')[Math.max(0, Math.min(cells.length - 1, c + step[1]))];
    cell.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }

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
          const element = h('span', {
            role: 'gridcell', tabindex: '-1', class: `c-cell status-${status.replace(/ /g, '-')}`,
            'aria-label': name, title: name, onclick: () => open(row.patientRegistryId, cell.timepointCode),
          }, `${cell.collectedCount}/${cell.expectedCount}`);
          element.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              open(row.patientRegistryId, cell.timepointCode);
            } else if (event.key.startsWith('Arrow')) {
              event.preventDefault();
              move(grid, element, event.key);
            }
          });
          return element;
        })));
    }
    clear(opened);
    clear(matrix).append(h('p', {}, t('completeness.asOf', { day: answer.asOf })), grid,
      h('ul', { class: 'legend' }, ['complete', 'partial', 'due', 'overdue', 'not-yet-due'].map((s) =>
        h('li', { class: `c-cell status-${s}` }, s.replace(/-/g, ' ')))));
    const first = grid.querySelector('[role=gridcell]');
    if (first) first.tabIndex = 0;
  }

  main.append(h('h1', {}, t('completeness.title')),
    h('form', { class: 'card row', onsubmit: show },
      field(t('sample.protocol'), protocol, 'Protocol'), field(t('completeness.site'), site, 'Site'),
      h('button', { type: 'submit' }, t('completeness.show'))), matrix, opened, dueList());
  call('RegistryService', 'ListProtocols', { pageSize: 200 }).then((answer) => {
    protocol.append(...(answer.protocols || []).map((p) => h('option', { value: p.code }, `${p.code} — ${p.name}`)));
    show();
  }, () => {});
}
