// A WebSocket client of `gotracer serve` for the server test suite. Each mode
// drives one scenario and prints one JSON line with what it saw; the shell suite
// asserts on it. Usage: node client.mjs MODE [ARGS...]  (GT_WS=ws://HOST:PORT/ws)
import { createRequire } from 'node:module';
import fs from 'node:fs';

const require = createRequire(new URL('../node/package.json', import.meta.url));
const WebSocket = require('ws');

const url = process.env.GT_WS;
const [mode, ...args] = process.argv.slice(2);

function fail(why) {
	console.log(JSON.stringify({ ok: false, error: why }));
	process.exit(1);
}

// A connection whose messages can be awaited by predicate.
function connect(opts = {}) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, opts);
		const c = { ws, msgs: [], waiters: [] };
		ws.on('message', (data) => {
			const m = JSON.parse(data.toString());
			c.msgs.push(m);
			c.waiters = c.waiters.filter((w) => !(w.pred(m) && (w.resolve(m), true)));
		});
		ws.on('open', () => resolve(c));
		ws.on('unexpected-response', (req, res) => reject({ status: res.statusCode }));
		ws.on('error', (e) => reject({ error: String(e) }));
	});
}

function next(c, pred, ms = 10000, what = 'a message') {
	const seen = c.msgs.find(pred);
	if (seen) return Promise.resolve(seen);
	return new Promise((resolve, reject) => {
		const w = { pred, resolve };
		c.waiters.push(w);
		setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const send = (c, m) => c.ws.send(JSON.stringify(m));
const batches = (c) => c.msgs.filter((m) => m.type === 'packets');

// Every packet number from the first batch on is either received or in a lost report.
function accounting(c) {
	const got = new Set();
	let first = null, last = 0, gaps = 0, prevLast = null, consecutive = true;
	for (const b of batches(c)) {
		if (b.packets.length !== b.last - b.first + 1) consecutive = false;
		b.packets.forEach((p, i) => { if (p.no !== b.first + i) consecutive = false; got.add(p.no); });
		if (prevLast !== null && b.first !== prevLast + 1) gaps++;
		if (first === null) first = b.first;
		prevLast = b.last;
		last = b.last;
	}
	const lostMsgs = c.msgs.filter((m) => m.type === 'lost');
	const lost = new Set();
	for (const l of lostMsgs) for (let n = l.first; n <= l.last; n++) lost.add(n);
	let unexplained = 0;
	const missing = [];
	for (let n = first ?? 1; first !== null && n <= last; n++) {
		if (got.has(n) || lost.has(n)) continue;
		unexplained++;
		if (missing.length < 5) missing.push(n);
	}
	return { received: got.size, first, last, gaps, consecutive, lost: lost.size,
		 lost_msgs: lostMsgs.length, unexplained, missing,
		 lost_ranges: lostMsgs.slice(0, 5).map((l) => [l.first, l.last, l.reason]) };
}

async function main() {
	switch (mode) {
	case 'hello': {
		const c = await connect();
		const h = await next(c, (m) => m.type === 'hello', 5000, 'hello');
		console.log(JSON.stringify({ ok: true, hello: h }));
		c.ws.close();
		break;
	}
	case 'stream': {	// stream N: wait for N packets
		const want = Number(args[0] || 10);
		const c = await connect();
		await next(c, (m) => m.type === 'hello');
		await next(c, () => batches(c).reduce((n, b) => n + b.packets.length, 0) >= want,
			   20000, `${want} packets`);
		const mark = c.msgs.length;
		const stats = await next(c, (m) => m.type === 'stats' && c.msgs.indexOf(m) >= mark,
					 5000, 'stats');
		console.log(JSON.stringify({ ok: true, ...accounting(c), stats }));
		c.ws.close();
		break;
	}
	case 'detail': {	// detail NO: the detail reply, and an error for a bad number
		const c = await connect();
		await next(c, (m) => m.type === 'hello');
		send(c, { type: 'get_detail', no: Number(args[0]), id: 'd1' });
		const d = await next(c, (m) => m.id === 'd1', 5000, 'detail');
		send(c, { type: 'get_detail', no: 999999999, id: 'd2' });
		const e = await next(c, (m) => m.id === 'd2', 5000, 'error');
		console.log(JSON.stringify({ ok: d.type === 'detail' && e.type === 'error', detail: d, error: e }));
		c.ws.close();
		break;
	}
	case 'control': {	// control JSON: send one request, print the reply and the state every client gets
		const a = await connect(), b = await connect();
		await next(a, (m) => m.type === 'hello');
		await next(b, (m) => m.type === 'hello');
		const req = JSON.parse(args[0]);
		req.id = 'c1';
		const from = a.msgs.length;
		send(a, req);
		const st = await next(b, (m) => m.type === 'capture_state', 5000, 'capture_state');
		await sleep(100);
		const err = a.msgs.slice(from).find((m) => m.type === 'error') || null;
		console.log(JSON.stringify({ ok: true, state: st, error: err }));
		a.ws.close(); b.ws.close();
		break;
	}
	case 'filter': {	// filter EXPR SECONDS: set the filter, then record what arrives
		const c = await connect();
		await next(c, (m) => m.type === 'hello');
		send(c, { type: 'set_capture', filter: args[0], id: 'f1' });
		const st = await next(c, (m) => m.type === 'capture_state' && m.filter === args[0],
				      5000, 'capture_state');
		const mark = c.msgs.indexOf(st);
		console.log(JSON.stringify({ ready: true }));
		await sleep(Number(args[1] || 3) * 1000);
		const after = c.msgs.slice(mark).filter((m) => m.type === 'packets').flatMap((b) => b.packets);
		console.log(JSON.stringify({ ok: true, state: st, protos: [...new Set(after.map((p) => p.proto))],
					     count: after.length, packets: after.slice(0, 5) }));
		c.ws.close();
		break;
	}
	case 'origin': {	// origin ORIGIN: status of an upgrade from that page origin
		try {
			const c = await connect({ origin: args[0] });
			const h = await next(c, (m) => m.type === 'hello', 5000, 'hello');
			console.log(JSON.stringify({ ok: true, status: 101, hello: h.type }));
			c.ws.close();
		} catch (e) {
			console.log(JSON.stringify({ ok: true, status: e.status ?? 0, error: e.error }));
		}
		break;
	}
	case 'garbage': {	// garbage N: N bad messages from one client while another streams
		const n = Number(args[0] || 1000);
		const bad = await connect(), good = await connect();
		await next(bad, (m) => m.type === 'hello');
		await next(good, (m) => m.type === 'hello');
		const kinds = [
			() => '{"type":',
			() => 'not json at all',
			() => '[1,2,3]',
			() => JSON.stringify({ type: 'frobnicate' }),
			() => JSON.stringify({ type: 'get_detail', no: -5 }),
			() => JSON.stringify({ type: 'set_capture', snaplen: 'big' }),
			() => JSON.stringify({ type: 'set_capture', interfaces: ['../../etc'] }),
			() => JSON.stringify({ type: 'job_start', kind: 'nope' }),
			() => '{"type":"stop","pad":"' + 'x'.repeat(70000) + '"}',
			() => Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
		];
		for (let i = 0; i < n; i++) bad.ws.send(kinds[i % kinds.length]());
		await next(bad, () => bad.msgs.filter((m) => m.type === 'error').length >= n, 30000,
			   `${n} errors`);
		const errors = bad.msgs.filter((m) => m.type === 'error');
		const reasons = [...new Set(errors.map((e) => e.reason.replace(/[0-9]+/g, 'N')))];
		// the other client still streams and gets answers
		send(good, { type: 'get_flows', id: 'g1' });
		const flows = await next(good, (m) => m.id === 'g1', 5000, 'flows');
		const state = bad.msgs.filter((m) => m.type === 'capture_state').length;
		console.log(JSON.stringify({ ok: true, errors: errors.length, reasons, flows: flows.type,
					     bad_open: bad.ws.readyState === WebSocket.OPEN,
					     good_accounting: accounting(good), state_changes: state }));
		bad.ws.close(); good.ws.close();
		break;
	}
	case 'stall': {		// stall FLAGFILE: one client stops reading until FLAGFILE exists
		const stalled = await connect(), fast = await connect();
		await next(stalled, (m) => m.type === 'hello');
		await next(fast, (m) => m.type === 'hello');
		stalled.ws._socket.pause();
		console.log(JSON.stringify({ ready: true }));
		while (!fs.existsSync(args[0])) await sleep(100);
		// the traffic is over: the reading client gets what is still on its way
		const total = Number(fs.readFileSync(args[0], 'utf8'));
		await next(fast, () => batches(fast).at(-1)?.last >= total, 20000, `packet ${total}`);
		const fastSeen = accounting(fast);
		stalled.ws._socket.resume();
		const lost = await next(stalled, (m) => m.type === 'lost', 20000, 'lost');
		// let it drain, then the stats tick names its total
		const st = await next(stalled, (m) => m.type === 'stats' && m.client.lost > 0 &&
				      stalled.msgs.indexOf(m) > stalled.msgs.indexOf(lost), 10000, 'stats');
		await sleep(500);
		console.log(JSON.stringify({ ok: true, fast: fastSeen, stalled: accounting(stalled),
					     lost_msg: lost, stats_client: st.client }));
		stalled.ws.close(); fast.ws.close();
		break;
	}
	case 'subscribe': {	// subscribe FLAGFILE: packets off until FLAGFILE exists, then on
		const c = await connect();
		await next(c, (m) => m.type === 'hello');
		send(c, { type: 'subscribe', packets: false });
		await sleep(200);
		const mark = c.msgs.length;
		console.log(JSON.stringify({ ready: true }));
		while (!fs.existsSync(args[0])) await sleep(100);
		await next(c, (m) => m.type === 'stats' && c.msgs.indexOf(m) >= mark, 5000, 'stats');
		const whileOff = c.msgs.slice(mark).filter((m) => m.type === 'packets' || m.type === 'lost').length;
		send(c, { type: 'subscribe', packets: true });
		const on = c.msgs.length;
		await next(c, (m) => m.type === 'packets' && c.msgs.indexOf(m) >= on, 10000, 'packets');
		console.log(JSON.stringify({ ok: true, while_off: whileOff,
					     after_on: c.msgs.slice(on).filter((m) => m.type === 'packets').length }));
		c.ws.close();
		break;
	}
	case 'flows': {		// flows: every flow of the kernel map
		const c = await connect();
		await next(c, (m) => m.type === 'hello');
		send(c, { type: 'get_flows', limit: 10000, id: 'f' });
		const f = await next(c, (m) => m.id === 'f', 5000, 'flows');
		console.log(JSON.stringify({ ok: true, flows: f }));
		c.ws.close();
		break;
	}
	case 'job': {		// job JSON-PARAMS: run a ping job to its end
		const c = await connect();
		await next(c, (m) => m.type === 'hello');
		send(c, { type: 'job_start', kind: 'ping', params: JSON.parse(args[0]), id: 'j1' });
		const started = await next(c, (m) => m.type === 'job_started' || m.type === 'error', 5000, 'job_started');
		if (started.type === 'error') {
			console.log(JSON.stringify({ ok: true, started: null, error: started }));
			c.ws.close();
			break;
		}
		const end = await next(c, (m) => (m.type === 'job_done' || m.type === 'job_error') &&
				       m.id === started.id, 30000, 'job end');
		const rows = c.msgs.filter((m) => m.type === 'job_row' && m.id === started.id).map((m) => m.row);
		console.log(JSON.stringify({ ok: true, started, rows, end }));
		c.ws.close();
		break;
	}
	default:
		fail(`unknown mode '${mode}'`);
	}
	process.exit(0);
}

main().catch((e) => fail(String(e && e.message ? e.message : JSON.stringify(e))));
