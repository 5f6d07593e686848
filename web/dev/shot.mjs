// Development only: open the UI in Chromium and save screenshots of its views.
//   node web/dev/shot.mjs URL OUTDIR [WIDTHxHEIGHT]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const require = createRequire(join(process.cwd(), 'tests/node/'));
const { chromium } = require('playwright-core');
const [url, out, size = '1280x800'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);

const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gt-chrome-')), {
	executablePath: '/usr/bin/chromium', headless: true, viewport: { width, height },
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
page.on('console', (m) => console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForSelector('.prow', { timeout: 10000 });
await page.waitForTimeout(1500);
await page.locator('.prow').last().click();
await page.waitForSelector('[data-field="dns.qry.name"]', { timeout: 5000 }).catch(() => {});
await page.locator('[data-field="dns.qry.name"]').click().catch(() => {});
await page.screenshot({ path: join(out, `capture-${size}.png`) });
await page.click('[data-testid=theme]');
await page.screenshot({ path: join(out, `capture-dark-${size}.png`) });
await page.click('[data-testid=nav-traffic]');
await page.waitForTimeout(3000);
await page.screenshot({ path: join(out, `traffic-dark-${size}.png`) });
await page.click('[data-testid=theme]');
await page.waitForTimeout(300);
await page.screenshot({ path: join(out, `traffic-${size}.png`) });
await page.locator('.traffic').evaluate((el) => (el.scrollTop = el.scrollHeight));
await page.screenshot({ path: join(out, `traffic-lower-${size}.png`) });
await page.click('[data-testid=nav-devices]');
await page.screenshot({ path: join(out, `devices-${size}.png`) });
await ctx.close();
