// The tubes of one enrollment (ListSamples), as a table: what a completeness cell and a
// patient's timeline open. Each placed tube links to its box's map.
import { call } from './api.js';
import { h, enumWord } from './dom.js';
import { t } from './i18n.js';

// Every tube of the enrollment (of one timepoint when given), page after page.
export async function enrollmentTubes(patientRegistryId, protocolCode, timepointCode = '') {
  const tubes = [];
  let pageToken = '';
  do {
    const page = await call('SampleService', 'ListSamples',
      { patientRegistryId, protocolCode, timepointCode, pageSize: 500, pageToken });
    tubes.push(...(page.samples || []));
    pageToken = page.nextPageToken || '';
  } while (pageToken);
  return tubes;
}

export function tubeTable(tubes, label) {
  if (!tubes.length) return h('p', { class: 'empty' }, t('tubes.none'));
  return h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, ['barcode', 'timepoint', 'type', 'quantity', 'status', 'parent', 'where']
      .map((c) => h('th', {}, t(`tubes.${c}`))))),
    h('tbody', {}, tubes.map(({ sample, location }) => h('tr', {},
      h('td', {}, sample.barcode), h('td', {}, sample.timepointCode), h('td', {}, sample.sampleType),
      h('td', {}, sample.quantity ? `${sample.quantity.value} ${sample.quantity.unit}` : ''),
      h('td', {}, enumWord(sample.status, 'SAMPLE_STATUS_')), h('td', {}, sample.parentBarcode || ''),
      h('td', {}, location
        ? h('a', { href: `#/box?box=${location.boxId}` }, `${location.path} · ${location.position}`)
        : '—')))));
}
