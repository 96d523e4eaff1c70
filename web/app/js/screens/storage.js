// Storage (managers): the tree site → room → freezer → rack → box with positions used / total at
// every level, new units, and a box opening its map.
import { call, requestId } from '../api.js';
import { h, field, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { showOk, attempt } from '../feedback.js';

const CHILD_KIND = {
  STORAGE_KIND_SITE: 'STORAGE_KIND_ROOM', STORAGE_KIND_ROOM: 'STORAGE_KIND_FREEZER',
  STORAGE_KIND_FREEZER: 'STORAGE_KIND_RACK', STORAGE_KIND_RACK: 'STORAGE_KIND_BOX',
  STORAGE_KIND_SHELF: 'STORAGE_KIND_RACK', STORAGE_KIND_TOWER: 'STORAGE_KIND_BOX',
};

function bar({ used, total }) {
  const percent = total ? Math.round((100 * used) / total) : 0;
  return h('span', { class: 'usage' },
    h('meter', { min: '0', max: String(total || 1), value: String(used), 'aria-label': t('storage.used') }),
    ` ${used} / ${total} (${percent}%)`);
}

// One unit and everything under it, listed once; returns its element and its positions used /
// total (a box counts its wells, the rest sum their children's).
async function node(unit) {
  const item = h('li', { class: 'unit' });
  const label = unit.kind === 'STORAGE_KIND_BOX'
    ? h('a', { href: `#/box?box=${unit.id}` }, unit.name)
    : h('span', {}, unit.name);
  let usage;
  let below = [];
  if (unit.kind === 'STORAGE_KIND_BOX') {
    const answer = await call('StorageService', 'GetStorageUnit', { id: unit.id });
    usage = { used: answer.occupied, total: unit.rows * unit.columns };
  } else {
    const children = await call('StorageService', 'ListStorageUnits', { parentId: unit.id, pageSize: 500 });
    const done = [];
    for (const child of children.units || []) done.push(await node(child));
    usage = done.reduce((sum, c) => ({ used: sum.used + c.usage.used, total: sum.total + c.usage.total }),
                        { used: 0, total: 0 });
    below = [h('ul', {}, done.map((c) => c.element)), addForm(unit)];
  }
  item.append(h('span', { class: 'kind' }, enumWord(unit.kind, 'STORAGE_KIND_')), ' ', label, ' ', bar(usage), ...below);
  return { element: item, usage };
}

function addForm(parent) {
  const kind = CHILD_KIND[parent.kind] || 'STORAGE_KIND_BOX';
  const name = h('input', { type: 'text', required: true });
  const rows = h('input', { type: 'number', min: '1', max: '26', value: '9' });
  const columns = h('input', { type: 'number', min: '1', max: '99', value: '9' });
  const box = kind === 'STORAGE_KIND_BOX';
  const form = h('form', { class: 'row add-unit' },
    field(t('storage.newName', { kind: enumWord(kind, 'STORAGE_KIND_') }), name, `New ${enumWord(kind, 'STORAGE_KIND_')} in ${parent.name}`),
    box ? field(t('storage.rows'), rows, 'Rows') : '', box ? field(t('storage.columns'), columns, 'Columns') : '',
    h('button', { type: 'submit' }, t('storage.add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const created = await attempt(() => call('StorageService', 'CreateStorageUnit', {
      parentId: parent.id, kind, name: name.value.trim(), rows: box ? Number(rows.value) : 0,
      columns: box ? Number(columns.value) : 0, requestId: requestId(),
    }));
    if (created) {
      showOk(t('storage.created', { path: created.unit.path }));
      dispatchEvent(new HashChangeEvent('hashchange'));
    }
  });
  return form;
}

// Boxes whose name contains the text, anywhere in the caller's sites; each opens its map.
function boxSearch() {
  const text = h('input', { type: 'search', required: true });
  const found = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' }, h('div', { class: 'row' },
    field(t('storage.search'), text, 'Box name'), h('button', { type: 'submit' }, t('storage.find'))), found);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await attempt(() => call('StorageService', 'ListStorageUnits',
      { nameContains: text.value.trim(), kind: 'STORAGE_KIND_BOX', pageSize: 100 }));
    if (!answer) return;
    const units = answer.units || [];
    clear(found).append(h('p', {}, t('storage.found', { count: units.length })),
      h('ul', { 'aria-label': 'Boxes found' }, units.map((u) => h('li', {},
        h('a', { href: `#/box?box=${u.id}` }, u.path), ` (${u.rows} × ${u.columns})`))));
  });
  return form;
}

export async function storageScreen(main) {
  const tree = h('ul', { class: 'tree-view', 'aria-label': 'Storage tree' });
  main.append(h('h1', {}, t('storage.title')), boxSearch(), h('section', { class: 'card' }, tree));
  const roots = await attempt(() => call('StorageService', 'ListStorageUnits', { pageSize: 500 }));
  for (const unit of roots?.units || []) tree.append((await node(unit)).element);
}
