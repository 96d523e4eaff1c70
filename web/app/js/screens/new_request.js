// New request (researchers): criteria with a live preview of what would match, then submit.
// The preview counts; it never names a tube or a patient.
import { call, requestId } from '../api.js';
import { h, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk, hideError } from '../feedback.js';

const list = (input) => input.value.split(',').map((v) => v.trim()).filter(Boolean);

export function newRequestScreen(main) {
  const protocols = h('input', { type: 'text', placeholder: 'CART-SLE' });
  const timepoints = h('input', { type: 'text', placeholder: 'M3, M6' });
  const types = h('input', { type: 'text', placeholder: 'SER, PL2' });
  const minimum = h('input', { type: 'text', placeholder: '200uL' });
  const perPatient = h('input', { type: 'number', min: '0', value: '1' });
  const sites = h('input', { type: 'text', placeholder: 'PSL, LYO' });
  const maxMinutes = h('input', { type: 'number', min: '0', placeholder: '—' });
  const maxCelsius = h('input', { type: 'number', step: '0.1', placeholder: '—' });
  const scopes = h('fieldset', { class: 'scopes' }, h('legend', {}, t('newRequest.consent')),
    ['RESEARCH', 'GENETIC', 'SHARING_OUTSIDE_EU', 'COMMERCIAL'].map((s) => h('label', {},
      h('input', { type: 'checkbox', value: `CONSENT_SCOPE_${s}` }), ` ${s.toLowerCase().replace(/_/g, ' ')}`)));
  const title = h('input', { type: 'text', required: true });
  const ethics = h('input', { type: 'text', required: true });
  const preview = h('section', { class: 'card preview', 'aria-live': 'polite', 'aria-label': 'Preview' });

  function criteria() {
    const out = { protocolCodes: list(protocols), timepointCodes: list(timepoints),
                  sampleTypes: list(types), maxPerPatientTimepoint: Number(perPatient.value),
                  siteCodes: list(sites),
                  requiredConsentScopes: [...scopes.querySelectorAll('input:checked')].map((i) => i.value) };
    const q = minimum.value.trim().match(/^([\d.,]+)\s*(\S+)$/);
    if (q) out.minQuantity = { value: Number(q[1].replace(',', '.')), unit: q[2] };
    if (maxMinutes.value !== '') out.maxExposureMinutes = Number(maxMinutes.value);
    if (maxCelsius.value !== '') out.maxExposureCelsius = Number(maxCelsius.value);
    return out;
  }

  let pending;
  async function refresh() {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const answer = await attempt(() => call('RequestService', 'PreviewRequest', { criteria: criteria() }));
      if (!answer) return;
      hideError();
      clear(preview).append(h('p', {}, t('newRequest.matches', { patients: answer.matchingPatients, samples: answer.matchingSamples })),
        h('ul', {}, (answer.byTimepoint || []).map((l) => h('li', {}, `${l.timepointCode}: ${l.samples}`))));
    }, 250);
  }

  async function submit(event) {
    event.preventDefault();
    const answer = await attempt(() => call('RequestService', 'SubmitRequest', {
      title: title.value.trim(), ethicsReference: ethics.value.trim(), criteria: criteria(), requestId: requestId(),
    }));
    if (answer) {
      showOk(t('newRequest.submitted', { code: answer.sampleRequest.code }));
      location.hash = '#/my-requests';
    }
  }

  for (const input of [protocols, timepoints, types, minimum, perPatient, sites, maxMinutes, maxCelsius]) {
    input.addEventListener('input', refresh);
  }
  scopes.addEventListener('change', refresh);
  main.append(h('h1', {}, t('newRequest.title')),
    h('form', { class: 'card', onsubmit: submit },
      h('div', { class: 'row' }, field(t('sample.protocol'), protocols, 'Protocols'),
        field(t('collect.timepoint'), timepoints, 'Timepoints'), field(t('collect.type'), types, 'Sample types'),
        field(t('newRequest.minimum'), minimum, 'Minimum quantity'), field(t('newRequest.perPatient'), perPatient, 'Per patient and timepoint'),
        field(t('completeness.site'), sites, 'Sites'),
        field(t('newRequest.maxMinutes'), maxMinutes, 'Most minutes exposed'),
        field(t('newRequest.maxCelsius'), maxCelsius, 'Warmest exposure °C')),
      scopes,
      preview,
      h('div', { class: 'row' }, field(t('newRequest.requestTitle'), title, 'Title'), field(t('newRequest.ethics'), ethics, 'Ethics reference'),
        h('button', { type: 'submit' }, t('newRequest.submit')))));
  refresh();
}
