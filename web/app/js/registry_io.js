// Registry files on the Patients screen: a registry CSV checked line by line before anything
// changes (dry run), then imported; the FHIR bundle of a protocol downloaded.
import { call, requestId } from './api.js';
import { h, field, clear, fileToText, downloadLink } from './dom.js';
import { t } from './i18n.js';
import { attempt, showOk } from './feedback.js';

export function registryFiles(protocols) {
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const report = h('div', { class: 'report', 'aria-live': 'polite' });
  const importButton = h('button', { type: 'button', disabled: true }, t('registry.import'));
  const protocol = h('select', {}, protocols.map((p) => h('option', { value: p.code }, p.code)));
  const download = h('span', {});

  async function send(dryRun) {
    if (!file.files.length) return;
    const csv = await fileToText(file.files[0]);
    const answer = await attempt(() => call('RegistryService', 'ImportRegistryCsv',
      { csv, dryRun, requestId: requestId() }));
    if (!answer) return;
    const errors = answer.errors || [];
    clear(report).append(
      h('p', {}, t(dryRun ? 'registry.checked' : 'registry.imported', {
        read: answer.rowsRead, accepted: answer.rowsAccepted, errors: answer.errorCount,
        patients: answer.patientsCreated, enrollments: answer.enrollmentsCreated })),
      errors.length ? h('table', { 'aria-label': 'Errors in the file' },
        h('thead', {}, h('tr', {}, h('th', {}, t('registry.line')), h('th', {}, t('registry.problem')))),
        h('tbody', {}, errors.map((e) => h('tr', {}, h('td', {}, String(e.line)), h('td', {}, e.message))))) : '');
    // Importing is offered only for a file that checked clean.
    importButton.disabled = !dryRun || errors.length > 0;
    if (!dryRun) showOk(t('registry.done'));
  }

  async function exportFhir() {
    const answer = await attempt(() => call('RegistryService', 'ExportFhir', { protocolCode: protocol.value }));
    if (!answer) return;
    clear(download).append(downloadLink(answer.bundleJson, `${protocol.value}-fhir.json`, 'application/fhir+json',
      t('registry.bundle', { count: answer.specimenCount, withheld: answer.withheldCount })));
  }

  file.addEventListener('change', () => { importButton.disabled = true; clear(report); });
  importButton.addEventListener('click', () => send(false));
  return h('section', { class: 'card' }, h('h2', {}, t('registry.title')),
    h('div', { class: 'row' }, field(t('registry.file'), file, 'Registry CSV'),
      h('button', { type: 'button', onclick: () => send(true) }, t('registry.check')), importButton),
    report,
    h('div', { class: 'row' }, field(t('sample.protocol'), protocol, 'FHIR protocol'),
      h('button', { type: 'button', onclick: exportFhir }, t('registry.fhir')), download));
}
