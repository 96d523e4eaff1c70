// Patients (coordinators): find or create a patient, enroll them with an anchor date, and their
// timeline: each enrollment's timepoints with their windows and what was collected.
import { call, requestId } from '../api.js';
import { h, field, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk, hideError } from '../feedback.js';
import { registryFiles } from '../registry_io.js';
import { enrollmentTubes, tubeTable } from '../tube_list.js';

export function patientsScreen(main) {
  const registryId = h('input', { type: 'text', autocomplete: 'off' });
  const site = h('input', { type: 'text', placeholder: 'PSL' });
  const protocol = h('select', {});
  const anchor = h('input', { type: 'date' });
  const view = h('section', { class: 'card', 'aria-live': 'polite' });
  let patient = null;

  async function timeline(enrollment) {
    const [protocolAnswer, completeness, tubes] = await Promise.all([
      call('RegistryService', 'GetProtocol', { code: enrollment.protocolCode }),
      call('RegistryService', 'GetCompleteness', { protocolCode: enrollment.protocolCode, pageSize: 500 }),
      enrollmentTubes(patient.registryId, enrollment.protocolCode),
    ]);
    const row = (completeness.rows || []).find((r) => r.enrollmentId === enrollment.id);
    const cells = new Map((row?.cells || []).map((c) => [c.timepointCode, c]));
    return [h('table', { 'aria-label': `Timeline ${enrollment.protocolCode}` },
      h('thead', {}, h('tr', {}, ['timepoint', 'window', 'collected', 'status'].map((c) => h('th', {}, t(`patients.${c}`))))),
      h('tbody', {}, (protocolAnswer.protocol.timepoints || []).map((tp) => {
        const cell = cells.get(tp.code);
        return h('tr', {}, h('td', {}, tp.name ? `${tp.code} — ${tp.name}` : tp.code),
          h('td', {}, cell ? `${cell.windowStart} … ${cell.windowEnd}` : ''),
          h('td', {}, cell ? `${cell.collectedCount} / ${cell.expectedCount}` : ''),
          h('td', { class: cell ? `status-${enumWord(cell.status, 'COMPLETENESS_STATUS_').replace(/ /g, '-')}` : '' },
            cell ? enumWord(cell.status, 'COMPLETENESS_STATUS_') : ''));
      }))),
    h('h4', {}, t('patients.tubes')), tubeTable(tubes, `Tubes ${enrollment.protocolCode}`)];
  }

  async function show(answer) {
    patient = answer.patient;
    hideError();
    clear(view).append(h('h2', {}, `${patient.registryId} (${patient.siteCode})`));
    for (const e of answer.enrollments || []) {
      view.append(h('h3', {}, `${e.protocolCode}, ${t('patients.anchor')} ${e.anchorDate}`), ...(await timeline(e)));
    }
  }

  async function find(event) {
    event?.preventDefault();
    const answer = await attempt(() => call('RegistryService', 'GetPatient', { registryId: registryId.value.trim() }));
    if (answer) await show(answer);
  }

  async function create() {
    const created = await attempt(() => call('RegistryService', 'CreatePatient',
      { registryId: registryId.value.trim(), siteCode: site.value.trim(), requestId: requestId() }));
    if (created) {
      showOk(t('patients.created', { id: created.patient.registryId }));
      await find();
    }
  }

  async function enroll(event) {
    event.preventDefault();
    if (!patient) return;
    const done = await attempt(() => call('RegistryService', 'EnrollPatient',
      { patientId: patient.id, protocolCode: protocol.value, anchorDate: anchor.value, requestId: requestId() }));
    if (done) {
      showOk(t('patients.enrolled', { id: patient.registryId, protocol: protocol.value }));
      await find();
    }
  }

  const files = h('div', {});
  call('RegistryService', 'ListProtocols', { pageSize: 200 }).then((answer) => {
    protocol.append(...(answer.protocols || []).map((p) => h('option', { value: p.code }, p.code)));
    files.append(registryFiles(answer.protocols || []));
  }, () => {});
  main.append(h('h1', {}, t('patients.title')),
    h('form', { class: 'card row', onsubmit: find },
      field(t('collect.registryId'), registryId, 'Patient registry id'), h('button', { type: 'submit' }, t('collect.find')),
      field(t('completeness.site'), site, 'Site of a new patient'),
      h('button', { type: 'button', onclick: create }, t('patients.create'))),
    h('form', { class: 'card row', onsubmit: enroll },
      field(t('sample.protocol'), protocol, 'Protocol'), field(t('patients.anchor'), anchor, 'Anchor date'),
      h('button', { type: 'submit' }, t('patients.enroll'))),
    view, files);
}
