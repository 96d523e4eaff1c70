// Storage (managers): the tree site → room → freezer → rack → box with positions used / total at
// every level, new units, and a box opening its map.
import { call, requestId } from '../api.js';
import { h, field, clear, enumWord, downloadLink } from '../dom.js';
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

// Through the CSSOM: the Content-Security-Policy refuses style attributes.
function indented(cell, depth) {
  cell.style.paddingLeft = `${depth * 1.2}rem`;
  return cell;
}

// The capacity report of a unit: every level below it with positions, occupied, free and a bar;
// the same as CSV.
function capacityReport(roots) {
  const unit = h('select', {}, roots.map((u) => h('option', { value: u.id }, u.path)));
  const report = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' }, h('h2', {}, t('capacity.title')),
    h('div', { class: 'row' }, field(t('capacity.unit'), unit, 'Capacity of'), h('button', { type: 'submit' }, t('completeness.show'))), report);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await attempt(() => call('StorageService', 'GetCapacity', { unitId: unit.value }));
    if (!answer) return;
    const rows = answer.rows || [];
    const csv = ['unit_id,path,kind,positions,occupied,free',
      ...rows.map((r) => [r.unitId, `"${r.path.replace(/"/g, '""')}"`, enumWord(r.kind, 'STORAGE_KIND_'),
        r.positions, r.occupied, r.positions - r.occupied].join(','))].join('\r\n');
    clear(report).append(
      h('table', { 'aria-label': 'Capacity' },
        h('thead', {}, h('tr', {}, ['unit', 'positions', 'occupied', 'free', 'used'].map((c) => h('th', {}, t(`capacity.${c}`))))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          indented(h('td', {}, `${enumWord(r.kind, 'STORAGE_KIND_')} ${r.path.split(' / ').pop()}`), r.depth),
          h('td', {}, String(r.positions)), h('td', {}, String(r.occupied)), h('td', {}, String(r.positions - r.occupied)),
          h('td', {}, bar({ used: Number(r.occupied), total: Number(r.positions) })))))),
      downloadLink(csv, 'capacity.csv', 'text/csv', t('capacity.csv')));
  });
  return form;
}

// Empty positions at a site for a batch of tubes, together in one box when one has room.
function freeFinder() {
  const site = h('input', { type: 'text', placeholder: 'PSL', required: true });
  const layout = h('input', { type: 'text', value: '9x9', required: true });
  const count = h('input', { type: 'number', min: '1', max: '1000', value: '12' });
  const found = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' }, h('h2', {}, t('free.title')),
    h('div', { class: 'row' }, field(t('completeness.site'), site, 'Free at site'), field(t('free.layout'), layout, 'Box layout'),
      field(t('free.count'), count, 'How many'), h('button', { type: 'submit' }, t('storage.find'))), found);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [rows, columns] = layout.value.toLowerCase().split('x').map(Number);
    const answer = await attempt(() => call('StorageService', 'FindFreePositions',
      { siteCode: site.value.trim(), rows, columns, count: Number(count.value) }));
    if (!answer) return;
    const positions = answer.positions || [];
    clear(found).append(h('p', {}, t(answer.together ? 'free.together' : 'free.spread', { count: positions.length })),
      h('ul', { 'aria-label': 'Free positions' }, positions.map((p) => h('li', {},
        h('a', { href: `#/box?box=${p.boxId}` }, p.path), ` · ${p.position}`))));
  });
  return form;
}

export async function storageScreen(main) {
  const tree = h('ul', { class: 'tree-view', 'aria-label': 'Storage tree' });
  main.append(h('h1', {}, t('storage.title')), boxSearch(), h('section', { class: 'card' }, tree));
  const roots = await attempt(() => call('StorageService', 'ListStorageUnits', { pageSize: 500 }));
  main.append(capacityReport(roots?.units || []), freeFinder());
  for (const unit of roots?.units || []) tree.append((await node(unit)).element);
}
