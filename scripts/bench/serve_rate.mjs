// A reading client of `gotracer serve` for the streaming benchmark: connects to
// /ws, reads everything for SECS seconds and prints one JSON line with packet
// summaries received a second, stats ticks received, the longest gap between
// two ticks, and the packets the server reported lost for this client.
// Usage: node serve_rate.mjs ws://HOST:PORT/ws SECS
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tests/node/package.json', import.meta.url));
const WebSocket = require('ws');

const [url, secsArg] = process.argv.slice(2);
const secs = Number(secsArg || 5);
const ws = new WebSocket(url);
let summaries = 0, batches = 0, ticks = 0, lost = 0, bytes = 0;
const lostBy = {};
let lastTick = 0, maxTickGapMs = 0, start = 0, kernelFirst = null, kernelLast = null;

ws.on('open', () => { start = Date.now(); setTimeout(finish, secs * 1000); });
ws.on('message', (data) => {
	const m = JSON.parse(data.toString());
	bytes += data.length;
	if (m.type === 'packets') {
		batches++;
		summaries += m.packets.length;
	} else if (m.type === 'stats') {
		const now = Date.now();
		if (lastTick) maxTickGapMs = Math.max(maxTickGapMs, now - lastTick);
		lastTick = now;
		ticks++;
		const k = (m.interfaces || []).reduce((a, i) => a + (i.in?.packets || 0), 0);
		if (kernelFirst === null) kernelFirst = { k, now };
		kernelLast = { k, now };
	} else if (m.type === 'lost') {
		lost += m.count;
		lostBy[m.reason] = (lostBy[m.reason] || 0) + m.count;
	}
});
ws.on('error', (e) => { console.log(JSON.stringify({ ok: false, error: String(e) })); process.exit(1); });

function finish() {
	const s = (Date.now() - start) / 1000;
	const kernelRate = kernelFirst && kernelLast && kernelLast.now > kernelFirst.now ?
		(kernelLast.k - kernelFirst.k) / ((kernelLast.now - kernelFirst.now) / 1000) : 0;
	console.log(JSON.stringify({ ok: true, secs: s, summaries_per_s: Math.round(summaries / s),
		batches, stats_ticks: ticks, max_tick_gap_ms: maxTickGapMs, lost, lost_by: lostBy,
		kernel_in_per_s: Math.round(kernelRate), mbytes_per_s: +(bytes / s / 1e6).toFixed(2) }));
	ws.terminate();
	process.exit(0);
}
