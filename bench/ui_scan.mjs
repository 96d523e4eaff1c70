// Enter-to-screen on the Scan screen in Debian's headless Chromium: logs in as the admin, scans
// N barcodes (typed + Enter, like a USB scanner) and prints the in-page timings as JSON.
//   node bench/ui_scan.mjs BASE_URL ADMIN_PASSWORD BARCODES_FILE N
import { readFileSync } from 'node:fs';
import { chromium } from '../tests/tools/node_modules/playwright-core/index.mjs';

const [base, password, barcodesFile, count] = process.argv.slice(2);
const barcodes = readFileSync(barcodesFile, 'utf8').split('\n').filter(Boolean);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${base}/`);
await page.getByLabel('Username').fill('admin');
await page.getByLabel('Password').fill(password.trim());
await page.getByRole('button', { name: 'Log in' }).click();
const field = page.getByLabel('Barcode', { exact: true });
await field.waitFor();
const times = [];
const n = Number(count);
for (let i = 0; i < n + 10; ++i) {
  const barcode = barcodes[(i * 37) % barcodes.length];
  await page.evaluate(() => { delete document.body.dataset.lastScanMs; });
  await field.fill(barcode);
  await field.press('Enter');
  await page.waitForFunction(() => document.body.dataset.lastScanMs !== undefined);
  const ms = Number(await page.evaluate(() => document.body.dataset.lastScanMs));
  const shown = await page.getByRole('article', { name: `Tube ${barcode}` }).count();
  if (!shown) throw new Error(`${barcode} was not shown`);
  if (i >= 10) times.push(ms);  // the first ten warm the page and the server up
}
await browser.close();
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(JSON.stringify({ scans: times.length, median_ms: at(0.5), p95_ms: at(0.95), max_ms: times[times.length - 1] }));
