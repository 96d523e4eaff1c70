// Collect and aliquot: patient → enrollment → timepoint (window shown), the primary tube, its
// aliquots, their label previews and printing: one flow, nothing typed twice.
import { call, requestId } from '../api.js';
import { h, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { showError, showOk, hideError, attempt } from '../feedback.js';

// The common types (lims-core/sample_types.cc has the full list the server checks against).
const COMMON_TYPES = ['BLD', 'SER', 'PL1', 'PL2', 'CEL', 'BMA', 'DNA', 'RNA', 'URN', 'CSF', 'TIS'];

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function addDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date;
}

// "YYYY-MM-DDTHH:MM" in the browser's time zone, for a datetime-local field.
function localNow() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function typeSelect() {
  return h('select', {}, COMMON_TYPES.map((code) => h('option', { value: code }, code)));
}

export function collectScreen(main) {
  const registryId = h('input', { type: 'text', autocomplete: 'off' });
  const enrollment = h('select', {});
  const timepoint = h('select', {});
  const windowNote = h('p', { class: 'window' });
  const type = typeSelect();
  const volume = h('input', { type: 'number', min: '0', step: 'any', value: '10' });
  const unit = h('select', {}, ['mL', 'uL'].map((u) => h('option', { value: u }, u)));
  const prePrinted = h('input', { type: 'text', autocomplete: 'off' });
  const collectedAt = h('input', { type: 'datetime-local', value: localNow() });
  const primary = h('output', { class: 'primary' });
  const count = h('input', { type: 'number', min: '1', max: '96', value: '4' });
  const aliquotType = typeSelect();
  const each = h('input', { type: 'number', min: '0', step: 'any', value: '0.5' });
  const eachUnit = h('select', {}, ['mL', 'uL'].map((u) => h('option', { value: u }, u)));
  const previews = h('div', { class: 'previews' });
  const printer = h('select', {});
  const state = { protocols: new Map(), enrollments: [], primary: '', aliquots: [] };

  async function findPatient() {
    const id = registryId.value.trim();
    if (!id) return;
    const patient = await attempt(() => call('RegistryService', 'GetPatient', { registryId: id }));
    if (!patient) return;
    const answer = await attempt(() => call('RegistryService', 'ListEnrollments',
                                            { patientId: patient.patient.id, pageSize: 100 }));
    if (!answer) return;
    state.enrollments = answer.enrollments || [];
    if (!state.enrollments.length) {
      showError(t('collect.noEnrollment'));
      return;
    }
    hideError();
    clear(enrollment).append(...state.enrollments.map((e) =>
      h('option', { value: e.id }, `${e.protocolCode} (${e.anchorDate})`)));
    await showTimepoints();
  }

  async function showTimepoints() {
    const chosen = state.enrollments.find((e) => e.id === enrollment.value);
    if (!chosen) return;
    if (!state.protocols.has(chosen.protocolCode)) {
      const answer = await attempt(() => call('RegistryService', 'GetProtocol', { code: chosen.protocolCode }));
      if (!answer) return;
      state.protocols.set(chosen.protocolCode, answer.protocol);
    }
    const protocol = state.protocols.get(chosen.protocolCode);
    clear(timepoint).append(...(protocol.timepoints || []).map((tp) =>
      h('option', { value: tp.code }, tp.name ? `${tp.code} — ${tp.name}` : tp.code)));
    // Preselect the timepoint whose window holds today.
    const today = isoDay(new Date());
    const current = (protocol.timepoints || []).find((tp) =>
      isoDay(addDays(chosen.anchorDate, tp.offsetDays - tp.windowBeforeDays)) <= today &&
      today <= isoDay(addDays(chosen.anchorDate, tp.offsetDays + tp.windowAfterDays)));
    if (current) timepoint.value = current.code;
    showWindow();
  }

  function showWindow() {
    const chosen = state.enrollments.find((e) => e.id === enrollment.value);
    const protocol = chosen && state.protocols.get(chosen.protocolCode);
    const tp = protocol?.timepoints?.find((x) => x.code === timepoint.value);
    if (!tp) return;
    const from = isoDay(addDays(chosen.anchorDate, tp.offsetDays - tp.windowBeforeDays));
    const to = isoDay(addDays(chosen.anchorDate, tp.offsetDays + tp.windowAfterDays));
    const day = isoDay(new Date(collectedAt.value || Date.now()));
    const outside = day < from || day > to;
    clear(windowNote).append(t('collect.window', { from, to }),
      outside ? h('strong', { class: 'warn' }, ` ⚠ ${t('collect.outside')}`) : '');
  }

  async function register(event) {
    event.preventDefault();
    const body = {
      enrollmentId: enrollment.value, timepointCode: timepoint.value, sampleType: type.value,
      quantity: { value: Number(volume.value), unit: unit.value }, requestId: requestId(),
      collectedAt: new Date(collectedAt.value || Date.now()).toISOString(),
    };
    if (prePrinted.value.trim()) body.barcode = prePrinted.value.trim();
    const answer = await attempt(() => call('SampleService', 'CollectSample', body));
    if (!answer) return;
    state.primary = answer.sample.barcode;
    aliquotType.value = answer.sample.sampleType;  // aliquots of serum are serum, unless changed
    primary.value = state.primary;
    prePrinted.value = '';
    showOk(t('collect.registered', { barcode: state.primary }));
    count.focus();
  }

  async function derive(event) {
    event.preventDefault();
    if (!state.primary) return;
    const answer = await attempt(() => call('SampleService', 'DeriveSamples', {
      parentBarcode: state.primary, sampleType: aliquotType.value, count: Number(count.value),
      quantityEach: { value: Number(each.value), unit: eachUnit.value }, requestId: requestId(),
    }));
    if (!answer) return;
    state.aliquots = answer.samples.map((s) => s.barcode);
    showOk(t('collect.derived', { count: state.aliquots.length, barcode: state.primary }));
    clear(previews);
    for (const barcode of state.aliquots) {
      const label = await attempt(() => call('LabelService', 'PreviewLabel', { barcode }));
      if (label) {
        previews.append(h('figure', {}, h('img', { src: `data:image/png;base64,${label.png}`, alt: `Label ${barcode}` }),
                          h('figcaption', {}, barcode)));
      }
    }
  }

  async function print(event) {
    event.preventDefault();
    if (!state.aliquots.length || !printer.value) return;
    const answer = await attempt(() => call('LabelService', 'PrintLabels', {
      barcodes: state.aliquots, printer: printer.value, requestId: requestId(),
    }));
    if (answer) showOk(t('collect.printed', { count: answer.labelsPrinted, printer: printer.value }));
  }

  registryId.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); findPatient(); } });
  enrollment.addEventListener('change', showTimepoints);
  timepoint.addEventListener('change', showWindow);
  collectedAt.addEventListener('change', showWindow);
  call('LabelService', 'ListPrinters', { pageSize: 100 }).then((answer) => {
    const printers = answer.printers || [];
    printer.append(...(printers.length ? printers.map((p) => h('option', { value: p.name }, p.name))
                                       : [h('option', { value: '' }, t('collect.noPrinter'))]));
  }, (error) => showError(error.message));

  main.append(h('h1', {}, t('collect.title')),
    h('section', { class: 'card' },
      h('div', { class: 'row' }, field(t('collect.registryId'), registryId, 'Patient registry id'),
        h('button', { type: 'button', onclick: findPatient }, t('collect.find'))),
      h('div', { class: 'row' }, field(t('collect.enrollment'), enrollment, 'Enrollment'),
        field(t('collect.timepoint'), timepoint, 'Timepoint')), windowNote),
    h('form', { class: 'card', onsubmit: register },
      h('div', { class: 'row' }, field(t('collect.type'), type, 'Sample type'),
        field(t('collect.volume'), volume, 'Volume'), field(t('collect.unit'), unit, 'Unit'),
        field(t('collect.collectedAt'), collectedAt, 'Collected at'),
        field(t('collect.prePrinted'), prePrinted, 'Pre-printed code')),
      h('button', { type: 'submit' }, t('collect.register')), primary),
    h('form', { class: 'card', onsubmit: derive },
      h('h2', {}, t('collect.aliquots')),
      h('div', { class: 'row' }, field(t('collect.count'), count, 'Aliquot count'),
        field(t('collect.type'), aliquotType, 'Aliquot type'),
        field(t('collect.each'), each, 'Volume each'), field(t('collect.unit'), eachUnit, 'Unit each')),
      h('button', { type: 'submit' }, t('collect.derive'))),
    h('form', { class: 'card', onsubmit: print },
      previews,
      h('div', { class: 'row' }, field(t('collect.printer'), printer, 'Printer'),
        h('button', { type: 'submit' }, t('collect.print')))));
  registryId.focus();
}
