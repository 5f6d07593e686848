// The browser half of tests/e2e/devices.test.sh: Chromium beside gotracer serve in
// the scanner's namespace of the scan LAN (tests/scan/topology.sh) runs discoveries
// and port scans through the page, and every check compares what the page shows with
// the topology's truth: the MACs it was built with, the listeners `ss` sees in the
// hosts' namespaces. One line a check: "RESULT\tok|fail\tname\twhy".
// Environment: GT_URL GT_OUT GT_NS_PREFIX.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { WAIT_MS, check, env as envOf, launch, result, results, show } from './browser.mjs';

const env = (k) => envOf(k, 'tests/e2e/devices.test.sh');
const URL_ = env('GT_URL');
const OUT = env('GT_OUT');
const NS = env('GT_NS_PREFIX');

// the LAN as tests/scan/topology.sh builds it
const LAN = {
	'10.210.0.11': { mac: '00:1b:21:0a:0b:01', vendor: 'Intel Corporate', ns: 'h1' },
	'10.210.0.12': { mac: '00:50:56:0a:0b:02', vendor: 'VMware, Inc.', ns: 'h2' },
	'10.210.0.13': { mac: '0a:11:22:33:44:55', vendor: '', local: true, ns: 'h3' },
	'10.210.0.14': { mac: '70:b3:d5:f2:f0:04', vendor: 'TELEPLATFORMS', ns: 'h4', noPing: true },
};
const NEIGHBOUR = { addr: '10.210.0.25', mac: '00:50:56:00:00:25', vendor: 'VMware, Inc.' };
const PORTS = [9, 21, 22, 25, 80, 443, 6379, 8080, 8081, 8082];
const FILTERED_ON_H1 = [8081, 8082]; // nftables drop and host-unreachable reject

/** TCP ports listening on addr in host namespace ns: the truth a port scan must find. */
function listening(ns, addr) {
	const out = execFileSync('ip', ['netns', 'exec', `${NS}-${ns}`, 'ss', '-Hltn'], { encoding: 'utf8', timeout: WAIT_MS });
	const ports = new Set();
	for (const line of out.split('\n')) {
		const local = line.trim().split(/\s+/)[3] ?? '';
		const m = /^(.*):(\d+)$/.exec(local);
		if (m && (m[1] === addr || m[1] === '0.0.0.0' || m[1] === '*' || m[1] === '[::]')) ports.add(Number(m[2]));
	}
	return ports;
}

const { page, close } = await launch({ viewport: { width: 1280, height: 900 } });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const shot = (name) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

/** The Devices table as the page renders it. */
const hosts = () =>
	page.$$eval('tr.host', (rows) =>
		rows.map((r) => {
			const c = [...r.children].map((td) => td.textContent.trim());
			return {
				addr: c[0],
				mac: c[1],
				vendor: r.querySelector('.vendor').firstChild?.nodeType === 3 ? r.querySelector('.vendor').firstChild.textContent.trim() : '',
				randomised: !!r.querySelector('[data-testid=randomised]'),
				rtt: c[3],
				ports: c[4],
				services: c[5],
				sources: c[8],
			};
		}),
	);
const scanRows = () =>
	page.$$eval('tr.scan-row', (rows) =>
		rows.map((r) => {
			const c = [...r.children].map((td) => td.textContent.trim());
			return { addr: c[0], port: Number(r.dataset.port), state: c[2], service: c[3], banner: c[4] };
		}),
	);

/** Count the highest progress any progress bar showed, from now on, in the page. */
const watchProgress = () =>
	page.evaluate(() => {
		window.__progress = 0;
		const look = () => {
			for (const b of document.querySelectorAll('[role=progressbar]')) window.__progress = Math.max(window.__progress, Number(b.getAttribute('aria-valuenow')) || 0);
		};
		window.__progressObs?.disconnect();
		window.__progressObs = new MutationObserver(look);
		window.__progressObs.observe(document.body, { subtree: true, childList: true, attributes: true });
	});
const sawProgress = () => page.evaluate(() => window.__progress);

/** Do what starts a run of the progress box testid, then wait for that run to end.
 * The box's status and what the run found come from one store snapshot, so they
 * are read in the same render. */
async function runAndWait(testid, action, want = 'done', timeout = 4 * WAIT_MS) {
	const run = Number(await page.getAttribute(`[data-testid=${testid}-progress]`, 'data-run'));
	await action();
	await page.waitForSelector(`[data-testid=${testid}-progress][data-run="${run + 1}"]:not([data-status=running])`, { timeout });
	const got = await page.getAttribute(`[data-testid=${testid}-progress]`, 'data-status');
	if (got !== want) throw new Error(`the run ended ${got}: ${await page.textContent(`[data-testid=${testid}-progress]`)}`);
}
const status = (testid) => page.getAttribute(`[data-testid=${testid}]`, 'data-status');
async function portScan(form) {
	await page.fill('[data-testid=scan-targets]', form.targets);
	await page.fill('[data-testid=scan-ports]', form.ports);
	await page.selectOption('[data-testid=scan-technique]', form.technique);
	await page.fill('[data-testid=scan-rate]', String(form.rate ?? 1000));
	await page.setChecked('[data-testid=scan-service]', form.service ?? true);
	await runAndWait('scan', () => page.click('[data-testid=scan-start]'), form.want ?? 'done');
}

try {
	await page.goto(URL_, { timeout: WAIT_MS });
	await check('page connects to the server', async () => {
		await page.waitForSelector('[data-testid=link][data-state=connected]', { timeout: WAIT_MS });
	});
	if (results.failures) throw new Error('the page never connected: nothing else can be checked');

	await check("discovery: an ARP sweep of eth0's subnet fills the Devices table with the right MACs and vendors", async () => {
		await show(page, 'devices');
		const iface = await page.inputValue('[data-testid=discover-iface]');
		if (iface !== 'eth0') return `the interface picked by default is '${iface}'`;
		await watchProgress();
		await runAndWait('discover', () => page.click('[data-testid=discover-start]'));
		const got = await hosts();
		const addrs = got.map((h) => h.addr).join(' ');
		const want = [...Object.keys(LAN), NEIGHBOUR.addr].join(' ');
		if (addrs !== want) return `hosts '${addrs}', want '${want}' (sorted by address)`;
		for (const h of got) {
			const t = LAN[h.addr] ?? { ...NEIGHBOUR, local: false };
			if (h.mac !== t.mac) return `${h.addr}: MAC ${h.mac}, want ${t.mac}`;
			if (h.vendor !== t.vendor) return `${h.addr}: vendor '${h.vendor}', want '${t.vendor}'`;
			if (h.randomised !== !!t.local) return `${h.addr}: randomised flag ${h.randomised}`;
			const source = h.addr === NEIGHBOUR.addr ? 'neighbour table' : 'ARP reply';
			if (h.sources !== source) return `${h.addr}: source '${h.sources}', want '${source}'`;
			if (h.addr !== NEIGHBOUR.addr && !/\d (µs|ms)$/.test(h.rtt)) return `${h.addr}: RTT '${h.rtt}'`;
		}
		const p = await sawProgress();
		if (!(p > 0)) return `the progress bar never moved (highest ${p})`;
		const text = await page.textContent('[data-testid=discover-progress]');
		if (!/Discovery done: 5 hosts found/.test(text)) return `the run ends with '${text}'`;
		await shot('devices');
	});

	await check('discovery: ARP and ping sweep of given addresses merge into the same rows', async () => {
		await page.fill('[data-testid=discover-cidr]', '10.210.0.11-14,10.210.0.20');
		await page.setChecked('[data-testid=discover-ping]', true);
		await runAndWait('discover', () => page.click('[data-testid=discover-start]'));
		const got = await hosts();
		if (got.length !== 5) return `${got.length} rows: ${got.map((h) => h.addr).join(' ')}`;
		for (const h of got) {
			if (h.addr === NEIGHBOUR.addr) continue;
			const want = LAN[h.addr].noPing ? 'ARP reply' : 'ARP reply, ping';
			if (h.sources !== want) return `${h.addr}: sources '${h.sources}', want '${want}'`;
			if (h.mac !== LAN[h.addr].mac) return `${h.addr}: MAC '${h.mac}' after the merge`;
		}
		const text = await page.textContent('[data-testid=discover-progress]');
		if (!/Discovery done: 4 hosts found/.test(text)) return `the run ends with '${text}'`;
	});

	await check('devices: columns sort both ways, and the table survives switching views', async () => {
		// the header's aria-sort comes in the render that sorts the rows: wait for it, then read them
		const sortedBy = (key, dir) => page.waitForSelector(`[data-testid=sort-${key}][aria-sort=${dir}]`);
		await page.click('[data-testid=sort-vendor]');
		await sortedBy('vendor', 'ascending');
		let order = (await hosts()).map((h) => h.vendor || '-').join('|');
		// ties by address; no vendor sorts last
		if (order !== 'Intel Corporate|TELEPLATFORMS|VMware, Inc.|VMware, Inc.|-') return `vendor ascending: ${order}`;
		await page.click('[data-testid=sort-vendor]');
		await sortedBy('vendor', 'descending');
		order = (await hosts()).map((h) => h.vendor || '-').join('|');
		if (order !== '-|VMware, Inc.|VMware, Inc.|TELEPLATFORMS|Intel Corporate') return `vendor descending: ${order}`;
		await show(page, 'capture');
		await page.waitForSelector('[data-testid=devices]', { state: 'detached' });
		await show(page, 'devices');
		const after = (await hosts()).map((h) => h.vendor || '-').join('|');
		if (after !== order) return `after switching views: ${after}`;
		const sorted = await page.getAttribute('[data-testid=sort-vendor]', 'aria-sort');
		if (sorted !== 'descending') return `vendor column aria-sort '${sorted}'`;
		await page.click('[data-testid=sort-addr]');
		await sortedBy('addr', 'ascending');
	});

	const truth = {
		'10.210.0.11': listening('h1', '10.210.0.11'),
		'10.210.0.12': listening('h2', '10.210.0.12'),
	};
	const wantOpen = Object.entries(truth)
		.flatMap(([a, set]) => PORTS.filter((p) => set.has(p)).map((p) => `${a}:${p}`))
		.join(' ');
	const wantFiltered = FILTERED_ON_H1.filter((p) => !truth['10.210.0.11'].has(p)).length;
	const wantClosed = 2 * PORTS.length - wantOpen.split(' ').length - wantFiltered;

	for (const technique of ['tcp', 'syn']) {
		await check(`port scan (${technique}): the table shows exactly the ports that listen, with services; closed and filtered counted`, async () => {
			await show(page, 'tools');
			await watchProgress();
			await portScan({ targets: '10.210.0.11-12', ports: PORTS.join(','), technique });
			const rows = await scanRows();
			const open = rows.map((r) => `${r.addr}:${r.port}`).join(' ');
			if (open !== wantOpen) return `open '${open}', want '${wantOpen}'`;
			if (rows.some((r) => r.state !== 'open')) return `states: ${rows.map((r) => r.state).join(',')}`;
			const svc = Object.fromEntries(rows.map((r) => [`${r.addr}:${r.port}`, r]));
			const expect = { '10.210.0.11:22': /ssh/, '10.210.0.11:80': /http/, '10.210.0.11:443': /ssl|https|tls/, '10.210.0.12:6379': /redis/, '10.210.0.11:21': /ftp/, '10.210.0.11:25': /smtp/ };
			for (const [k, re] of Object.entries(expect)) if (svc[k] && !re.test(svc[k].service)) return `${k}: service '${svc[k].service}'`;
			if (svc['10.210.0.11:443'] && !/scan-test\.gotracer/.test(svc['10.210.0.11:443'].banner)) return `443 banner '${svc['10.210.0.11:443'].banner}'`;
			if (svc['10.210.0.11:22'] && !/dropbear/i.test(svc['10.210.0.11:22'].banner)) return `22 banner '${svc['10.210.0.11:22'].banner}'`;
			const n = async (id) => Number(await page.textContent(`[data-testid=${id}]`));
			const counts = [await n('scan-open'), await n('scan-closed'), await n('scan-filtered')];
			const want = [wantOpen.split(' ').length, wantClosed, wantFiltered];
			if (counts.join() !== want.join()) return `open/closed/filtered ${counts.join('/')}, want ${want.join('/')}`;
			if (!((await sawProgress()) > 0)) return 'the progress bar never moved';
			await shot(`tools-${technique}`);
		});
	}

	await check('port scan listing closed and filtered: each port in its true state, with the reason', async () => {
		await page.setChecked('[data-testid=scan-all]', true);
		await portScan({ targets: '10.210.0.11', ports: '9,22,8081,8082', technique: 'tcp', service: false });
		await page.setChecked('[data-testid=scan-all]', false);
		const rows = await page.$$eval('tr.scan-row', (trs) => trs.map((r) => `${r.dataset.port}=${r.children[2].textContent.trim()}(${r.children[2].title})`));
		const h1 = truth['10.210.0.11'];
		const want = [
			`9=${h1.has(9) ? 'open(syn-ack)' : 'closed(conn-refused)'}`,
			`22=${h1.has(22) ? 'open(syn-ack)' : 'closed(conn-refused)'}`,
			'8081=filtered(no-response)',
			'8082=filtered(host-unreach)',
		].join(' ');
		if (rows.join(' ') !== want) return `rows '${rows.join(' ')}', want '${want}'`;
		const count = await page.textContent('[data-testid=scan-count]');
		if (count !== '1') return `open count '${count}'`;
		await shot('tools-all-ports');
	});

	await check('devices: the port scans added open ports and services to the hosts found by ARP', async () => {
		await show(page, 'devices');
		const got = Object.fromEntries((await hosts()).map((h) => [h.addr, h]));
		for (const [addr, set] of Object.entries(truth)) {
			const want = PORTS.filter((p) => set.has(p)).join(', ');
			if (got[addr]?.ports !== want) return `${addr}: ports '${got[addr]?.ports}', want '${want}'`;
			if (got[addr].mac !== LAN[addr].mac) return `${addr}: MAC lost in the merge: '${got[addr].mac}'`;
			if (!/ARP reply, ping, TCP scan, SYN scan/.test(got[addr].sources)) return `${addr}: sources '${got[addr].sources}'`;
		}
		if (!/22\/ssh/.test(got['10.210.0.11'].services)) return `services of .11: '${got['10.210.0.11'].services}'`;
		if (got['10.210.0.13'].ports !== '') return `.13 was not scanned but shows ports '${got['10.210.0.13'].ports}'`;
		await shot('devices-with-ports');
	});

	await check("port scan: bad ports and bad targets show the server's message in place", async () => {
		await show(page, 'tools');
		await portScan({ targets: '10.210.0.11', ports: '99999', technique: 'tcp', want: 'failed' });
		let msg = await page.textContent('[data-testid=scan-progress-error]');
		if (!/bad ports '99999'/.test(msg)) return `bad ports: '${msg}'`;
		await portScan({ targets: 'not.an.address', ports: '22', technique: 'tcp', want: 'failed' });
		msg = await page.textContent('[data-testid=scan-progress-error]');
		if (!/bad targets 'not\.an\.address'/.test(msg)) return `bad targets: '${msg}'`;
		const notice = await page.$('.notice');
		if (notice) return `the error also went to the global notice: '${await notice.textContent()}'`;
		if ((await scanRows()).length) return 'rows of the earlier scan still show';
		await shot('tools-error');
	});

	await check('port scan: Cancel stops a long scan of silent addresses', async () => {
		// 11 addresses that never answer x 1000 ports at 200/s: minutes, unless cancelled
		await watchProgress();
		const cancelled = runAndWait(
			'scan',
			async () => {
				await page.fill('[data-testid=scan-targets]', '10.210.0.20-30');
				await page.fill('[data-testid=scan-ports]', '1-1000');
				await page.selectOption('[data-testid=scan-technique]', 'syn');
				await page.fill('[data-testid=scan-rate]', '200');
				await page.click('[data-testid=scan-start]');
				await page.waitForFunction(() => window.__progress > 0);
				await page.click('[data-testid=scan-progress-cancel]');
			},
			'cancelled',
			WAIT_MS,
		);
		await cancelled;
		const text = await page.textContent('[data-testid=scan-progress]');
		if (!/cancelled/i.test(text)) return `after cancel: '${text}'`;
		if (await page.isEnabled('[data-testid=scan-start]')) await shot('tools-cancelled');
		else return 'Scan stays disabled after the cancel';
	});

	await check('discovery: Cancel stops an ARP sweep of a /16', async () => {
		await show(page, 'devices');
		await page.fill('[data-testid=discover-cidr]', '10.210.0.0/16');
		await page.setChecked('[data-testid=discover-ping]', false);
		await watchProgress();
		await runAndWait(
			'discover',
			async () => {
				await page.click('[data-testid=discover-start]');
				await page.waitForFunction(() => window.__progress > 0);
				await page.click('[data-testid=discover-progress-cancel]');
			},
			'cancelled',
			WAIT_MS,
		);
		// the hosts found before stay
		if ((await hosts()).length < 4) return `hosts after cancel: ${(await hosts()).length}`;
		await shot('devices-cancelled');
	});

	await check('no errors in the page', async () => {
		if (pageErrors.length) return pageErrors.join(' | ');
		if (await status('discover-progress') === 'running') return 'discovery still running';
	});
} catch (e) {
	result(false, 'browser run', e?.message ?? e);
} finally {
	await close();
}
process.exit(results.failures ? 1 : 0);
