// The other roles' main flows in Debian's Chromium, on the world tests/web/bench_flows.sh built:
// a manager (storage tree, a new rack, the audit trail of a tube, the chain), a coordinator (the
// completeness grid), a researcher (a new request with its live preview; never a barcode or a
// registry id on their pages), an admin (a new user with a first password, who then logs in),
// and a technician refused the manager's screen even by its address. TAP lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '../tools/node_modules/playwright-core/index.mjs';

const world = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let passed = 0;
const ok = (what) => console.log(`ok ${++passed} - ${what}`);
const check = (condition, what) => { if (!condition) throw new Error(`not as expected: ${what}`); };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const shot = async (page, name) => {
  if (world.screenshots) await page.screenshot({ path: join(world.screenshots, `${name}.png`), fullPage: true });
};

async function logIn(username, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => dialog.accept(world.dialogAnswer || 'ok'));
  await page.goto(`${world.paris}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return page;
}

const links = async (page) => page.getByRole('navigation').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')));

try {
  // --- manager ---
  const manager = await logIn('manager', 'manager-password-1');
  const menu = await links(manager);
  for (const name of ['Storage', 'Audit', 'My requests']) check(menu.includes(name), `manager menu has ${name}`);
  check(!menu.includes('Users'), 'no Users for a manager');
  await manager.getByRole('link', { name: 'Storage', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Storage' }).waitFor();  // the screen is drawn
  const fill = manager.getByRole('listitem').filter({ has: manager.getByRole('link', { name: 'B-FILL' }) });
  await fill.first().waitFor();
  check(/3 \/ 81/.test(await fill.first().textContent()), 'B-FILL: 3 of 81 positions used');
  await manager.getByLabel('New rack in F1').fill('R-NEW');
  await manager.getByLabel('New rack in F1').press('Enter');
  await manager.getByLabel('New box in R-NEW').waitFor();
  await manager.getByLabel('Box name').fill('fill');  // any case, any part of the name
  await manager.getByLabel('Box name').press('Enter');
  const found = manager.getByRole('list', { name: 'Boxes found' });
  await found.getByRole('link', { name: /B-FILL$/ }).waitFor();
  check(await found.getByRole('listitem').count() === 1, 'one box named like "fill"');
  await manager.getByLabel('Capacity of').selectOption({ label: 'Site PSL' });
  await manager.locator('form', { hasText: 'Capacity report' }).getByRole('button', { name: 'Show' }).click();
  const capacity = manager.getByRole('table', { name: 'Capacity' });
  await capacity.waitFor();
  const fillRow = capacity.locator('tr', { hasText: 'B-FILL' });
  await fillRow.waitFor();
  const cells = await fillRow.locator('td').allTextContents();
  check(cells.slice(1, 4).join('|') === '81|3|78', `B-FILL: 81 positions, 3 occupied, 78 free (${cells})`);
  await manager.getByRole('link', { name: 'Download as CSV' }).waitFor();
  await manager.getByLabel('Free at site').fill('PSL');
  await manager.getByLabel('How many').fill('5');
  await manager.locator('form', { hasText: 'Find empty positions' }).getByRole('button', { name: 'Find' }).click();
  await manager.getByText('5 free positions, all in one box').waitFor();
  await shot(manager, 'storage');
  await found.getByRole('link', { name: /B-FILL$/ }).click();
  await manager.getByRole('grid', { name: /B-FILL/ }).waitFor();
  await manager.getByRole('link', { name: 'Storage', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Storage' }).waitFor();
  await manager.getByRole('link', { name: 'Audit', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();  // the screen is drawn
  await manager.locator('.chain.ok').waitFor();
  await manager.getByLabel('Tube', { exact: true }).fill('4000000002');
  await manager.getByRole('button', { name: 'Search' }).click();
  const events = manager.getByRole('table', { name: 'Audit events' });
  await events.getByText('tech').first().waitFor();
  check((await events.textContent()).includes('B-FILL'), 'the placement in B-FILL is in the trail');
  await manager.getByLabel('Action', { exact: true }).fill('storage.placed');
  await manager.getByRole('button', { name: 'Search' }).click();
  // The table is redrawn with the filtered events (no other action left in it).
  const otherActions = events.locator('tbody tr td:nth-child(3)').filter({ hasNotText: /^storage\.placed$/ });
  for (let i = 0; i < 100 && await otherActions.count() > 0; ++i) await manager.waitForTimeout(100);
  const actionsShown = await events.locator('tbody tr td:nth-child(3)').allTextContents();
  check(actionsShown.length > 0 && actionsShown.every((a) => a === 'storage.placed'), `only placements: ${actionsShown}`);
  await manager.getByRole('button', { name: 'Export CSV' }).click();
  const csvLink = manager.getByRole('link', { name: /bytes of CSV downloaded/ });
  await csvLink.waitFor();
  const [download] = await Promise.all([manager.waitForEvent('download'), csvLink.click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r\n/);
  check(lines[0].startsWith('id,at,actor,action'), `the CSV's header: ${lines[0]}`);
  check(lines.length === actionsShown.length + 1 && lines.slice(1).every((l) => l.includes('storage.placed') && l.includes('4000000002')),
    `the CSV holds the events shown: ${csv}`);
  await shot(manager, 'audit');
  ok('manager: the storage tree with positions used, a new rack, a box found by name, the capacity report, empty positions found together, the audit trail of a tube filtered by action and exported as CSV, the chain verified');

  await manager.getByRole('link', { name: 'Shipments', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Receive a shipment' }).waitFor();  // the screen is drawn
  await manager.getByRole('link', { name: 'Send a shipment' }).click();
  await manager.getByRole('heading', { level: 1, name: 'Send a shipment' }).waitFor();
  await manager.getByLabel('Destination').fill('Lyon Sud biobank');
  await manager.getByRole('button', { name: 'Create the shipment' }).click();
  await manager.getByRole('heading', { name: /Shipment \d+: PSL → Lyon Sud biobank \(draft\)/ }).waitFor();
  const field = manager.getByLabel('Barcode', { exact: true });
  await field.fill('4000000004');
  await field.press('Enter');
  await manager.getByRole('table', { name: 'Packing list' }).getByText('4000000004').waitFor();
  await field.fill('4000000011');  // already shipped to Lyon: refused
  await field.press('Enter');
  await manager.getByRole('alert').getByText(/4000000011/).waitFor();
  await manager.getByRole('button', { name: 'Dispatch' }).click();
  await manager.getByRole('link', { name: /Manifest \(JSON/ }).waitFor();
  const [pdf] = await Promise.all([manager.waitForEvent('download'),
    manager.getByRole('link', { name: 'Packing list (PDF)' }).click()]);
  const pdfBytes = readFileSync(await pdf.path());
  check(pdfBytes.subarray(0, 5).toString() === '%PDF-' && pdfBytes.length > 1000, `a PDF packing list (${pdfBytes.length} bytes)`);
  await manager.getByRole('heading', { name: /\(dispatched\)/ }).waitFor();
  await shot(manager, 'shipment-send');
  ok('manager: a shipment created, a tube added by scanning (a shipped one refused), dispatched, its signed manifest offered');

  await manager.getByRole('link', { name: 'Printers', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Printers and label templates' }).waitFor();
  await manager.getByRole('table', { name: 'Printers' }).getByText('bench-1').waitFor();
  await manager.getByLabel('Tube for previews').fill('4000000002');
  await manager.getByLabel('Tube for previews').press('Enter');
  await manager.getByRole('img', { name: /^Template / }).first().waitFor();
  check((await manager.getByRole('img', { name: /^Template / }).evaluateAll((imgs) => imgs.map((i) => i.naturalWidth))).every((w) => w > 50), 'templates previewed as images');
  await manager.getByRole('row', { name: /bench-1/ }).getByRole('button', { name: 'Test print' }).click();
  await manager.getByRole('table', { name: 'Print ledger' }).getByText('test print').first().waitFor();
  await shot(manager, 'printers');
  ok('manager: printers, every template previewed for a tube, a test print, the print ledger');

  await manager.getByRole('link', { name: 'Freezers', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Freezers' }).waitFor();
  const f1 = manager.getByRole('article', { name: 'Freezer F1' });
  await f1.waitFor();
  check((await f1.textContent()).includes('probe ULT-F1'), 'F1 shows its probe');
  await manager.getByLabel('Temperature log').setInputFiles(world.temperatures);
  await manager.getByLabel('Time zone', { exact: true }).fill('UTC');
  await manager.getByRole('button', { name: 'Check (changes nothing)' }).click();
  await manager.getByText(/5 readings read: ready to import/).waitFor();
  await manager.getByRole('button', { name: 'Import', exact: true }).click();
  await manager.getByRole('heading', { level: 1, name: 'Freezers' }).waitFor();
  const alarm = manager.getByRole('article', { name: 'Freezer F1' }).getByRole('link', { name: /Open excursion/ });
  await alarm.waitFor();
  check(await manager.getByRole('img', { name: /F1, last 24 hours: 5 readings/ }).count() === 1, 'the 24-hour chart');
  await shot(manager, 'freezers');
  await alarm.click();
  const exposed = manager.getByRole('table', { name: 'Exposed tubes' });
  await exposed.waitFor();
  const headers = await exposed.getByRole('columnheader').allTextContents();
  check(headers.join('|') === 'Tube|Minutes exposed|Peak °C', `the exposed tubes' headers: ${headers}`);
  check((await exposed.textContent()).includes('4000000001'), 'a tube of B-FILL is exposed');
  await manager.getByLabel('Cause').fill('door left ajar after the night check');
  await manager.getByLabel('Impact').fill('tubes of F1 above -70 °C for minutes');
  await manager.getByLabel('Corrective action').fill('door alarm fitted');
  await manager.getByRole('button', { name: 'Acknowledge' }).click();
  await manager.getByText(/Acknowledged by manager/).waitFor();
  await shot(manager, 'excursion');
  await manager.getByRole('link', { name: 'Freezers', exact: true }).click();
  await manager.getByLabel('Evacuate', { exact: true }).selectOption({ label: 'Site PSL / Freezer F1' });
  await manager.getByLabel('Into', { exact: true }).selectOption({ label: 'Site PSL / Freezer F-BACKUP' });
  await manager.getByRole('button', { name: 'Plan the moves' }).click();
  const plan = manager.getByRole('table', { name: 'Evacuation plan' });
  await plan.waitFor();
  const planRows = plan.locator('tbody tr');
  check(await planRows.count() >= 3, 'every box of F1 is in the plan');
  const critical = (await planRows.locator('td:nth-child(6)').allTextContents()).map(Number);
  check(critical.every((n, i) => i === 0 || critical[i - 1] >= n), `most critical first: ${critical}`);
  const withdrawnHeader = await plan.locator('thead th').allTextContents();
  check(withdrawnHeader.includes('Withdrawn consent') && withdrawnHeader.includes('Label'), `the plan's columns: ${withdrawnHeader}`);
  const scan = manager.getByLabel('Barcode', { exact: true });
  await scan.fill('BOX-999999');
  await scan.press('Enter');
  await manager.getByRole('alert').filter({ hasText: 'is not in evacuation plan' }).waitFor();
  const firstLabel = await planRows.first().locator('td:nth-child(2)').textContent();
  await scan.fill(firstLabel);
  await scan.press('Enter');
  await manager.getByRole('table', { name: 'Evacuation plan' }).locator('tbody tr').first().getByText('moved').waitFor();
  await manager.getByRole('button', { name: 'Pick list (PDF)' }).click();
  const [pickList] = await Promise.all([manager.waitForEvent('download'),
    manager.getByRole('link', { name: 'Download the pick list' }).click()]);
  const pickBytes = readFileSync(await pickList.path());
  check(pickBytes.subarray(0, 5).toString() === '%PDF-', `a PDF pick list (${pickBytes.length} bytes)`);
  await shot(manager, 'evacuation');
  ok('manager: freezers with their last reading and chart; a temperature log checked and imported; the excursion, its exposed tubes and the investigation recorded; an evacuation planned, critical first, a wrong label refused, its first unit scanned into place, the pick list PDF');

  // --- cell-therapy products: a technician receives, stores, thaws and issues; a manager confirms ---
  const bench = await logIn('tech', 'tech-password-1');
  check((await links(bench)).includes('Products'), 'a link "Products"');
  await bench.getByRole('link', { name: 'Products', exact: true }).click();
  const step = async (din, value, fill = async () => {}) => {
    await bench.getByLabel('DIN', { exact: true }).fill(din);
    await bench.getByLabel('Step', { exact: true }).selectOption(value);
    await fill();
    await bench.getByRole('button', { name: 'Record', exact: true }).click();
  };
  await step('G1234 98 654321 H', 'SHIPPED_TO_MANUFACTURER', () => bench.getByLabel('Manufacturer').fill('CellFab Leiden'));
  await bench.getByRole('article', { name: 'Bag G1234 98 654321 H' }).getByText('shipped').waitFor();
  await step('=W12342600000100', 'RECEIVED', () => bench.getByLabel('Expected COI').fill(world.otherCoi));
  await bench.getByRole('alert').getByText(/WRONG BAG/).waitFor();
  await step('=W12342600000100', 'RECEIVED', async () => {
    await bench.getByLabel('Expected COI').fill(world.coi);
    await bench.getByLabel('Expected patient').fill('MATHEC-0042');
  });
  const bag = bench.getByRole('article', { name: /^Bag W1234 26 000001/ });
  await bag.getByText('received').waitFor();
  await step('W123426000001', 'STORED', async () => {
    await bench.getByLabel('Container').selectOption(world.canister);
    await bench.getByLabel('Slot').fill('4');
  });
  await bag.getByText(/C-LN2, slot 4/).waitFor();
  await bench.reload();
  await bench.getByRole('table', { name: 'LN2 inventory' }).getByText(/W1234 26 000001/).waitFor();
  await shot(bench, 'products');
  await step('W123426000001', 'THAWED');
  await bag.getByText('thawed').waitFor();
  await bench.getByLabel('Bag DIN', { exact: true }).fill('=W12342600000100');
  await bench.getByLabel('Patient registry id').fill('MATHEC-0099');
  await bench.getByRole('button', { name: 'Issue', exact: true }).click();
  await bench.getByRole('alert').getByText(/DO NOT INFUSE/).waitFor();
  await bench.getByLabel('Patient registry id').fill('MATHEC-0042');
  await bench.getByRole('button', { name: 'Issue', exact: true }).click();
  const issued = await bench.getByRole('status', { name: 'Issue' }).textContent();
  const issueId = issued.match(/Issue (\d+)/)[1];
  await bench.getByLabel('Issue number').fill(issueId);
  await bench.getByRole('button', { name: 'Confirm issue' }).click();
  await bench.getByRole('alert').getByText(/second person/).waitFor();
  const second = await logIn('manager', 'manager-password-1');
  await second.goto(`${world.paris}/#/products`);
  await second.getByLabel('Issue number').fill(issueId);
  await second.getByRole('button', { name: 'Confirm issue' }).click();
  await second.getByRole('article', { name: /^Bag W1234/ }).getByText(/^issued$/).waitFor();
  await second.getByLabel('Infused bag DIN').fill('W123426000001');
  await second.getByRole('button', { name: 'Record infusion' }).click();
  await second.getByRole('article', { name: /^Bag W1234/ }).getByText('infused').waitFor();
  await second.getByRole('article', { name: /^Bag W1234/ }).getByRole('link', { name: 'Chain of identity' }).click();
  const chain = second.getByRole('table', { name: 'Chain of identity' });
  await chain.waitFor();
  for (const header of ['Event', 'When', 'Who', 'Where']) {
    check(await chain.getByRole('columnheader', { name: header, exact: true }).count() === 1, `the chain's column "${header}"`);
  }
  const chainEvents = await chain.locator('tbody tr td:first-child').allTextContents();
  for (const e of ['collected', 'shipped to manufacturer', 'receipt refused', 'received', 'stored', 'thawed', 'issue refused', 'issued', 'issue confirmed', 'infused']) {
    check(chainEvents.includes(e), `the chain has "${e}": ${chainEvents}`);
  }
  check((await chain.locator('tbody tr').filter({ hasText: 'issue confirmed' }).textContent()).includes('manager'), 'the second person is named');
  await shot(second, 'products-chain');
  ok('products: the apheresis shipped, the bag received against its papers (a wrong COI refused), stored in a canister slot, thawed, issued (the wrong patient refused), confirmed by a second person only, infused; the chain of identity with every event');

  // --- coordinator ---
  const coordinator = await logIn('coord', 'coord-password-1');
  await coordinator.getByRole('link', { name: 'Completeness', exact: true }).click();
  await coordinator.getByRole('heading', { level: 1, name: 'Completeness' }).waitFor();  // the screen is drawn
  const grid = coordinator.getByRole('grid', { name: /Completeness CART-SLE/ });
  await grid.waitFor();
  const cell = grid.getByRole('gridcell', { name: /^MATHEC-0042 M3 / });
  const name = await cell.getAttribute('aria-label');
  check(/complete|partial|due|overdue/.test(name), `the cell says its status: ${name}`);
  await cell.focus();  // the keyboard opens a cell as a click does
  await coordinator.keyboard.press('Enter');
  const cellTubes = coordinator.getByRole('table', { name: 'Tubes MATHEC-0042 M3' });
  await cellTubes.getByText('4000000002').waitFor();
  check((await cellTubes.textContent()).includes('B-FILL'), 'the tube shows its box');
  check((await cellTubes.getByRole('row').count()) >= 12, 'the eleven M3 tubes of the world (and those collected since) and a header');
  await coordinator.getByLabel('Due at site').fill('PSL');
  await coordinator.getByLabel('Due from').fill('2026-01-01');
  await coordinator.getByLabel('Due until').fill('2026-12-31');
  await coordinator.locator('form', { hasText: 'Due list' }).getByRole('button', { name: 'Show' }).click();
  await coordinator.getByRole('table', { name: 'Due timepoints' }).waitFor();
  await shot(coordinator, 'completeness');
  await coordinator.getByRole('link', { name: 'Patients', exact: true }).click();
  await coordinator.getByRole('heading', { level: 1, name: 'Patients and enrollments' }).waitFor();  // the screen is drawn
  await coordinator.getByLabel('Patient registry id').fill('MATHEC-0042');
  await coordinator.getByLabel('Patient registry id').press('Enter');
  const timeline = coordinator.getByRole('table', { name: 'Timeline CART-SLE' });
  await timeline.getByRole('row', { name: /^M3 / }).waitFor();
  await coordinator.getByRole('table', { name: 'Tubes CART-SLE' }).getByText('4000000001').waitFor();
  await coordinator.getByLabel('Registry CSV').setInputFiles(world.registryBad);
  await coordinator.getByRole('button', { name: 'Check (changes nothing)' }).click();
  await coordinator.getByRole('table', { name: 'Errors in the file' }).getByRole('row', { name: /^3 / }).waitFor();
  check(await coordinator.getByRole('button', { name: 'Import', exact: true }).isDisabled(), 'no import of a file with errors');
  await coordinator.getByLabel('Registry CSV').setInputFiles(world.registryGood);
  await coordinator.getByRole('button', { name: 'Check (changes nothing)' }).click();
  await coordinator.getByText(/1 rows read: 1 would be imported, 0 with errors/).waitFor();
  await coordinator.getByRole('button', { name: 'Import', exact: true }).click();
  await coordinator.getByText(/1 imported: 1 new patients/).waitFor();
  await coordinator.getByRole('button', { name: 'FHIR bundle' }).click();
  await coordinator.getByRole('link', { name: /^Download \(\d+ specimens/ }).waitFor();
  await shot(coordinator, 'patients');
  await coordinator.getByRole('link', { name: 'Consent', exact: true }).click();
  await coordinator.getByRole('heading', { level: 1, name: 'Consent' }).waitFor();  // the screen is drawn
  await coordinator.getByLabel('Patient registry id').fill('MATHEC-0042');
  await coordinator.getByLabel('Patient registry id').press('Enter');
  const history = coordinator.getByRole('table', { name: 'Consent history' });
  await history.getByText('research').first().waitFor();
  await coordinator.getByRole('group', { name: 'Scopes granted' }).getByLabel('genetic').check();
  await coordinator.getByLabel('Form version').fill('v3');
  await coordinator.getByRole('button', { name: 'Record a signed form' }).click();
  await history.getByText('v3').first().waitFor();
  await shot(coordinator, 'consent');
  ok('coordinator: the completeness grid, a cell opened by the keyboard on its tubes, and the due list; a patient\'s timeline; a registry file checked line by line, then imported; the FHIR bundle; consent recorded and its history');

  // --- researcher ---
  const researcher = await logIn('researcher', 'researcher-password-1');
  await researcher.getByRole('link', { name: 'New request', exact: true }).click();
  await researcher.getByRole('heading', { level: 1, name: 'New request' }).waitFor();  // the screen is drawn
  await researcher.getByLabel('Protocols').fill('CART-SLE');
  await researcher.getByLabel('Timepoints').fill('M3');
  await researcher.getByLabel('Per patient and timepoint').fill('0');
  await researcher.getByRole('group', { name: 'Consent the tubes need' }).getByLabel('research').check();
  await researcher.getByRole('region', { name: 'Preview' }).getByText(/tubes of 1 patients match/).waitFor();
  await researcher.getByLabel('Title').fill('Cytokines');
  await researcher.getByLabel('Ethics reference').fill('CPP-2026-200');
  await researcher.getByRole('button', { name: 'Submit' }).click();
  await researcher.getByRole('table', { name: 'Requests' }).getByText('Cytokines').waitFor();
  await researcher.getByRole('button', { name: world.requestCode }).click();
  await researcher.getByRole('table', { name: 'Requested tubes' }).getByText(`${world.requestCode}-S`).first().waitFor();
  const html = await researcher.content();
  check(!/40000000\d\d/.test(html) && !html.includes('MATHEC-0042'), 'no barcode and no registry id on a researcher page');
  await shot(researcher, 'my-requests');
  ok('researcher: a new request with its live preview, submitted; their requests under request codes only');

  // --- the manager decides on it ---
  const deciding = await logIn('manager', 'manager-password-1');
  await deciding.getByRole('link', { name: 'My requests', exact: true }).click();
  await deciding.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();  // the screen is drawn
  const row = deciding.getByRole('row').filter({ hasText: 'Cytokines' });
  await row.getByRole('button').first().click();
  await deciding.getByLabel('Would reserve').getByText(/tubes of 1 patients match/).waitFor();
  await row.getByRole('button', { name: 'Approve' }).click();
  await deciding.getByRole('row').filter({ hasText: 'Cytokines' }).getByText('approved').waitFor();
  ok('manager: sees what a request would reserve, then approves it with a reason');

  // --- admin ---
  const admin = await logIn('admin', world.adminPassword);
  await admin.getByRole('link', { name: 'Users', exact: true }).click();
  await admin.getByRole('heading', { level: 1, name: 'Users' }).waitFor();  // the screen is drawn
  await admin.getByLabel('Site code').fill('NCY');
  await admin.getByLabel('Site name').fill('Nancy');
  await admin.getByRole('button', { name: 'Add the site' }).click();
  await admin.locator('.sites').getByText(/NCY \(Nancy\)/).waitFor();
  await admin.getByLabel('New user name').fill('tech.new');
  await admin.getByLabel('Role').selectOption('ROLE_TECHNICIAN');
  await admin.getByLabel('Sites').fill('PSL');
  await admin.getByLabel('First password').fill('a first password');
  await admin.getByRole('button', { name: 'Create' }).click();
  await admin.locator('.secret .token').waitFor();
  check((await admin.locator('.secret .token').textContent()).startsWith('lims_'), 'the token shown once');
  await shot(admin, 'users');
  const fresh = await logIn('tech.new', 'a first password');
  check((await links(fresh)).includes('Scan'), 'the new user logs in with the first password');
  ok('admin: a site added; a user created with role, site and first password, the token shown once; the user logs in');

  // --- a technician and the manager's address ---
  const tech = await logIn('tech', 'tech-password-1');
  check(!(await links(tech)).includes('Storage'), 'no Storage link for a technician');
  await tech.goto(`${world.paris}/#/storage`);
  await tech.getByRole('alert').getByText(/not for your role/).waitFor();
  check(await tech.getByRole('list', { name: 'Storage tree' }).count() === 0, 'no tree shown');
  ok('technician: no manager menu, and the manager screen refused when opened by its address');
} catch (error) {
  console.log(`not ok ${passed + 1} - ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(`1..${passed}`);
