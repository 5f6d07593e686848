// The browser half of tests/e2e/ui.test.sh: Chromium (in namespace a, beside
// gotracer serve) opens the UI; real clients in namespace b make traffic; every
// check prints one line "RESULT\tok|fail\tname\twhy" that the shell suite counts.
// Environment: GT_URL GT_OUT GT_IF GT_DUMMY GT_NS_B GT_A_IP GT_B_IP GT_SERVE_PID GT_SERVE_CMD.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT_MS, check, env as envOf, launch, result, results, show, until, waitTrue } from './browser.mjs';

const env = (k) => envOf(k, 'tests/e2e/ui.test.sh');
const URL_ = env('GT_URL');
const OUT = env('GT_OUT');
const IF = env('GT_IF');
const DUMMY = env('GT_DUMMY');
const NS_B = env('GT_NS_B');
const A_IP = env('GT_A_IP');
const B_IP = env('GT_B_IP');

/** A client command in namespace b (the peer), bounded in time (generously: a loaded
 * machine runs a flood ping slowly). */
function inB(...cmd) {
	return execFileSync('ip', ['netns', 'exec', NS_B, ...cmd], { timeout: 2 * WAIT_MS, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input: '' });
}
const traffic = {
	ping: (n = 3) => inB('ping', '-c', String(n), '-i', '0.2', '-W', '1', '-q', A_IP),
	dig: () => inB('dig', `@${A_IP}`, 'example.org', 'A', '+tries=1', '+time=10', '+short'),
	http: () => inB('curl', '-sf', '--max-time', '20', `http://${A_IP}:8000/`),
	tls: () =>
		execFileSync('ip', ['netns', 'exec', NS_B, 'openssl', 's_client', '-connect', `${A_IP}:4433`, '-servername', 'gotracer.test', '-quiet'], {
			timeout: 2 * WAIT_MS,
			encoding: 'utf8',
			input: 'GET / HTTP/1.0\r\n\r\n',
			stdio: ['pipe', 'pipe', 'pipe'],
		}),
};

function tshark(...args) {
	const r = execFileSync('tshark', args, { encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] });
	return r;
}
/** tshark's own reading of a file: frame count, and any complaint on stderr. */
function tsharkRead(file, filter = '') {
	const r = spawnSync('tshark', ['-r', file, ...(filter ? ['-Y', filter] : []), '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', timeout: 30000 });
	// tshark's note about running as root is not about the file
	const stderr = r.stderr
		.split('\n')
		.filter((l) => l.trim() && !/Running as user "root"|could be dangerous/.test(l))
		.join(' ');
	return { frames: r.stdout.split('\n').filter(Boolean).length, stderr, status: r.status };
}

const { page, close } = await launch({ acceptDownloads: true });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const shot = (name) => page.screenshot({ path: join(OUT, `${name}.png`) });

/** The rows the list shows right now, as the page renders them. */
const rows = () =>
	page.$$eval('.prow', (els) =>
		els.map((r) => {
			const cells = [...r.children].map((c) => c.textContent.trim());
			const dirCell = r.querySelector('.dir');
			return {
				no: Number(r.dataset.no),
				dir: r.dataset.dir,
				proto: r.dataset.proto,
				arrow: dirCell.textContent.trim()[0],
				dirColour: getComputedStyle(dirCell).color,
				cls: r.className,
				src: cells[4],
				dst: cells[5],
				info: cells[8],
			};
		}),
	);
/** Wait until the rows satisfy pred (polling: they change every frame). */
async function waitRows(pred, timeoutMs = WAIT_MS) {
	const end = Date.now() + timeoutMs;
	let last = [];
	while (Date.now() < end) {
		last = await rows();
		if (pred(last)) return last;
		await page.waitForTimeout(200);
	}
	return null;
}

async function applyFilter(expr) {
	await page.fill('#filter', expr);
	await page.press('#filter', 'Enter');
}

/** Every packet the page has accounted for: rows it received, packets it knows it
 * missed (numbering gaps, the server's loss reports) and the kernel's drops. A
 * loaded page may lose some of a burst; it still accounts for all of it. */
const accounted = () =>
	page.evaluate(() => {
		const s = window.gotracer.session.packets.snapshot();
		return s.received + Math.max(s.gapLost, s.serverLost) + s.kernelDrops;
	});
/** Wait until the page has accounted for n packets more than base and the list shows
 * every row its store holds (the store repaints once a frame): the traffic is in. */
const settled = (base, n) =>
	waitTrue(
		page,
		([want]) => {
			const s = window.gotracer.session.packets.snapshot();
			const shown = Number(document.querySelector('.vlist')?.getAttribute('aria-rowcount'));
			return s.received + Math.max(s.gapLost, s.serverLost) + s.kernelDrops >= want && shown === s.end - s.start;
		},
		[base + n],
	);
/** The numbers of the rows in view, and the newest row the list holds, read at once. */
const view = () =>
	page.$eval('.vlist', (list) => {
		const box = list.getBoundingClientRect();
		const all = [...list.querySelectorAll('.prow')];
		const shown = all
			.filter((r) => {
				const b = r.getBoundingClientRect();
				return b.bottom > box.top + 1 && b.top < box.bottom - 1;
			})
			.map((r) => Number(r.dataset.no));
		return { shown, newest: Math.max(...all.map((r) => Number(r.dataset.no))) };
	});
/** The ICMP rows the page's store holds (not only those in view): number and length. */
const storedIcmp = () =>
	page.evaluate(() => {
		const { ring } = window.gotracer.session.packets;
		const out = [];
		for (let pos = ring.start; pos < ring.end; pos++) {
			const p = ring.at(pos);
			if (p?.proto === 'ICMP') out.push({ no: p.no, len: p.len });
		}
		return out;
	});
/** A barrier: one ping from b with a payload no other traffic uses, then wait until the
 * page holds its request. The server numbers packets as the kernel hands them over, so
 * everything captured before it is in the server's store by then (and in a download). */
let barrierSize = 900;
async function barrier() {
	const len = 42 + ++barrierSize; // Ethernet, IPv4 and ICMP headers, then the payload
	inB('ping', '-c', '1', '-s', String(barrierSize), '-W', '5', '-q', A_IP);
	const seen = await waitTrue(
		page,
		([l]) => {
			const { ring } = window.gotracer.session.packets;
			for (let pos = ring.end - 1; pos >= ring.start; pos--) if (ring.at(pos)?.proto === 'ICMP' && ring.at(pos).len === l) return true;
			return false;
		},
		[len],
	);
	if (!seen) throw new Error(`the barrier ping (${len} bytes) never reached the page`);
}

try {
	await page.goto(URL_, { timeout: WAIT_MS });

	await check('page connects to the server', async () => {
		await page.waitForSelector('[data-testid=link][data-state=connected]', { timeout: WAIT_MS });
	});
	if (results.failures) throw new Error('the page never connected: nothing else can be checked');

	await check(`capture state shows running on ${IF}`, async () => {
		await page.waitForSelector('[data-testid=capture-state][data-running=true]');
		const picker = await page.textContent('[data-testid=iface-picker]');
		if (!picker.includes(IF)) return `interface picker says '${picker}'`;
		await page.click('[data-testid=iface-picker]');
		await page.waitForSelector('.popover .iface-opt'); // the picker lists the hello's interfaces at once
		const offered = await page.$$eval('.iface-opt b', (els) => els.map((e) => e.textContent));
		await page.keyboard.press('Escape');
		await page.waitForSelector('.popover', { state: 'detached' });
		if (!offered.includes(IF) || !offered.includes('lo')) return `the picker offers ${offered.join(', ')}`;
	});

	await check('ping from b: requests listed as in, replies as out, arrows and colours differ', async () => {
		traffic.ping(3);
		const isReq = (x) => x.proto === 'ICMP' && /Echo \(ping\) request/.test(x.info);
		const isRep = (x) => x.proto === 'ICMP' && /Echo \(ping\) reply/.test(x.info);
		const r = await waitRows((rs) => rs.filter(isReq).length >= 3 && rs.filter(isRep).length >= 3);
		if (!r) return `ICMP rows: ${JSON.stringify((await rows()).filter((x) => x.proto === 'ICMP'))}`;
		const icmp = r.filter((x) => x.proto === 'ICMP');
		const req = icmp.filter((x) => /Echo \(ping\) request/.test(x.info));
		const rep = icmp.filter((x) => /Echo \(ping\) reply/.test(x.info));
		if (req.length < 3 || rep.length < 3) return `${req.length} requests, ${rep.length} replies`;
		for (const x of req) if (x.dir !== 'in' || x.src !== B_IP || x.arrow !== '→') return `request ${x.no}: ${JSON.stringify(x)}`;
		for (const x of rep) if (x.dir !== 'out' || x.src !== A_IP || x.arrow !== '←') return `reply ${x.no}: ${JSON.stringify(x)}`;
		if (req[0].dirColour === rep[0].dirColour) return `in and out share the colour ${req[0].dirColour}`;
		if (!req.every((x) => x.cls.includes('row-icmp'))) return `ICMP rows not coloured as ICMP: ${req[0].cls}`;
		await shot('capture-ping');
	});

	await check('the Time column switches between time of day and seconds since the first packet', async () => {
		const cell = () => page.$eval('.prow .col-time', (e) => e.textContent);
		// the column's header names the format: wait for it, then read a cell of the same render
		const format = (label) => waitTrue(page, (l) => document.querySelector('[data-testid=time-format]')?.textContent === l, label);
		if (!(await format('Time'))) return `the header says '${await page.textContent('[data-testid=time-format]')}' at the start`;
		const clock = await cell();
		await page.click('[data-testid=time-format]');
		if (!(await format('Time (s)'))) return `the header says '${await page.textContent('[data-testid=time-format]')}' after the switch`;
		const rel = await cell();
		await page.click('[data-testid=time-format]');
		if (!(await format('Time'))) return 'the header did not switch back to Time';
		if (!/^\d\d:\d\d:\d\d\.\d{6}$/.test(clock)) return `time of day '${clock}'`;
		if (!/^\d+\.\d{6}$/.test(rel) || Number(rel) > 3600) return `relative '${rel}'`;
	});

	const pressed = (id) => page.getAttribute(`[data-testid=${id}]`, 'aria-pressed');
	const newestInView = () =>
		waitTrue(page, () => {
			const list = document.querySelector('.vlist');
			const rs = [...(list?.querySelectorAll('.prow') ?? [])];
			if (!rs.length) return false;
			const newest = rs.reduce((a, r) => (Number(r.dataset.no) > Number(a.dataset.no) ? r : a));
			const box = list.getBoundingClientRect();
			const b = newest.getBoundingClientRect();
			return b.bottom > box.top + 1 && b.top < box.bottom - 1;
		});

	await check('follow keeps the newest row in view and stops when the user scrolls up', async () => {
		if ((await pressed('follow')) !== 'true') return 'Follow is not on at the start';
		let base = await accounted();
		inB('ping', '-c', '300', '-i', '0.002', '-q', A_IP);
		// all 600 echoes in, and the list repainted with them; then the newest must be in view
		if (!(await settled(base, 600))) return `the page accounted for ${(await accounted()) - base} of the 600 echoes`;
		if (!(await newestInView())) {
			const v = await view();
			return `following, but the newest row ${v.newest} is not in view (${v.shown[0]}..${v.shown.at(-1)})`;
		}
		await page.hover('.vlist');
		await page.mouse.wheel(0, -3000);
		// the wheel scrolls in steps after the event: wait for Follow to drop, then for the
		// list to stand still (ten frames at the same place), before noting where it is
		await page.waitForSelector('[data-testid=follow][aria-pressed=false]').catch(() => {});
		if ((await pressed('follow')) !== 'false') return 'Follow stayed on after scrolling up';
		await page.evaluate(() => (window.__still = { top: -1, frames: 0 }));
		const still = await waitTrue(page, () => {
			const top = document.querySelector('.vlist').scrollTop;
			const w = window.__still;
			w.frames = top === w.top ? w.frames + 1 : 0;
			w.top = top;
			return w.frames >= 10;
		});
		if (!still) return 'the list never stopped scrolling after the wheel';
		const top = (await view()).shown[0];
		base = await accounted();
		inB('ping', '-c', '100', '-i', '0.002', '-q', A_IP);
		if (!(await settled(base, 200))) return `the page accounted for ${(await accounted()) - base} of the 200 echoes`;
		const after = (await view()).shown;
		if (after[0] !== top) return `the view moved from row ${top} to ${after[0]} while not following`;
		await page.click('[data-testid=follow]');
		await page.waitForSelector('[data-testid=follow][aria-pressed=true]').catch(() => {});
		if ((await pressed('follow')) !== 'true') return 'Follow did not come back on when clicked';
		if (!(await newestInView())) return 'Follow back on, but the newest row is not in view';
	});

	await check('pause freezes the list and counts what arrives; resume shows it', async () => {
		await page.click('[data-testid=pause]');
		// the banner comes in the render that freezes the list: the rows are fixed from here
		await page.waitForSelector('[data-testid=paused]');
		const frozenMax = Math.max(...(await rows()).map((x) => x.no));
		traffic.ping(3);
		const held = await waitTrue(page, () => Number(document.querySelector('[data-testid=paused]')?.dataset.held) >= 6);
		if (!held) return `the banner holds ${await page.getAttribute('[data-testid=paused]', 'data-held')} packets after 6 echoes`;
		const during = Math.max(...(await rows()).map((x) => x.no));
		await shot('capture-paused');
		await page.click('[data-testid=pause]');
		await page.waitForSelector('[data-testid=paused]', { state: 'detached' });
		const r = await waitRows((rs) => rs.some((x) => x.no > frozenMax));
		if (during !== frozenMax) return `rows grew from ${frozenMax} to ${during} while paused`;
		if (!r) return 'resume did not show the packets that arrived';
	});

	await check('stop and start the capture from the page', async () => {
		await page.click('[data-testid=stop]');
		await page.waitForSelector('[data-testid=capture-state][data-running=false]');
		const before = Math.max(...(await rows()).map((x) => x.no));
		// echoes of a size nothing else sends while stopped, ordinary ones after the start:
		// the server numbers and sends in capture order, so once the later ones are in,
		// any of the earlier that were captured would be in too (no time to wait out)
		const stoppedLen = 42 + 333;
		inB('ping', '-c', '2', '-i', '0.2', '-s', '333', '-W', '1', '-q', A_IP);
		await page.click('[data-testid=start]');
		await page.waitForSelector('[data-testid=capture-state][data-running=true]');
		traffic.ping(2);
		const r = await waitRows((rs) => rs.some((x) => x.no > before && x.proto === 'ICMP' && /Echo \(ping\) request/.test(x.info)));
		if (!r) return 'no packets after start';
		const during = (await storedIcmp()).filter((x) => x.len === stoppedLen);
		if (during.length) return `packets kept coming while stopped: ${JSON.stringify(during)}`;
	});

	await check("a page too slow to keep up counts what it did not receive, as the server reports it", async () => {
		// freeze the page's JavaScript so it stops reading the socket; the server's
		// small per-client queue (--client-queue-kb) then overflows and drops batches
		const cdp = await page.context().newCDPSession(page);
		await cdp.send('Debugger.enable');
		// the pause takes hold when the page next runs script (a stats tick comes each second)
		const paused = new Promise((res) => cdp.once('Debugger.paused', () => res(true)));
		await cdp.send('Debugger.pause');
		try {
			if (!(await Promise.race([paused, page.waitForTimeout(WAIT_MS).then(() => false)]))) return 'the page never paused';
			inB('ping', '-f', '-c', '20000', '-q', A_IP);
		} finally {
			await cdp.send('Debugger.resume').catch(() => {});
			await cdp.send('Debugger.disable').catch(() => {}); // also drops a pause still pending
			await cdp.detach().catch(() => {});
		}
		await page.waitForFunction(() => Number(document.querySelector('[data-testid=count-missed] b')?.textContent.replace(/,/g, '')) > 0);
		// the gap shows in the numbering once a packet after it arrives, and the page hands
		// itself the backlog slowly on a loaded machine, matching gaps and loss reports
		// on the way (a report comes before the batch that closes its gap). So send
		// echoes of a size of their own until one is the last row of the store's
		// snapshot: everything before it is in, and the counts are final when they match
		const markLen = 42 + 777;
		const caughtUp = (len) => {
			const p = window.gotracer.session.packets;
			const s = p.snapshot();
			const last = p.ring.at(s.end - 1);
			return last?.proto === 'ICMP' && last.len === len && s.gapLost > 0 && s.gapLost === s.serverLost;
		};
		await until(async () => {
			if (await page.evaluate(caughtUp, markLen)) return '';
			inB('ping', '-c', '1', '-s', '777', '-W', '5', '-q', A_IP);
			return 'not caught up';
		}, 4 * WAIT_MS, 500);
		// then the counter as painted from the same store (it repaints once a frame)
		await waitTrue(page, () => {
			const s = window.gotracer.session.packets.snapshot();
			return Number(document.querySelector('[data-testid=count-missed] b')?.textContent.replace(/,/g, '')) === Math.max(s.gapLost, s.serverLost);
		});
		const [shownText, s] = await page.evaluate(() => [document.querySelector('[data-testid=count-missed] b')?.textContent ?? '', window.gotracer.session.packets.snapshot()]);
		const shown = Number(shownText.replace(/,/g, ''));
		await shot('capture-lost');
		if (shown !== Math.max(s.gapLost, s.serverLost)) return `the page shows ${shown}, its store says ${JSON.stringify(s)}`;
		if (s.serverLost <= 0) return `the server reported no loss (gaps ${s.gapLost})`;
		if (s.gapLost !== s.serverLost) return `gaps in the numbering ${s.gapLost} != the server's lost total ${s.serverLost}`;
	});

	await check('the interface picker adds an interface; its packets show under its name', async () => {
		try {
			return await pickerCheck();
		} finally {
			await page.keyboard.press('Escape'); // never leave the picker over the toolbar
		}
	});
	async function pickerCheck() {
		await page.click('[data-testid=iface-picker]');
		await page.check(`.iface-opt:has(b:text-is("${DUMMY}")) input`);
		await page.click('.popover button.primary');
		await page.waitForFunction((d) => document.querySelector('[data-testid=iface-picker]')?.textContent.includes(d), DUMMY);
		// from namespace a: out through the dummy device (nobody answers there)
		try {
			execFileSync('ping', ['-c', '2', '-i', '0.2', '-W', '1', '-q', '10.202.0.2'], { timeout: 10000, stdio: 'ignore' });
		} catch {
			// no answer is expected: only the requests going out matter
		}
		const r = await waitRows((rs) => rs.some((x) => x.proto === 'ICMP' && x.dst === '10.202.0.2'));
		const cells = await page.$$eval('.prow', (els) => els.map((e) => [e.children[2].textContent, e.children[5].textContent, e.dataset.dir]));
		// back to the veth alone
		await page.click('[data-testid=iface-picker]');
		await page.uncheck(`.iface-opt:has(b:text-is("${DUMMY}")) input`);
		await page.click('.popover button.primary');
		await page.waitForFunction((d) => !document.querySelector('[data-testid=iface-picker]')?.textContent.includes(d), DUMMY);
		if (!r) return `no ICMP to 10.202.0.2 listed: ${JSON.stringify(cells.slice(-5))}`;
		const mine = cells.filter((c) => c[1] === '10.202.0.2');
		if (!mine.every((c) => c[0] === DUMMY && c[2] === 'out')) return `rows: ${JSON.stringify(mine)}`;
	}

	await check("an invalid filter shows the server's message in place", async () => {
		await applyFilter('port nonsense');
		const err = await page.waitForSelector('.filter-error');
		const text = (await err.textContent()).trim();
		const invalid = await page.getAttribute('#filter', 'aria-invalid');
		const applied = await page.$('.filter-applied');
		await shot('capture-bad-filter');
		if (!text) return 'empty message';
		if (invalid !== 'true') return 'the input is not marked invalid';
		if (applied) return 'a filter shows as applied after a refused one';
		console.log(`    server said: ${text}`);
	});

	let dnsQueryNo = 0;
	await check('a filter narrows the list (udp port 53: DNS only, no ping)', async () => {
		await applyFilter('udp port 53');
		await page.waitForFunction(() => document.querySelector('.filter-applied code')?.textContent === 'udp port 53');
		if (await page.$('.filter-error')) return 'the error stayed after a good filter';
		traffic.ping(3);
		traffic.dig();
		traffic.dig();
		const r = await waitRows((rs) => rs.filter((x) => x.proto === 'DNS').length >= 4);
		if (!r) return `rows: ${JSON.stringify(await rows())}`;
		const other = r.filter((x) => x.proto !== 'DNS');
		if (other.length) return `rows that do not match: ${JSON.stringify(other.slice(0, 3))}`;
		const q = r.find((x) => x.dir === 'in' && x.src === B_IP && /query/i.test(x.info) && !/response/i.test(x.info));
		const resp = r.find((x) => x.dir === 'out' && x.src === A_IP && /response/i.test(x.info));
		if (!q || !resp) return `no query in / response out among ${JSON.stringify(r)}`;
		dnsQueryNo = q.no;
		await shot('capture-filtered');
	});

	let ui = null; // what the page highlighted for dns.qry.name
	await check('clicking a DNS query shows dns.qry.name in the tree; clicking it highlights its bytes', async () => {
		if (!dnsQueryNo) return 'no DNS query row to click';
		await page.click(`.prow[data-no="${dnsQueryNo}"]`);
		const node = await page.waitForSelector('.tnode[data-field="dns.qry.name"]');
		const text = await node.textContent();
		if (!text.includes('example.org')) return `the tree says '${text}'`;
		await node.click();
		await page.waitForSelector('.tnode.selected[data-field="dns.qry.name"]');
		const hl = await page.$$eval('.hex .bytes span.hl', (els) => els.map((e) => ({ off: Number(e.dataset.off), hex: e.textContent })));
		const id = await page.$eval('.tnode[data-field="dns.id"]', (e) => e.textContent.replace('dns.id', '').trim()).catch(() => '');
		ui = { start: hl[0]?.off, hex: hl.map((h) => h.hex).join(''), id, off: Number(await node.getAttribute('data-off')), len: Number(await node.getAttribute('data-len')) };
		if (!hl.length) return 'nothing highlighted';
		if (ui.hex !== '076578616d706c65036f726700') return `highlighted ${ui.hex}, not the wire form of example.org`;
		if (ui.start !== ui.off || hl.length !== ui.len) return `highlight ${ui.start}+${hl.length} but the field is ${ui.off}+${ui.len}`;
		await shot('capture-dns-detail');
	});

	await check('clicking bytes selects the innermost field (ip.src, then dns.qry.name)', async () => {
		const ipSrc = Number(await page.getAttribute('.tnode[data-field="ip.src"]', 'data-off'));
		await page.click(`.hex .bytes span[data-off="${ipSrc + 1}"]`);
		await page.waitForSelector('.tnode.selected[data-field="ip.src"]');
		if (!ui) return 'no DNS detail';
		await page.click(`.hex .ascii span[data-off="${ui.start + 3}"]`);
		await page.waitForSelector('.tnode.selected[data-field="dns.qry.name"]');
	});

	await check('layers collapse and expand (Ethernet, IP, UDP, DNS in order)', async () => {
		const layers = await page.$$eval('.tnode[aria-level="1"]', (els) => els.map((e) => e.dataset.field).filter(Boolean));
		const want = ['eth', 'ip', 'udp', 'dns'];
		if (want.some((l, i) => layers.indexOf(l) < 0 || (i && layers.indexOf(l) < layers.indexOf(want[i - 1])))) return `layers: ${layers.join(', ')}`;
		const twisty = page.locator('.tnode[data-field="ip"] .twisty');
		const ipSrc = (present) => waitTrue(page, (p) => !!document.querySelector('.tnode[data-field="ip.src"]') === p, present);
		await twisty.click();
		const hidden = await ipSrc(false);
		await twisty.click();
		const back = await ipSrc(true);
		if (!hidden) return 'ip.src still shown with the IP layer collapsed';
		if (!back) return 'ip.src not shown again after expanding';
	});

	const download = async (testid, file) => {
		const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
		const path = join(OUT, file);
		await dl.saveAs(path);
		return path;
	};

	await check('the filtered pcapng download is read by tshark: DNS only, same bytes as the page highlighted', async () => {
		const path = await download('download-filtered', 'ui-filtered.pcapng');
		const all = tsharkRead(path);
		if (all.status !== 0 || all.stderr) return `tshark: status ${all.status} ${all.stderr}`;
		if (all.frames < 4) return `${all.frames} frames`;
		const other = tsharkRead(path, 'not udp.port == 53');
		if (other.frames) return `${other.frames} frames outside udp port 53`;
		if (!ui) return 'no highlight to compare';
		// tshark's own position and bytes of dns.qry.name in the query the page showed
		const pdml = tshark('-r', path, '-Y', `dns.flags.response == 0 && dns.id == ${ui.id || '0'}`, '-T', 'pdml');
		const field = /<field name="dns\.qry\.name"[^>]*>/.exec(pdml)?.[0];
		if (!field) return `tshark found no query with dns.id ${ui.id}`;
		const pos = Number(/\bpos="(\d+)"/.exec(field)?.[1]);
		const value = /\bvalue="([0-9a-f]+)"/.exec(field)?.[1];
		if (pos !== ui.start || value !== ui.hex) return `tshark: dns.qry.name at ${pos} = ${value}; page: ${ui.start} = ${ui.hex}`;
	});

	await check('clearing the filter shows all traffic again', async () => {
		await page.click('.filterbar button[type=button]');
		await page.waitForFunction(() => !document.querySelector('.filter-applied'));
		traffic.ping(2);
		const r = await waitRows((rs) => rs.some((x) => x.proto === 'ICMP'));
		if (!r) return 'no ICMP after clearing the filter';
	});

	// a mix for the download and the Traffic view
	for (let i = 0; i < 3; i++) {
		traffic.ping(2);
		traffic.dig();
		traffic.http();
		traffic.tls();
	}

	await check('the full pcapng download is read by tshark and holds the traffic sent', async () => {
		// everything the kernel captured before the barrier is in the server's store
		await barrier();
		const path = await download('download-all', 'ui-all.pcapng');
		const all = tsharkRead(path);
		if (all.status !== 0 || all.stderr) return `tshark: status ${all.status} ${all.stderr}`;
		const want = {
			'icmp.type == 8 && ip.src == B': 3,
			'dns.qry.name == "example.org"': 3,
			'http.request.method == "GET" && tcp.dstport == 8000': 3,
			'tls.handshake.extensions_server_name == "gotracer.test"': 3,
		};
		for (const [f, n] of Object.entries(want)) {
			const got = tsharkRead(path, f.replace('B', B_IP)).frames;
			if (got < n) return `${got} frames match ${f}, want at least ${n}`;
		}
		console.log(`    ${all.frames} frames in the download`);
	});

	await check('the Traffic view shows the traffic sent: chart, protocols, encryption, talkers, conversations', async () => {
		await show(page, 'traffic');
		await page.waitForSelector('[data-testid=traffic]');
		// the view repaints at each stats tick (once a second): wait for one that shows
		// all the traffic sent, with a chart of two ticks or more to draw a rate
		const why = await until(async () => {
			const points = Number(await page.getAttribute('.chart', 'data-points'));
			if (!(points >= 2)) return `the chart has ${points} points`;
			const protos = await page.$$eval('[data-testid=protocols] tbody tr', (els) => els.map((e) => e.dataset.proto));
			for (const p of ['DNS', 'HTTP', 'ICMP']) if (!protos.includes(p)) return `protocols table lacks ${p}: ${protos.join(', ')}`;
			if (!protos.some((p) => /^TLS/.test(p))) return `protocols table lacks TLS: ${protos.join(', ')}`;
			const enc = Number((await page.textContent('[data-testid=enc-packets]')).replace(/,/g, ''));
			const plain = Number((await page.textContent('[data-testid=plain-packets]')).replace(/,/g, ''));
			if (!(enc > 0) || !(plain > 0)) return `encrypted ${enc}, plaintext ${plain} packets`;
			const talkers = await page.$$eval('[data-testid=talkers] tbody td.addr', (els) => els.map((e) => e.textContent));
			if (!talkers.includes(A_IP) || !talkers.includes(B_IP)) return `talkers: ${talkers.join(', ')}`;
			const conv = await page.$$eval('[data-testid=conversations] tbody tr', (els) => els.map((e) => e.textContent));
			if (!conv.some((c) => c.includes(`${A_IP}:8000`))) return `no HTTP conversation: ${conv.join(' | ')}`;
			if (!conv.some((c) => c.includes(`${A_IP}:4433`))) return `no TLS conversation: ${conv.join(' | ')}`;
			// the chart's series carry the bytes sent, both ways
			const peak = await page.evaluate((ifname) => {
				const r = window.gotracer.session.stats.snapshot().ifaces[ifname];
				const max = (a) => Math.max(0, ...a.filter((v) => v != null));
				return r ? { in: max(r.inBytes), out: max(r.outBytes) } : null;
			}, IF);
			if (!peak || !(peak.in > 0) || !(peak.out > 0)) return `chart peaks ${JSON.stringify(peak)}`;
			if (!(await page.$('.chart canvas'))) return 'no chart canvas';
			return '';
		});
		if (why) return why;
		// the interface table against the kernel's own counters (ip -s link): GoTracer
		// counts since it attached, the kernel since the link was made, so never more
		const cells = await page.$$eval(`[data-testid=ifaces] tr[data-iface="${IF}"] td`, (els) => els.map((e) => Number(e.textContent.replace(/,/g, ''))));
		const link = JSON.parse(execFileSync('ip', ['-j', '-s', 'link', 'show', IF], { encoding: 'utf8' }))[0].stats64;
		const [inPk, outPk] = [cells[3], cells[5]];
		if (!(inPk > 0 && outPk > 0)) return `interface table: in ${inPk}, out ${outPk} packets`;
		if (inPk > link.rx.packets || outPk > link.tx.packets) return `page in/out ${inPk}/${outPk} packets, kernel rx/tx ${link.rx.packets}/${link.tx.packets}`;
		// the unit button's label, the figures and the chart change in one render
		const unit = (label) => waitTrue(page, (l) => document.querySelector('[data-testid=rate-unit]')?.textContent === l, label);
		const unitOf = () => page.textContent('[data-testid=kpi-in]');
		if (!(await unit('show bits/s'))) return `the unit button says '${await page.textContent('[data-testid=rate-unit]')}' at the start`;
		const first = await unitOf();
		await page.click('[data-testid=rate-unit]');
		if (!(await unit('show bytes/s'))) return `the unit button says '${await page.textContent('[data-testid=rate-unit]')}' after a click`;
		const second = await unitOf();
		const axis = await page.getAttribute('.chart', 'aria-label'); // the chart is rebuilt in the new unit
		await page.click('[data-testid=rate-unit]');
		await unit('show bits/s');
		if (!/B\/s$/.test(first) || !/bit\/s$/.test(second)) return `rate units '${first}' then '${second}'`;
		if (axis !== 'Bandwidth, b/s') return `the chart is '${axis}' after switching to bits`;
		await shot('traffic');
		await page.locator('.traffic').evaluate((el) => (el.scrollTop = el.scrollHeight));
		await shot('traffic-tables');
		const theme = await page.evaluate(() => document.documentElement.dataset.theme);
		await page.click('[data-testid=theme]');
		await waitTrue(page, (t) => document.documentElement.dataset.theme !== t, theme);
		await page.locator('.traffic').evaluate((el) => (el.scrollTop = 0));
		await shot('traffic-dark');
	});

	await check('the placeholder views say they are placeholders', async () => {
		for (const v of ['wifi']) {
			await show(page, v);
			const t = await page.textContent(`[data-testid=placeholder-${v}]`);
			if (!/not built yet/i.test(t)) return `${v}: ${t}`;
		}
		// Devices and Tools are built (tests/e2e/devices.test.sh drives them)
		for (const v of ['devices', 'tools']) {
			await show(page, v);
			await page.waitForSelector(`[data-testid=${v}]`);
		}
		await show(page, 'devices');
		await shot('devices-dark');
		await page.click('[data-testid=theme]');
	});

	await check('the bar between list and detail drags', async () => {
		await show(page, 'capture');
		const h0 = (await page.locator('.plist').boundingBox()).height;
		const bar = await page.locator('.splitter').boundingBox();
		await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
		await page.mouse.down();
		await page.mouse.move(bar.x + bar.width / 2, bar.y - 150, { steps: 5 });
		await page.mouse.up();
		// a pointer move is not a discrete event: React repaints the split a task later
		await waitTrue(page, (h) => document.querySelector('.plist').getBoundingClientRect().height < h - 100, h0);
		const h1 = (await page.locator('.plist').boundingBox()).height;
		if (!(h1 < h0 - 100)) return `list height ${h0} -> ${h1}`;
	});

	await check('usable in a narrow window', async () => {
		await show(page, 'capture');
		await page.setViewportSize({ width: 640, height: 900 });
		// the layout follows the window at once, what React measures (ResizeObserver) a
		// render later: wait for the window's size, then for the page to fit it
		await page.waitForFunction(() => window.innerWidth === 640 && window.innerHeight === 900);
		await waitTrue(page, () => document.documentElement.scrollWidth <= window.innerWidth);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		await shot('capture-narrow');
		const visible = await page.isVisible('[data-testid=start], [data-testid=stop]');
		await page.setViewportSize({ width: 1280, height: 800 });
		if (overflow > 0) return `the page is ${overflow}px wider than the window`;
		if (!visible) return 'the start/stop control is not visible';
	});

	await check('losing the server shows reconnecting; it reconnects when the server is back', async () => {
		const pid = Number(env('GT_SERVE_PID'));
		const before = Math.max(...(await rows()).map((x) => x.no));
		process.kill(pid, 'SIGTERM');
		await page.waitForSelector('[data-testid=link][data-state=reconnecting]');
		// the next server may attach only when this one has let go of the interface
		// (a process that exited but is not reaped yet counts as gone)
		const gone = () => {
			try {
				process.kill(pid, 0);
			} catch {
				return true;
			}
			try {
				return /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
			} catch {
				return true;
			}
		};
		await until(() => (gone() ? '' : 'still running'), WAIT_MS, 100);
		await shot('capture-reconnecting');
		const [cmd, ...args] = env('GT_SERVE_CMD').split(' ');
		const srv = spawn(cmd, args, { stdio: 'ignore', detached: true });
		srv.unref();
		// the page retries with a backoff of up to 10 s, and the server loads its programs first
		await page.waitForSelector('[data-testid=link][data-state=connected]', { timeout: 2 * WAIT_MS });
		traffic.ping(2);
		// the new server numbers from 1 again: the page starts a new list
		const r = await waitRows((rs) => rs.some((x) => x.proto === 'ICMP') && rs.every((x) => x.no < before));
		if (!r) return `no fresh packets from the restarted server (numbers before: up to ${before})`;
	});

	await check('no script errors in the page', async () => (pageErrors.length ? pageErrors.join(' | ') : ''));
} catch (e) {
	result(false, 'browser run', e?.message ?? e);
} finally {
	await close();
}
process.exit(results.failures ? 1 : 0);
