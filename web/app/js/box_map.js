// A box as an ARIA grid (W3C ARIA Authoring Practices, "grid" pattern): one gridcell per well,
// named by its position then the tube's code; arrow keys move between wells, Enter or a click
// chooses one.
import { h } from './dom.js';

const ROW_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function positionName(row, column) {
  return `${ROW_LETTERS[row]}${column + 1}`;
}

// box: {name, rows, columns}; tubes: Map position → {barcode, sampleType}; options:
// {highlight, marks: Map position → css class, notes: Map position → text, onChoose}
export function boxMap(box, tubes, options = {}) {
  const rows = box.rows || 1;
  const columns = box.columns || 1;
  const grid = h('div', { role: 'grid', class: 'box-map', 'aria-label': `Box ${box.name}` });
  grid.style.setProperty('--columns', columns);
  const header = h('div', { role: 'row', class: 'box-row header' }, h('span', { role: 'columnheader' }, ''));
  for (let c = 0; c < columns; ++c) header.append(h('span', { role: 'columnheader' }, c + 1));
  grid.append(header);
  const cells = [];
  for (let r = 0; r < rows; ++r) {
    const row = h('div', { role: 'row', class: 'box-row' }, h('span', { role: 'rowheader' }, ROW_LETTERS[r]));
    for (let c = 0; c < columns; ++c) {
      const position = positionName(r, c);
      const tube = tubes.get(position);
      const note = options.notes?.get(position);
      const name = [position, tube ? tube.barcode : 'empty', note].filter(Boolean).join(' ');
      const cell = h('span', {
        role: 'gridcell', tabindex: '-1', 'aria-label': name, title: name,
        class: ['well', tube ? `occupied type-${(tube.sampleType || '').toLowerCase()}` : 'empty',
                options.marks?.get(position), options.highlight === position && 'highlight']
            .filter(Boolean).join(' '),
        dataset: { position, row: r, column: c },
        'aria-selected': options.highlight === position ? 'true' : 'false',
      }, tube ? shortCode(tube.barcode) : '');
      cells.push(cell);
      row.append(cell);
    }
    grid.append(row);
  }
  const start = cells.find((cell) => cell.dataset.position === options.highlight) || cells[0];
  if (start) start.tabIndex = 0;
  grid.addEventListener('keydown', (event) => moveFocus(event, cells, rows, columns, options));
  grid.addEventListener('click', (event) => {
    const cell = event.target.closest('[role=gridcell]');
    if (cell) choose(cell, cells, options);
  });
  return grid;
}

function shortCode(barcode) {
  return barcode.length > 6 ? barcode.slice(-4) : barcode;
}

function choose(cell, cells, options) {
  for (const other of cells) {
    other.tabIndex = -1;
    other.setAttribute('aria-selected', 'false');
    other.classList.remove('highlight');
  }
  cell.tabIndex = 0;
  cell.setAttribute('aria-selected', 'true');
  cell.classList.add('highlight');
  cell.focus();
  options.onChoose?.(cell.dataset.position);
}

function moveFocus(event, cells, rows, columns, options) {
  const cell = event.target.closest('[role=gridcell]');
  if (!cell) return;
  let r = Number(cell.dataset.row);
  let c = Number(cell.dataset.column);
  switch (event.key) {
    case 'ArrowRight': c = Math.min(columns - 1, c + 1); break;
    case 'ArrowLeft': c = Math.max(0, c - 1); break;
    case 'ArrowDown': r = Math.min(rows - 1, r + 1); break;
    case 'ArrowUp': r = Math.max(0, r - 1); break;
    case 'Home': c = 0; break;
    case 'End': c = columns - 1; break;
    case 'Enter': case ' ': choose(cell, cells, options); event.preventDefault(); return;
    default: return;
  }
  event.preventDefault();
  const next = cells[r * columns + c];
  cell.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
}

// GetBoxContents' slots as the map's tubes.
export function tubesOf(contents) {
  const tubes = new Map();
  for (const slot of contents.slots || []) {
    tubes.set(slot.position, { barcode: slot.barcode, sampleType: slot.sampleType });
  }
  return tubes;
}
