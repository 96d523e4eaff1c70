// Box: the map of a box, and scanning tubes into it (fill), moving, returning and retrieving
// them; each scan is one call, confirmed by colour and sound, or refused with nothing changed.
import { call, requestId } from '../api.js';
import { h, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { showError, showOk } from '../feedback.js';
import { scanField } from '../scan_field.js';
import { boxMap, tubesOf, positionName } from '../box_map.js';
import { boxPicker } from '../box_picker.js';

export function boxScreen(main, query) {
  const state = { boxId: query.get('box') || '', contents: null, selected: '' };
  const mapArea = h('div', { class: 'map-area' });
  const summary = h('p', { class: 'summary' });
  const mode = h('select', {},
    ['place', 'move', 'return', 'retrieve'].map((m) => h('option', { value: m }, t(`box.mode.${m}`))));
  const thawed = h('input', { type: 'checkbox' });
  const reason = h('input', { type: 'text' });
  const selectedLabel = h('output', { class: 'selected-well' });

  async function load(boxId) {
    state.boxId = boxId;
    try {
      state.contents = await call('StorageService', 'GetBoxContents', { boxId });
    } catch (error) {
      showError(error.message);
      return;
    }
    history.replaceState(null, '', `#/box?box=${encodeURIComponent(boxId)}`);
    draw();
  }

  function draw(flash) {
    const { box } = state.contents;
    const tubes = tubesOf(state.contents);
    const marks = new Map();
    if (flash) marks.set(flash.position, flash.css);
    clear(mapArea).append(h('h2', {}, box.path || box.name),
      boxMap(box, tubes, { highlight: state.selected, marks, onChoose: (p) => { state.selected = p; selectedLabel.value = p; scanner.input.focus(); } }));
    summary.textContent = t('box.used', { used: tubes.size, total: box.rows * box.columns });
  }

  function nextFree() {
    const { box } = state.contents;
    const tubes = tubesOf(state.contents);
    // A chosen well is tried even when occupied: the server refuses it and says why.
    if (state.selected) return state.selected;
    for (let r = 0; r < box.rows; ++r) {
      for (let c = 0; c < box.columns; ++c) {
        const position = positionName(r, c);
        if (!tubes.has(position)) return position;
      }
    }
    return '';
  }

  async function onScan(barcode) {
    if (!state.contents) {
      showError(t('box.open'));
      return;
    }
    const boxId = state.boxId;
    try {
      let done;
      if (mode.value === 'retrieve') {
        if (!reason.value.trim()) throw new Error(t('box.reasonNeeded'));
        const answer = await call('StorageService', 'RetrieveSample',
                                  { barcode, reason: reason.value.trim(), requestId: requestId() });
        done = { position: answer.previousLocation?.position, text: t('box.retrieved', { barcode, position: answer.previousLocation?.position }) };
      } else {
        const position = nextFree();
        if (!position) throw new Error(t('box.full'));
        const body = { barcode, boxId, position, requestId: requestId() };
        if (mode.value === 'place') await call('StorageService', 'PlaceSample', body);
        if (mode.value === 'move') await call('StorageService', 'MoveSample', { ...body, reason: reason.value.trim() });
        if (mode.value === 'return') await call('StorageService', 'ReturnSample', { ...body, thawed: thawed.checked });
        done = { position, text: t(`box.${mode.value === 'place' ? 'placed' : mode.value === 'move' ? 'moved' : 'returned'}`, { barcode, position }) };
      }
      state.selected = '';
      selectedLabel.value = '';
      state.contents = await call('StorageService', 'GetBoxContents', { boxId });
      draw({ position: done.position, css: 'just-done' });
      showOk(done.text);
    } catch (error) {
      showError(error.message);
    }
  }

  const scanner = scanField(onScan);
  main.append(
    h('section', { class: 'card' }, boxPicker((id) => { state.selected = ''; load(id); })),
    h('section', { class: 'card bench' },
      scanner.element,
      h('div', { class: 'options' }, field(t('box.mode'), mode, 'Mode'),
        field(t('box.selected'), selectedLabel),
        field(t('box.thawed'), thawed, 'Thawed'), field(t('box.reason'), reason, 'Reason')),
      summary, mapArea));
  if (state.boxId) load(state.boxId);
}
