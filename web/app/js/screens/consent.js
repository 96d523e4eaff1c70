// Consent (coordinators): a patient's consent today and its full history; record a signed form,
// withdraw scopes with a reason (taking effect at once on requests that needed them).
import { call, requestId } from '../api.js';
import { h, field, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk, hideError } from '../feedback.js';

const SCOPES = ['STORAGE', 'RESEARCH', 'GENETIC', 'SHARING_OUTSIDE_EU', 'COMMERCIAL'];

function scopeBoxes(name) {
  return h('fieldset', { class: 'scopes' }, h('legend', {}, name),
    SCOPES.map((s) => h('label', {}, h('input', { type: 'checkbox', value: `CONSENT_SCOPE_${s}` }), ` ${s.toLowerCase().replace(/_/g, ' ')}`)));
}
const checked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);
const today = () => new Date().toISOString().slice(0, 10);

export function consentScreen(main) {
  const registryId = h('input', { type: 'text', autocomplete: 'off' });
  const view = h('section', { class: 'card', 'aria-live': 'polite' });
  const recordScopes = scopeBoxes(t('consent.grant'));
  const signedOn = h('input', { type: 'date', value: today() });
  const version = h('input', { type: 'text', placeholder: 'v2' });
  const withdrawScopes = scopeBoxes(t('consent.withdrawScopes'));
  const withdrawnOn = h('input', { type: 'date', value: today() });
  const reason = h('input', { type: 'text' });
  let patient = null;

  async function load(event) {
    event?.preventDefault();
    const found = await attempt(() => call('RegistryService', 'GetPatient', { registryId: registryId.value.trim() }));
    if (!found) return;
    patient = found.patient;
    const answer = await attempt(() => call('RegistryService', 'GetConsent', { patientId: patient.id }));
    if (!answer) return;
    hideError();
    const c = answer.consent;
    clear(view).append(h('h2', {}, `${c.patientRegistryId} — ${t('completeness.asOf', { day: c.asOf })}`),
      h('p', {}, `${t('consent.granted')}: `, (c.granted || []).map((g) => enumWord(g.scope, 'CONSENT_SCOPE_')).join(', ') || t('consent.none')),
      (c.withdrawnScopes || []).length ? h('p', { class: 'bad' }, `${t('consent.withdrawn')}: `, c.withdrawnScopes.map((s) => enumWord(s, 'CONSENT_SCOPE_')).join(', ')) : '',
      h('table', { 'aria-label': 'Consent history' },
        h('thead', {}, h('tr', {}, ['effective', 'scope', 'change', 'version', 'reason'].map((k) => h('th', {}, t(`consent.${k}`))))),
        h('tbody', {}, (c.history || []).map((e) => h('tr', {}, h('td', {}, e.effectiveOn),
          h('td', {}, enumWord(e.scope, 'CONSENT_SCOPE_')), h('td', {}, e.withdrawn ? t('consent.withdrawnWord') : t('consent.grantedWord')),
          h('td', {}, e.version), h('td', {}, e.reason))))));
  }

  async function record(event) {
    event.preventDefault();
    if (!patient) return;
    const done = await attempt(() => call('RegistryService', 'RecordConsent', {
      patientId: patient.id, scopes: checked(recordScopes), signedOn: signedOn.value, version: version.value.trim(), requestId: requestId() }));
    if (done) { showOk(t('consent.recorded')); load(); }
  }

  async function withdraw(event) {
    event.preventDefault();
    if (!patient) return;
    const done = await attempt(() => call('RegistryService', 'WithdrawConsent', {
      patientId: patient.id, scopes: checked(withdrawScopes), withdrawnOn: withdrawnOn.value, reason: reason.value.trim(), requestId: requestId() }));
    if (done) { showOk(t('consent.withdrawDone')); load(); }
  }

  main.append(h('h1', {}, t('consent.title')),
    h('form', { class: 'card row', onsubmit: load }, field(t('collect.registryId'), registryId, 'Patient registry id'),
      h('button', { type: 'submit' }, t('collect.find'))),
    view,
    h('form', { class: 'card', onsubmit: record }, h('h2', {}, t('consent.record')), recordScopes,
      h('div', { class: 'row' }, field(t('consent.signedOn'), signedOn, 'Signed on'), field(t('consent.version'), version, 'Form version'),
        h('button', { type: 'submit' }, t('consent.record')))),
    h('form', { class: 'card', onsubmit: withdraw }, h('h2', {}, t('consent.withdraw')), withdrawScopes,
      h('div', { class: 'row' }, field(t('consent.withdrawnOn'), withdrawnOn, 'Withdrawn on'), field(t('consent.reasonLabel'), reason, 'Withdrawal reason'),
        h('button', { type: 'submit' }, t('consent.withdraw')))));
}
