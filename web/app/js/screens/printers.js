// Printers and label templates (managers): registered printers and a new one, each template
// previewed as an image for a tube, a test print, the print ledger.
import { call, requestId } from '../api.js';
import { h, field, clear } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk } from '../feedback.js';

export function printersScreen(main) {
  const printers = h('section', { class: 'card' });
  const name = h('input', { type: 'text', required: true });
  const uri = h('input', { type: 'text', required: true, placeholder: 'tcp://10.4.2.17:9100' });
  const dpi = h('select', {}, ['203', '300', '600'].map((d) => h('option', { value: d }, d)));
  const tube = h('input', { type: 'text', autocomplete: 'off' });
  const previews = h('div', { class: 'previews' });
  const ledger = h('section', { class: 'card' });

  async function loadPrinters() {
    const answer = await attempt(() => call('LabelService', 'ListPrinters', { pageSize: 200 }));
    if (!answer) return;
    clear(printers).append(h('table', { 'aria-label': 'Printers' },
      h('thead', {}, h('tr', {}, ['name', 'uri', 'dpi', 'stock', ''].map((c) => h('th', {}, c ? t(`printers.${c}`) : '')))),
      h('tbody', {}, (answer.printers || []).map((p) => h('tr', {}, h('td', {}, p.name), h('td', {}, p.uri),
        h('td', {}, String(p.dpi)), h('td', {}, p.labelStock),
        h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => testPrint(p.name) }, t('printers.test'))))))));
  }

  async function testPrint(printer) {
    if (!tube.value.trim()) { tube.focus(); return; }
    const answer = await attempt(() => call('LabelService', 'PrintLabels', {
      barcodes: [tube.value.trim()], printer, reason: 'test print', requestId: requestId() }));
    if (answer) { showOk(t('collect.printed', { count: answer.labelsPrinted, printer })); loadLedger(); }
  }

  async function preview() {
    const templates = await attempt(() => call('LabelService', 'ListLabelTemplates', {}));
    if (!templates || !tube.value.trim()) return;
    clear(previews);
    for (const template of templates.templates || []) {
      const label = await attempt(() => call('LabelService', 'PreviewLabel', { barcode: tube.value.trim(), template: template.name }));
      if (label) {
        previews.append(h('figure', {}, h('img', { src: `data:image/png;base64,${label.png}`, alt: `Template ${template.name}` }),
          h('figcaption', {}, `${template.name} (${template.widthMm}×${template.heightMm} mm): ${template.description}`)));
      }
    }
  }

  async function loadLedger() {
    const answer = await attempt(() => call('LabelService', 'ListPrintJobs', { pageSize: 50 }));
    if (!answer) return;
    clear(ledger).append(h('h2', {}, t('printers.ledger')), h('table', { 'aria-label': 'Print ledger' },
      h('thead', {}, h('tr', {}, ['when', 'printer', 'by', 'labels', 'reason'].map((c) => h('th', {}, t(`printers.${c}`))))),
      h('tbody', {}, (answer.jobs || []).map((j) => h('tr', {}, h('td', {}, new Date(j.printedAt).toLocaleString()),
        h('td', {}, j.printer), h('td', {}, j.printedBy),
        h('td', {}, (j.labels || []).map((l) => l.subject + (l.reprint ? ' (reprint)' : '')).join(', ')),
        h('td', {}, j.reason))))));
  }

  async function register(event) {
    event.preventDefault();
    const answer = await attempt(() => call('LabelService', 'RegisterPrinter', {
      name: name.value.trim(), uri: uri.value.trim(), dpi: Number(dpi.value), requestId: requestId() }));
    if (answer) { showOk(t('printers.registered', { name: answer.printer.name })); loadPrinters(); }
  }

  tube.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); preview(); } });
  main.append(h('h1', {}, t('printers.title')), printers,
    h('form', { class: 'card row', onsubmit: register },
      field(t('printers.name'), name, 'Printer name'), field(t('printers.uri'), uri, 'Printer address'),
      field(t('printers.dpi'), dpi, 'Resolution'), h('button', { type: 'submit' }, t('printers.register'))),
    h('section', { class: 'card' }, h('div', { class: 'row' }, field(t('printers.tube'), tube, 'Tube for previews'),
      h('button', { type: 'button', onclick: preview }, t('printers.preview'))), previews),
    ledger);
  loadPrinters();
  loadLedger();
}
