// The technician's bench work in Debian's Chromium (headless, driven by playwright-core) through
// the browser app only, against the world tests/web/bench_flows.sh built. Finds everything by
// the accessible names the app keeps stable (API-CONTRACT.md), prints TAP lines.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '../tools/node_modules/playwright-core/index.mjs';

const world = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let passed = 0;
function ok(what) {
  passed += 1;
  console.log(`ok ${passed} - ${what}`);
}
function check(condition, what) {
  if (!condition) throw new Error(`not as expected: ${what}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function shot(page, name) {
  if (world.screenshots) await page.screenshot({ path: join(world.screenshots, `${name}.png`) });
}

async function session(base, username, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A refused call is a 4xx the app shows; anything else in the console is a defect.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Scan' }).waitFor();
  return { context, page, errors };
}

async function scan(page, code) {
  const field = page.getByLabel('Barcode', { exact: true });
  await field.fill(code);
  await field.press('Enter');
}

async function expectAlert(page, pattern) {
  const alert = page.getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  const text = await alert.textContent();
  check(pattern.test(text), `alert "${text}" matches ${pattern}`);
  return text;
}

async function cell(page, boxName, name) {
  const found = page.getByRole('grid', { name: new RegExp(boxName) }).getByRole('gridcell', { name });
  await found.first().waitFor();
  return found.first();
}

try {
  // --- log in ---
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${world.paris}/`);
    await shot(page, 'login');
    await page.getByLabel('Username').fill('tech');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectAlert(page, /wrong user name or password/);
    await context.close();
    ok('a wrong password is refused in the alert');
  }
  const { page, errors } = await session(world.paris, 'tech', 'tech-password-1');
  for (const name of ['Scan', 'Box', 'Collect', 'Racks', 'Shipments', 'Requests']) {
    check(await page.getByRole('link', { name, exact: true }).isVisible(), `menu link ${name}`);
  }
  ok('the technician logs in with a password and sees the bench menu');

  // --- scan ---
  await scan(page, '4000000006');
  await page.getByRole('article', { name: 'Tube 4000000006' }).waitFor();
  const card = await page.getByRole('article', { name: 'Tube 4000000006' }).textContent();
  for (const part of ['MATHEC-0042', 'CART-SLE', 'M3', 'SER', 'B-PICK']) check(card.includes(part), `card shows ${part}`);
  const here = await cell(page, 'B-PICK', /^A1 4000000006/);
  check(await here.getAttribute('aria-selected') === 'true', 'its well is highlighted');
  check(await page.getByLabel('Barcode', { exact: true }).evaluate((el) => el === document.activeElement), 'the field keeps the focus');
  await shot(page, 'scan');
  await scan(page, 'PSL26-000001-X');
  await expectAlert(page, /check character/);
  check(await page.getByLabel('Barcode', { exact: true }).inputValue() === '', 'the field is ready for the next scan');
  await shot(page, 'scan-error');
  ok('Scan: a tube with patient, timepoint and its well on the box map; a mistyped code is a big alert');

  // --- box: fill by scanning ---
  await page.goto(`${world.paris}/#/box?box=${world.fillBox}`);
  await cell(page, 'B-FILL', /^A1 4000000001/);
  await scan(page, '4000000002');
  await cell(page, 'B-FILL', /^A2 4000000002/);
  await (await cell(page, 'B-FILL', /^C5 empty/)).click();
  await scan(page, '4000000003');
  await cell(page, 'B-FILL', /^C5 4000000003/);
  await (await cell(page, 'B-FILL', /^A1 4000000001/)).click();
  await scan(page, '4000000008');
  await expectAlert(page, /A1|occupied|holds/i);
  await cell(page, 'B-FILL', /^A1 4000000001/);
  check(await page.getByRole('gridcell', { name: /4000000008/ }).count() === 0, 'the refused tube is nowhere in the box');
  await shot(page, 'box');
  ok('Box: two tubes placed by scanning (next free well, then a chosen one); an occupied well refused, nothing changed');

  // --- collect and aliquot ---
  await page.getByRole('link', { name: 'Collect', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Collect and aliquot' }).waitFor();  // the screen is drawn
  await page.getByLabel('Patient registry id').fill('MATHEC-0042');
  await page.getByLabel('Patient registry id').press('Enter');
  await page.getByLabel('Timepoint').locator('option[value="M3"]').waitFor({ state: 'attached' });
  await page.getByLabel('Timepoint').selectOption('M3');
  await page.getByLabel('Sample type').selectOption('SER');
  await page.getByLabel('Volume', { exact: true }).fill('4');
  await page.getByLabel('Collected at').fill('2026-04-16T09:30');
  check(!(await page.locator('.window').textContent()).includes('outside'), 'inside the M3 window');
  await page.getByRole('button', { name: /Register the primary tube/ }).click();
  await page.getByRole('status').filter({ hasText: /registered/ }).waitFor();
  await page.getByLabel('Aliquot count').fill('3');
  await page.getByLabel('Volume each').fill('0.5');
  await page.getByRole('button', { name: /Make the aliquots/ }).click();
  await page.getByRole('img', { name: /^Label / }).nth(2).waitFor();
  const widths = await page.getByRole('img', { name: /^Label / }).evaluateAll((imgs) => imgs.map((img) => img.naturalWidth));
  check(widths.length === 3 && widths.every((w) => w > 100), `three label previews (${widths})`);
  await page.getByLabel('Printer').selectOption('bench-1');
  await page.getByRole('button', { name: /Print the labels/ }).click();
  await page.getByRole('status').filter({ hasText: /3 labels/ }).waitFor();
  const spooled = readdirSync(world.labels);
  check(spooled.length >= 1, `ZPL in the printer's spool (${spooled})`);
  const zpl = spooled.map((f) => readFileSync(join(world.labels, f), 'utf8')).join('');
  check(zpl.includes('^XA') && zpl.includes('Serum'), 'the spool holds ZPL of serum aliquots (the parent\'s type)');
  await shot(page, 'collect');
  ok('Collect: patient, M3, primary tube, 3 aliquots, 3 label previews, printed to the spool');

  // --- rack audit from a picture ---
  await page.getByRole('link', { name: 'Racks', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Rack audit' }).waitFor();  // the screen is drawn
  const boxOfTube = page.getByLabel('Box of tube');
  await boxOfTube.fill('4000000004');
  await boxOfTube.press('Enter');
  await page.locator('output.chosen-box').filter({ hasText: 'B-RACK' }).waitFor();
  await page.getByLabel('Rack file').setInputFiles(world.rackPicture);
  await page.getByRole('button', { name: 'Read the rack' }).click();
  await cell(page, 'B-RACK', /^A1 4000000004 matched/);
  await cell(page, 'B-RACK', /^A3 4000000005 misplaced, the LIMS has it at .*A2/);
  await cell(page, 'B-RACK', /^B1 4000000099 unexpected/);
  check(!(await page.getByRole('button', { name: 'Apply to the LIMS' }).isVisible()), 'a technician cannot apply');
  await shot(page, 'racks');
  ok('Racks: a rack picture read and reconciled (matched, misplaced with where the LIMS has it, unexpected)');

  // --- pick a request ---
  await page.getByRole('link', { name: 'Requests', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Pick a request' }).waitFor();  // the screen is drawn
  await page.getByLabel('Request', { exact: true }).locator(`option[value="${world.request}"]`).waitFor({ state: 'attached' });
  await page.getByLabel('Request', { exact: true }).selectOption(world.request);
  await page.getByRole('table', { name: 'Pick list' }).getByRole('row', { name: new RegExp(world.reserved) }).waitFor();
  await page.getByText(/1 tubes still to pick/).waitFor();
  await scan(page, world.notReserved);
  await expectAlert(page, new RegExp(world.notReserved));
  await scan(page, world.reserved);
  await page.getByRole('status').filter({ hasText: new RegExp(world.reserved) }).waitFor();
  await page.getByText(/Every tube of this request is picked/).waitFor();
  await shot(page, 'requests');
  ok('Requests: the pick list in freezer order; a tube not on it refused; a picked tube ticked off');
  check(errors.length === 0, `no script errors (${errors.join('; ')})`);

  // --- receive a shipment at Lyon ---
  const lyon = await session(world.lyon, 'manager.lyo', 'lyon-manager-password');
  await lyon.page.getByRole('link', { name: 'Shipments', exact: true }).click();
  await lyon.page.getByRole('heading', { level: 1, name: 'Receive a shipment' }).waitFor();
  await lyon.page.getByLabel('Manifest file').setInputFiles(world.manifest);
  await lyon.page.getByRole('heading', { name: new RegExp(world.shipment) }).waitFor();
  await scan(lyon.page, '4000000011');
  await lyon.page.getByRole('list', { name: 'Received' }).getByText('4000000011').waitFor();
  await lyon.page.getByLabel('Condition').selectOption('THAWED');
  await scan(lyon.page, '4000000012');
  await lyon.page.getByRole('list', { name: 'Received' }).getByText(/4000000012 \(thawed\)/i).waitFor();
  const missing = await lyon.page.getByRole('list', { name: 'Still missing' }).textContent();
  check(missing.includes('4000000013') && !missing.includes('4000000011'), `missing: ${missing}`);
  await scan(lyon.page, '4000000099');
  await expectAlert(lyon.page, /4000000099/);
  await shot(lyon.page, 'shipments');
  check(lyon.errors.length === 0, `no script errors at Lyon (${lyon.errors.join('; ')})`);
  ok('Shipments: a manifest opened, two tubes scanned (one thawed) with a live tally, one still missing, an unknown tube flagged');

  // --- French: the visible words change, the accessible names stay ---
  await page.getByRole('button', { name: 'Français' }).click();
  check((await page.getByRole('link', { name: 'Scan', exact: true }).textContent()) === 'Scanner', 'the menu in French');
  await page.getByRole('link', { name: 'Scan', exact: true }).click();
  check((await page.locator('label.scan-field span').textContent()) === 'Code-barres', 'the field in French');
  await scan(page, '4000000001');
  await page.getByRole('article', { name: 'Tube 4000000001' }).getByText('Emplacement').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  ok('French and English: the visible words change, the names tests and assistive technology use stay');

  // --- log out ---
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').waitFor();
  ok('log out returns to the login');
} catch (error) {
  console.log(`not ok ${passed + 1} - ${error.message}`);
  for (const context of browser.contexts()) {
    for (const open of context.pages()) {
      const alert = await open.getByRole('alert').textContent().catch(() => '');
      if (alert) console.log(`# the page's alert: ${alert}`);
      if (world.failureShots) {
        const file = join(world.failureShots, `failed-${context.pages().indexOf(open)}-${Date.now()}.png`);
        await open.screenshot({ path: file }).catch(() => {});
        console.log(`# screenshot: ${file}`);
      }
    }
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
console.log(`1..${passed}`);
