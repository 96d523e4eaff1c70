// Rack audit: a rack picture or a rack scanner's CSV for a box, read by the server and
// reconciled with what the LIMS records; a manager applies the result.
import { call, requestId, hasRole } from '../api.js';
import { h, field, clear, fileToBase64, fileToText } from '../dom.js';
import { t } from '../i18n.js';
import { showError, showOk, hideError } from '../feedback.js';
import { boxMap } from '../box_map.js';
import { boxPicker } from '../box_picker.js';

const KINDS = ['matched', 'missing', 'misplaced', 'unexpected'];

export function racksScreen(main) {
  const state = { box: null, request: null };
  const chosenBox = h('output', { class: 'chosen-box' });
  const file = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/bmp,.csv,text/csv' });
  const mirrored = h('input', { type: 'checkbox' });
  const result = h('section', { class: 'result' });
  const apply = h('button', { type: 'button', hidden: true }, t('racks.apply'));

  async function chooseBox(boxId) {
    try {
      const answer = await call('StorageService', 'GetStorageUnit', { id: boxId });
      state.box = answer.unit;
      chosenBox.value = answer.unit.path || answer.unit.name;
      hideError();
    } catch (error) {
      showError(error.message);
    }
  }

  async function read(applyIt) {
    if (!state.box || !file.files.length) {
      showError(`${t('racks.box')} / ${t('racks.file')}`);
      return;
    }
    const picked = file.files[0];
    const request = { boxId: state.box.id, rows: state.box.rows, columns: state.box.columns,
                      mirrored: mirrored.checked };
    if (/\.csv$/i.test(picked.name) || picked.type === 'text/csv') request.rackCsv = await fileToText(picked);
    else request.image = await fileToBase64(picked);
    if (applyIt) Object.assign(request, { apply: true, requestId: requestId() });
    try {
      const answer = await call('ScanService', 'ScanBox', request);
      hideError();
      show(answer);
      apply.hidden = applyIt || !hasRole('ROLE_MANAGER', 'ROLE_ADMIN');
      if (applyIt) showOk(t('racks.applied', { count: (answer.applied || []).length }));
    } catch (error) {
      showError(error.message);
    }
  }

  function show(answer) {
    const tubes = new Map();
    const marks = new Map();
    const notes = new Map();
    const reconciliation = answer.reconciliation || {};
    for (const kind of KINDS) {
      for (const tube of reconciliation[kind] || []) {
        const position = tube.position || tube.recordedAt;
        if (!position || position.includes(' ')) continue;
        tubes.set(position, { barcode: tube.barcode });
        marks.set(position, `mark-${kind}`);
        notes.set(position, kind === 'misplaced' ? `${t('racks.misplaced')}, ${t('racks.recordedAt', { where: tube.recordedAt })}` : t(`racks.${kind}`));
      }
    }
    for (const well of answer.wells || []) {
      if (well.state === 'WELL_STATE_UNREADABLE') {
        marks.set(well.position, 'mark-unreadable');
        notes.set(well.position, t('racks.unreadable'));
      }
    }
    const counts = KINDS.map((kind) => h('li', { class: `mark-${kind}` }, `${t(`racks.${kind}`)}: ${(reconciliation[kind] || []).length}`));
    counts.push(h('li', { class: 'mark-unreadable' }, `${t('racks.unreadable')}: ${(answer.wells || []).filter((w) => w.state === 'WELL_STATE_UNREADABLE').length}`));
    clear(result).append(
      h('ul', { class: 'legend' }, counts),
      answer.a1DecidedBy ? h('p', {}, t('racks.a1', { how: answer.a1DecidedBy })) : '',
      boxMap({ ...state.box, rows: answer.rows || state.box.rows, columns: answer.columns || state.box.columns },
             tubes, { marks, notes }));
  }

  apply.addEventListener('click', () => read(true));
  main.append(h('h1', {}, t('racks.title')),
    h('section', { class: 'card' }, boxPicker(chooseBox), field(t('racks.box'), chosenBox)),
    h('section', { class: 'card' },
      field(t('racks.file'), file, 'Rack file'), field(t('racks.mirrored'), mirrored, 'Mirrored'),
      h('button', { type: 'button', onclick: () => read(false) }, t('racks.read')), apply),
    result);
}
