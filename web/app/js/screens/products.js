// Products (cell-therapy bags): each custody step recorded by scanning the bag's DIN (a bag
// received against its papers' COI and patient), the issue for infusion with its two checks
// (the bag and the patient's registry id scanned; a second person confirms), the LN2 inventory,
// and the chain-of-identity page: every material and every event with who, when, where and why.
import { call, requestId } from '../api.js';
import { h, field, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk } from '../feedback.js';

const STEPS = ['RECEIVED', 'STORED', 'THAWED', 'SHIPPED_TO_MANUFACTURER', 'RETURNED', 'DISCARDED'];
const CONTAINERS = ['STORAGE_KIND_CANISTER', 'STORAGE_KIND_CASSETTE', 'STORAGE_KIND_BIN'];

const input = (name, attributes = {}) => h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', name, ...attributes });
const statusWord = (s) => enumWord(s, 'PRODUCT_STATUS_');

function productCard(p) {
  const stored = p.unitPath ? `${p.unitPath}${p.slot ? `, ${t('products.slot')} ${p.slot}` : ''}` : '—';
  return h('article', { class: 'card product', 'aria-label': `Bag ${p.dinPrinted}` },
    h('h2', { class: 'barcode' }, p.dinPrinted),
    h('dl', {},
      h('dt', {}, 'COI'), h('dd', {}, p.coi),
      h('dt', {}, t('products.status')), h('dd', {}, h('span', { class: `status ${statusWord(p.status)}` }, statusWord(p.status))),
      h('dt', {}, t('sample.patient')), h('dd', {}, p.patientRegistryId),
      h('dt', {}, t('products.kind')), h('dd', {}, enumWord(p.kind, 'PRODUCT_KIND_')),
      h('dt', {}, t('products.storedIn')), h('dd', {}, stored),
      h('dt', {}, t('products.expires')), h('dd', {}, p.expiresOn || '—')),
    h('a', { href: `#/products?chain=${encodeURIComponent(p.din)}` }, t('products.chainLink')));
}

async function custodyForm(shown) {
  const din = input('din');
  const step = h('select', {}, STEPS.map((s) => h('option', { value: s }, t(`products.step.${s}`))));
  const coi = input('coi');
  const patient = input('patient');
  const slot = h('input', { type: 'number', min: '0', value: '0' });
  const destination = input('destination');
  const reason = input('reason');
  const lists = await Promise.all(CONTAINERS.map((kind) =>
    call('StorageService', 'ListStorageUnits', { kind, pageSize: 200 }).catch(() => ({}))));
  const containers = lists.flatMap((l) => l.units || []);
  const container = h('select', {}, containers.map((u) => h('option', { value: u.id },
    `${u.path}${u.columns ? ` (${u.columns} ${t('products.slots')})` : ''}`)));
  const extras = {
    RECEIVED: [field(t('products.expectedCoi'), coi, 'Expected COI'), field(t('products.expectedPatient'), patient, 'Expected patient')],
    STORED: [field(t('products.container'), container, 'Container'), field(t('products.slot'), slot, 'Slot')],
    SHIPPED_TO_MANUFACTURER: [field(t('products.destination'), destination, 'Manufacturer')],
    RETURNED: [field(t('products.reason'), reason, 'Reason')],
    DISCARDED: [field(t('products.reason'), reason, 'Reason')],
  };
  const more = h('div', { class: 'row' });
  const showExtras = () => clear(more).append(...(extras[step.value] || []));
  step.addEventListener('change', showExtras);
  showExtras();
  const form = h('form', { class: 'card' }, h('h2', {}, t('products.custody')),
    h('div', { class: 'row' }, field('DIN', din, 'DIN'), field(t('products.stepLabel'), step, 'Step')), more,
    h('button', { type: 'submit' }, t('products.record')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { din: din.value.trim(), event: `CUSTODY_EVENT_${step.value}`, requestId: requestId() };
    if (step.value === 'RECEIVED') Object.assign(body, { expectedCoi: coi.value.trim(), expectedPatientRegistryId: patient.value.trim() });
    if (step.value === 'STORED') Object.assign(body, { unitId: container.value, slot: Number(slot.value) || 0 });
    if (step.value === 'SHIPPED_TO_MANUFACTURER') body.destination = destination.value.trim();
    if (step.value === 'RETURNED' || step.value === 'DISCARDED') body.reason = reason.value.trim();
    const answer = await attempt(() => call('ProductService', 'RecordCustodyEvent', body));
    if (!answer) return;
    showOk(t('products.recorded', { din: answer.product.dinPrinted, status: statusWord(answer.product.status) }));
    clear(shown).append(productCard(answer.product));
    din.value = '';
    din.focus();
  });
  return form;
}

// A form of labelled fields and one button; on submit, `send` makes the call and `done` shows
// its answer (the error alert is attempt's).
function actionForm(title, fields, button, send, done) {
  const form = h('form', { class: 'card' }, h('h2', {}, title),
    h('div', { class: 'row' }, ...fields.map(([label, el, name]) => field(label, el, name)),
      h('button', { type: 'submit' }, button)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await attempt(send);
    if (answer) done(answer);
  });
  return form;
}

function issueForm(shown) {
  const din = input('issue-din');
  const patient = input('issue-patient');
  const issueNumber = input('issue-number', { inputmode: 'numeric' });
  const infusedDin = input('infused-din');
  const showBag = (answer) => {
    showOk(t('products.recorded', { din: answer.product.dinPrinted, status: statusWord(answer.product.status) }));
    clear(shown).append(productCard(answer.product));
  };
  const issue = actionForm(t('products.issueTitle'),
    [[t('products.bagDin'), din, 'Bag DIN'], [t('products.patientId'), patient, 'Patient registry id']], t('products.issue'),
    () => call('ProductService', 'IssueProduct', { din: din.value.trim(), patientRegistryId: patient.value.trim(), requestId: requestId() }),
    (answer) => {
      const text = t('products.issued', { id: answer.issueId, din: answer.product.dinPrinted });
      showOk(text);
      clear(shown).append(h('p', { class: 'card', role: 'status', 'aria-label': 'Issue' }, text));
    });
  issue.insertBefore(h('p', { class: 'hint' }, t('products.issueHint')), issue.children[1]);
  const confirm = actionForm(t('products.confirmTitle'), [[t('products.issueNumber'), issueNumber, 'Issue number']],
    t('products.confirm'),
    () => call('ProductService', 'ConfirmIssue', { issueId: issueNumber.value.trim(), requestId: requestId() }), showBag);
  const infuse = actionForm(t('products.infuseTitle'), [[t('products.bagDin'), infusedDin, 'Infused bag DIN']],
    t('products.infuse'),
    () => call('ProductService', 'RecordInfusion', { din: infusedDin.value.trim(), requestId: requestId() }), showBag);
  return [issue, confirm, infuse];
}

async function inventory() {
  const answer = await attempt(() => call('ProductService', 'ListProducts', { status: 'PRODUCT_STATUS_STORED', pageSize: 500 }));
  const products = answer?.products || [];
  return h('section', { class: 'card' }, h('h2', {}, t('products.inventory')), products.length
    ? h('table', { 'aria-label': 'LN2 inventory' },
      h('thead', {}, h('tr', {}, ['DIN', 'COI', t('sample.patient'), t('products.storedIn'), t('products.expires')].map((c) => h('th', {}, c)))),
      h('tbody', {}, products.map((p) => h('tr', {},
        h('td', {}, h('a', { href: `#/products?chain=${encodeURIComponent(p.din)}` }, p.dinPrinted)), h('td', {}, p.coi),
        h('td', {}, p.patientRegistryId), h('td', {}, `${p.unitPath}${p.slot ? `, ${t('products.slot')} ${p.slot}` : ''}`),
        h('td', {}, p.expiresOn || '—')))))
    : h('p', { class: 'hint' }, t('products.noneStored')));
}

// The chain of identity of the therapy a DIN, COI or patient registry id names.
async function chainPage(main, asked) {
  const query = input('chain-query', { value: asked });
  const form = h('form', { class: 'card row' }, field(t('products.chainQuery'), query, 'DIN, COI or patient'),
    h('button', { type: 'submit' }, t('products.show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/products?chain=${encodeURIComponent(query.value.trim())}`;
  });
  main.append(h('h1', {}, t('products.chainTitle')), form);
  const text = asked.trim();
  if (!text) return;
  const by = /^COI-/i.test(text) ? { coi: text } : /^[=A-Za-z]\d{4}\s?\d{2}\s?\d{6}/.test(text) ? { din: text } : { patientRegistryId: text };
  const chain = await attempt(() => call('ProductService', 'GetChainOfIdentity', by));
  if (!chain) return;
  main.append(h('section', { class: 'card' },
    h('h2', {}, `${chain.coi} — ${t('sample.patient')} ${chain.patientRegistryId}`),
    h('table', { 'aria-label': 'Materials' },
      h('thead', {}, h('tr', {}, ['DIN', t('products.kind'), t('products.status'), t('products.madeFrom'), t('products.storedIn')].map((c) => h('th', {}, c)))),
      h('tbody', {}, (chain.materials || []).map((m) => h('tr', {},
        h('td', {}, m.din), h('td', {}, enumWord(m.kind, 'PRODUCT_KIND_')), h('td', {}, statusWord(m.status)),
        h('td', {}, m.sourceDin || '—'), h('td', {}, m.unitPath ? `${m.unitPath}${m.slot ? `, ${m.slot}` : ''}` : '—'))))),
    h('table', { 'aria-label': 'Chain of identity' },
      h('thead', {}, h('tr', {}, ['Event', 'When', 'Who', 'Where', 'Why', 'DIN'].map((c) => h('th', { 'aria-label': c }, t(`products.col.${c}`))))),
      h('tbody', {}, (chain.events || []).map((e) => h('tr', { class: /REFUSED/.test(e.event) ? 'refused' : '' },
        h('td', {}, enumWord(e.event, 'CUSTODY_EVENT_')), h('td', {}, new Date(e.at).toLocaleString()), h('td', {}, e.actor),
        h('td', {}, e.where), h('td', {}, e.why || ''), h('td', {}, e.din))))),
    (chain.otherCois || []).length ? h('p', { class: 'hint' }, t('products.otherCois', { cois: chain.otherCois.join(', ') })) : ''));
}

export async function productsScreen(main, params) {
  if (params.has('chain')) {
    await chainPage(main, params.get('chain'));
    return;
  }
  const shown = h('section', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('products.title')), await custodyForm(shown), ...issueForm(shown), shown,
    h('p', {}, h('a', { href: '#/products?chain=' }, t('products.chainTitle'))), await inventory());
}
