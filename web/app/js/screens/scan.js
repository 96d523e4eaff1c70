// Scan (home): a tube's identity, patient, timepoint, consent and place, from one scan.
import { call } from '../api.js';
import { h, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { showError, hideError } from '../feedback.js';
import { scanField } from '../scan_field.js';
import { boxMap, tubesOf } from '../box_map.js';

export function scanScreen(main) {
  const result = h('section', { class: 'result', 'aria-live': 'polite' });
  const scanner = scanField(async (barcode) => {
    try {
      const answer = await call('SampleService', 'ResolveBarcode', { barcode });
      hideError();
      await showSample(result, answer);
    } catch (error) {
      clear(result);
      showError(error.message);
    }
  });
  main.append(h('section', { class: 'card' }, h('p', { class: 'hint' }, t('scan.hint')), scanner.element),
              result);
}

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

export async function showSample(container, answer) {
  const sample = answer.sample;
  const quantity = sample.quantity ? `${sample.quantity.value} ${sample.quantity.unit}` : '';
  const consent = answer.consentWithdrawn
    ? h('strong', { class: 'bad' }, t('consent.withdrawn'))
    : (answer.consentScopes || []).map((scope) => enumWord(scope, 'CONSENT_SCOPE_')).join(', ') ||
      t('consent.none');
  const timepoint = [answer.timepointCode || sample.timepointCode,
    sample.outOfWindow ? h('strong', { class: 'warn' }, ` ⚠ ${t('sample.outOfWindow')} (${sample.windowOffsetDays} d)`) : null];
  const location = answer.location?.boxId ? answer.location.path : t('sample.notStored');
  const card = h('article', { class: 'card sample', 'aria-label': `Tube ${sample.barcode}` },
    h('h2', { class: 'barcode' }, sample.barcode),
    h('dl', {},
      row(t('sample.type'), sample.sampleType),
      row(t('sample.quantity'), quantity),
      row(t('sample.status'), h('span', { class: `status ${enumWord(sample.status, 'SAMPLE_STATUS_')}` },
                                enumWord(sample.status, 'SAMPLE_STATUS_'))),
      row(t('sample.patient'), answer.patientRegistryId || sample.patientRegistryId),
      row(t('sample.protocol'), answer.protocolCode || sample.protocolCode),
      row(t('sample.timepoint'), ...timepoint),
      row(t('sample.consent'), consent),
      row(t('sample.freezeThaw'), String(sample.freezeThawCount)),
      sample.parentBarcode ? row(t('sample.parent'), sample.parentBarcode) : [],
      row(t('sample.location'), location)));
  clear(container).append(card);
  if (answer.location?.boxId) {
    // The map follows the card: the tube is on screen without waiting for its box.
    try {
      const contents = await call('StorageService', 'GetBoxContents', { boxId: answer.location.boxId });
      card.append(boxMap(contents.box, tubesOf(contents), { highlight: answer.location.position }));
    } catch (error) {
      showError(error.message);
    }
  }
}
