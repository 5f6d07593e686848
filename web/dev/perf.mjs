// Development only (a benchmark, not a test): how the page holds up under a packet
// flood. Point it at a server streaming at a high rate (web/dev/mock-server.mjs
// --pps 50000, or gotracer serve with trafgen), and it reports packets received
// per second, frames painted per second, long tasks, input delay and JS heap.
//   node web/dev/perf.mjs URL [SECONDS]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const require = createRequire(join(process.cwd(), 'tests/node/'));
const { chromium } = require('playwright-core');
const [url, secs = '20'] = process.argv.slice(2);

const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gt-chrome-')), {
	executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 800 },
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-precise-memory-info'],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
await page.goto(url);
await page.waitForSelector('.prow', { timeout: 15000 });
const sample = () =>
	page.evaluate(() => {
		const s = window.gotracer.session.packets.snapshot();
		return { t: performance.now(), received: s.received, shown: s.end - s.start, missed: Math.max(s.gapLost, s.serverLost), heap: performance.memory?.usedJSHeapSize ?? 0 };
	});
await page.evaluate(() => {
	window.__perf = { frames: 0, long: 0, longMs: 0 };
	const tick = () => { window.__perf.frames++; requestAnimationFrame(tick); };
	requestAnimationFrame(tick);
	new PerformanceObserver((l) => { for (const e of l.getEntries()) { window.__perf.long++; window.__perf.longMs += e.duration; } }).observe({ type: 'longtask' });
});
const a = await sample();
const delays = [];
for (let i = 0; i < Number(secs); i++) {
	await page.waitForTimeout(1000);
	// input responsiveness: time from a click on the Follow button to the next frame after it
	const d = await page.evaluate(() => new Promise((res) => {
		const t0 = performance.now();
		document.querySelector('[data-testid=theme]').click();
		requestAnimationFrame(() => res(performance.now() - t0));
	}));
	delays.push(d);
}
const b = await sample();
const perf = await page.evaluate(() => window.__perf);
const dt = (b.t - a.t) / 1000;
delays.sort((x, y) => x - y);
console.log(JSON.stringify({
	seconds: +dt.toFixed(1),
	received_per_s: Math.round((b.received - a.received) / dt),
	shown: b.shown, missed: b.missed,
	frames_per_s: +(perf.frames / dt).toFixed(1),
	long_tasks: perf.long, long_task_ms_per_s: +(perf.longMs / dt).toFixed(0),
	click_to_frame_ms_median: +delays[delays.length >> 1].toFixed(1), click_to_frame_ms_max: +delays[delays.length - 1].toFixed(1),
	heap_mb_start: +(a.heap / 1e6).toFixed(1), heap_mb_end: +(b.heap / 1e6).toFixed(1),
}));
await ctx.close();
