// Freezers (managers, technicians): each freezer's state, its last reading and how old it is,
// the last 24 hours as a chart, its open excursions; a monitoring system's log imported (checked
// line by line first); an excursion's page with its curve, every tube it reached and the
// investigation form.
import { call, requestId, hasRole, base64Bytes } from '../api.js';
import { h, field, clear, enumWord, fileToText, downloadLink } from '../dom.js';
import { scanField } from '../scan_field.js';
import { t } from '../i18n.js';
import { attempt, showOk } from '../feedback.js';
import { temperatureChart } from '../temperature_chart.js';

const MANAGERS = ['ROLE_MANAGER', 'ROLE_ADMIN'];

function age(at) {
  const minutes = Math.round((Date.now() - Date.parse(at)) / 60000);
  if (minutes < 1) return t('freezers.justNow');
  if (minutes < 120) return t('freezers.minutesAgo', { n: minutes });
  return t('freezers.hoursAgo', { n: Math.round(minutes / 60) });
}

const celsius = (v) => (v === undefined || v === null ? '—' : `${Number(v).toFixed(1)} °C`);

async function freezerCard(unit, excursions) {
  const open = excursions.filter((e) => e.unitId === unit.id && !e.end);
  const card = h('article', { class: `card freezer ${open.length ? 'alarm' : ''}`, 'aria-label': `Freezer ${unit.name}` },
    h('h2', {}, unit.name, ' ', h('span', { class: 'state' }, enumWord(unit.state, 'UNIT_STATE_'))),
    h('p', { class: 'hint' }, unit.path),
    h('p', {}, t('freezers.settings', { set: celsius(unit.setPointCelsius), low: celsius(unit.alarmLowCelsius),
      high: celsius(unit.alarmHighCelsius), probe: unit.probeId || '—' })));
  if (unit.probeId) {
    const answer = await call('MonitoringService', 'GetTemperatures', { unitId: unit.id }).catch(() => null);
    if (answer?.last?.at) {
      card.append(h('p', { class: 'last-reading' }, t('freezers.last', { value: celsius(answer.last.celsius), age: age(answer.last.at) })));
    } else {
      card.append(h('p', { class: 'last-reading' }, t('freezers.noReading')));
    }
    card.append(temperatureChart(answer?.readings || [], {
      low: unit.alarmLowCelsius, high: unit.alarmHighCelsius, label: `${unit.name}, last 24 hours`,
    }));
  }
  if (open.length) {
    card.append(h('p', { class: 'alarm-text', role: 'status' }, open.map((e) =>
      h('a', { href: `#/freezers?excursion=${e.id}` }, t('freezers.openExcursion', { peak: celsius(e.peakCelsius), minutes: Math.round(e.minutesBeyond) })))));
  }
  return card;
}

function importForm(reload) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain' });
  const zone = h('input', { type: 'text', value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' });
  const report = h('div', { 'aria-live': 'polite' });
  const importButton = h('button', { type: 'button', disabled: true }, t('freezers.import'));
  async function send(dryRun) {
    if (!file.files.length) return;
    const csv = await fileToText(file.files[0]);
    const answer = await attempt(() => call('MonitoringService', 'ImportReadingsCsv', {
      csv, timeZone: zone.value.trim(), dryRun, requestId: requestId() }));
    if (!answer) return;
    const errors = answer.errors || [];
    clear(report).append(h('p', {}, errors.length
      ? t('freezers.badLines', { count: errors.length })
      : t(dryRun ? 'freezers.checked' : 'freezers.imported', { rows: answer.rowsAccepted, fresh: answer.readingsNew, open: answer.excursionsOpen })),
    errors.length ? h('table', { 'aria-label': 'Errors in the file' },
      h('thead', {}, h('tr', {}, h('th', {}, t('registry.line')), h('th', {}, t('registry.problem')))),
      h('tbody', {}, errors.map((e) => h('tr', {}, h('td', {}, String(e.line)), h('td', {}, e.message))))) : '');
    importButton.disabled = !dryRun || errors.length > 0;
    if (!dryRun) reload();
  }
  importButton.addEventListener('click', () => send(false));
  file.addEventListener('change', () => { importButton.disabled = true; clear(report); });
  return h('section', { class: 'card' }, h('h2', {}, t('freezers.importTitle')),
    h('div', { class: 'row' }, field(t('freezers.file'), file, 'Temperature log'), field(t('freezers.zone'), zone, 'Time zone'),
      h('button', { type: 'button', onclick: () => send(true) }, t('registry.check')), importButton), report);
}

async function excursionPage(main, id) {
  const answer = await attempt(() => call('MonitoringService', 'GetExcursion', { excursionId: id }));
  if (!answer) return;
  const e = answer.excursion;
  const ack = e.acknowledgement;
  main.append(h('h1', {}, t('excursion.title', { id: e.id })),
    h('p', {}, h('a', { href: '#/freezers' }, t('excursion.back'))),
    h('section', { class: 'card' },
      h('p', {}, t('excursion.summary', { unit: e.unitPath, side: e.side === 'high' ? t('excursion.above') : t('excursion.below'),
        threshold: celsius(e.thresholdCelsius), peak: celsius(e.peakCelsius), minutes: Math.round(e.minutesBeyond),
        degrees: Math.round(e.degreeMinutes) })),
      h('p', {}, `${new Date(e.start).toLocaleString()} → ${e.end ? new Date(e.end).toLocaleString() : t('excursion.open')}`),
      temperatureChart(answer.readings || [], { high: e.side === 'high' ? e.thresholdCelsius : undefined,
        low: e.side === 'low' ? e.thresholdCelsius : undefined, label: `Excursion ${e.id}` })),
    h('section', { class: 'card' }, h('h2', {}, t('excursion.exposed', { count: (answer.exposed || []).length })),
      h('table', { 'aria-label': 'Exposed tubes' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Tube'), h('th', {}, 'Minutes exposed'), h('th', {}, 'Peak °C'))),
        h('tbody', {}, (answer.exposed || []).map((x) => h('tr', {}, h('td', {}, x.barcode),
          h('td', {}, String(Math.round(x.minutesExposed))), h('td', {}, Number(x.peakCelsius).toFixed(1))))))));
  if (ack) {
    main.append(h('section', { class: 'card' }, h('h2', {}, t('excursion.investigation')),
      h('p', {}, t('excursion.ackBy', { by: ack.by, at: new Date(ack.at).toLocaleString() })),
      h('dl', {}, h('dt', {}, t('excursion.cause')), h('dd', {}, ack.cause), h('dt', {}, t('excursion.impact')),
        h('dd', {}, ack.impact), h('dt', {}, t('excursion.action')), h('dd', {}, ack.correctiveAction))));
  } else if (hasRole(...MANAGERS)) {
    const cause = h('textarea', { required: true });
    const impact = h('textarea', { required: true });
    const action = h('textarea', { required: true });
    const form = h('form', { class: 'card' }, h('h2', {}, t('excursion.investigation')),
      field(t('excursion.cause'), cause, 'Cause'), field(t('excursion.impact'), impact, 'Impact'),
      field(t('excursion.action'), action, 'Corrective action'), h('button', { type: 'submit' }, t('excursion.acknowledge')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const done = await attempt(() => call('MonitoringService', 'AcknowledgeExcursion', { excursionId: e.id,
        cause: cause.value.trim(), impact: impact.value.trim(), correctiveAction: action.value.trim(), requestId: requestId() }));
      if (done) {
        showOk(t('excursion.acknowledged'));
        dispatchEvent(new HashChangeEvent('hashchange'));
      }
    });
    main.append(form);
  }
}

// An evacuation plan as a pick list: each rack or box, where it goes, its critical tubes and
// those of withdrawn consent; each move is carried out by scanning the unit's label as it goes
// into its place (the plan's progress is where each unit is now). The printable pick list is
// the server's PDF.
function planTable(plan, refresh) {
  const scanner = scanField(async (code) => {
    const moved = await attempt(() => call('MonitoringService', 'RecordEvacuationMove',
      { planId: plan.planId, scannedCode: code, requestId: requestId() }));
    if (!moved) return;
    showOk(t('evacuation.scanned', { unit: moved.move.unitName, to: moved.move.fromPath, done: moved.movesDone, total: moved.movesTotal }));
    refresh();
  });
  const pdf = h('span', {});
  return h('section', { class: 'card pick-list' },
    h('h2', {}, t('evacuation.plan', { id: plan.planId })),
    h('p', { class: 'hint' }, t('evacuation.scanHint')), scanner.element,
    h('table', { 'aria-label': 'Evacuation plan' },
      h('thead', {}, h('tr', {}, ['n', 'label', 'unit', 'from', 'to', 'tubes', 'critical', 'withdrawn', 'done'].map((c) => h('th', {}, t(`evacuation.${c}`))))),
      h('tbody', {}, (plan.moves || []).map((m, i) => h('tr', { class: m.done ? 'done' : '' },
        h('td', {}, String(i + 1)), h('td', {}, m.labelCode), h('td', {}, m.unitName), h('td', {}, m.fromPath), h('td', {}, m.toPath),
        h('td', {}, String(m.tubes || 0)), h('td', {}, String(m.criticalTubes || 0)), h('td', {}, String(m.withdrawnTubes || 0)),
        h('td', {}, m.done ? t('evacuation.moved') : '—'))))),
    h('button', { type: 'button', onclick: async () => {
      const answer = await attempt(() => call('MonitoringService', 'GetEvacuationPlan', { planId: plan.planId, pickListPdf: true }));
      if (answer) clear(pdf).append(downloadLink([base64Bytes(answer.pickListPdf)], `pick-list-${plan.planId}.pdf`, 'application/pdf', t('evacuation.pdf')));
    } }, t('evacuation.print')), ' ', pdf);
}

function evacuationForm(freezers) {
  const from = h('select', {}, freezers.map((u) => h('option', { value: u.id }, u.path)));
  const to = h('select', {}, freezers.map((u) => h('option', { value: u.id }, u.path)));
  if (freezers.length > 1) to.value = freezers[1].id;
  const shown = h('div', {});
  async function show(planId) {
    const plan = await attempt(() => call('MonitoringService', 'GetEvacuationPlan', { planId }));
    if (plan) clear(shown).append(planTable(plan, () => show(planId)));
  }
  const form = h('form', { class: 'card' }, h('h2', {}, t('evacuation.title')),
    h('div', { class: 'row' }, field(t('evacuation.fromFreezer'), from, 'Evacuate'), field(t('evacuation.toFreezer'), to, 'Into'),
      h('button', { type: 'submit' }, t('evacuation.makePlan'))), shown);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const plan = await attempt(() => call('MonitoringService', 'PlanEvacuation',
      { fromUnitId: from.value, toUnitId: to.value, requestId: requestId() }));
    if (plan) await show(plan.planId);
  });
  return form;
}

export async function freezersScreen(main, params) {
  if (params.get('excursion')) {
    await excursionPage(main, params.get('excursion'));
    return;
  }
  const cards = h('div', { class: 'freezers' });
  const list = h('section', { class: 'card' });
  main.append(h('h1', {}, t('freezers.title')), cards, list);
  if (hasRole(...MANAGERS)) main.append(importForm(() => dispatchEvent(new HashChangeEvent('hashchange'))));
  const [units, excursions] = await Promise.all([
    attempt(() => call('StorageService', 'ListStorageUnits', { kind: 'STORAGE_KIND_FREEZER', pageSize: 200 })),
    attempt(() => call('MonitoringService', 'ListExcursions', { pageSize: 100 })),
  ]);
  const all = excursions?.excursions || [];
  for (const unit of units?.units || []) cards.append(await freezerCard(unit, all));
  if (hasRole(...MANAGERS) && (units?.units || []).length > 1) main.append(evacuationForm(units.units));
  list.append(h('h2', {}, t('freezers.excursions')), all.length
    ? h('table', { 'aria-label': 'Excursions' },
      h('thead', {}, h('tr', {}, ['unit', 'start', 'end', 'peak', 'minutes', 'ack'].map((c) => h('th', {}, t(`freezers.col.${c}`))))),
      h('tbody', {}, all.map((e) => h('tr', {},
        h('td', {}, h('a', { href: `#/freezers?excursion=${e.id}` }, e.unitPath)),
        h('td', {}, new Date(e.start).toLocaleString()), h('td', {}, e.end ? new Date(e.end).toLocaleString() : t('excursion.open')),
        h('td', {}, celsius(e.peakCelsius)), h('td', {}, String(Math.round(e.minutesBeyond))),
        h('td', {}, e.acknowledged ? e.acknowledgement.by : '—')))))
    : h('p', {}, t('freezers.none')));
}
