// Choosing a box: scan any tube in it, or walk the storage tree (site → … → box).
import { call } from './api.js';
import { h, field, clear } from './dom.js';
import { t } from './i18n.js';
import { showError, hideError } from './feedback.js';

export function boxPicker(onBox) {
  const tube = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  tube.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const barcode = tube.value.trim();
    tube.value = '';
    if (!barcode) return;
    try {
      const answer = await call('SampleService', 'ResolveBarcode', { barcode });
      if (!answer.location?.boxId) throw new Error(`${barcode}: ${t('sample.notStored')}`);
      hideError();
      onBox(answer.location.boxId);
    } catch (error) {
      showError(error.message);
    }
  });
  const levels = h('span', { class: 'tree' });
  addLevel(levels, '', onBox);
  return h('div', { class: 'picker' }, field(t('box.open'), tube, 'Box of tube'),
           h('span', { class: 'or' }, t('box.browse')), levels);
}

async function addLevel(levels, parentId, onBox) {
  let answer;
  try {
    answer = await call('StorageService', 'ListStorageUnits', { parentId, pageSize: 200 });
  } catch (error) {
    showError(error.message);
    return;
  }
  if (!answer.units?.length) return;
  const select = h('select', { 'aria-label': 'Storage unit' },
    h('option', { value: '' }, t('box.choose')),
    answer.units.map((unit) => h('option', { value: unit.id, dataset: { kind: unit.kind } }, unit.name)));
  select.addEventListener('change', () => {
    // Deeper levels belong to the previous choice.
    while (select.nextSibling) select.nextSibling.remove();
    const chosen = select.selectedOptions[0];
    if (!chosen.value) return;
    if (chosen.dataset.kind === 'STORAGE_KIND_BOX') onBox(chosen.value);
    else addLevel(levels, chosen.value, onBox);
  });
  levels.append(select);
}

