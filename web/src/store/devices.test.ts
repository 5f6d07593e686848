// Devices and port scan state through a Session, driven by the server's job
// messages as docs/protocol.md and docs/scan.md give them.
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { ManualFrames } from './testutil';
import { discoverySteps, sortHosts, type Host } from './devices';
import { scanParams, defaultForm } from './portscan';
import { networkOf, compareAddr } from '../protocol/scan';
import type { ClientMessage, InterfaceInfo } from '../protocol/messages';

type Sent = ClientMessage & { id?: string | number };

function setup() {
	const f = new ManualFrames();
	const s = new Session(100, f.schedule, async () => ({}));
	const sent: Sent[] = [];
	s.setSender((m) => {
		sent.push(m as Sent);
		return true;
	});
	s.setLink({ status: 'connected', since: 0 });
	return { s, f, sent };
}

const host = (addr: string, over: Record<string, unknown> = {}) => ({ type: 'host', addr, replied: true, neighbor: false, mac: '00:1b:21:0a:0b:01', vendor: 'Intel Corporate', local_mac: false, rtt_ms: 0.5, ...over });
const port = (addr: string, p: number, state = 'open') => ({ type: 'port', addr, port: p, proto: 'tcp', state, reason: 'syn-ack', ttl: 64 });
const service = (addr: string, p: number, name: string, extra = '') => ({ type: 'service', addr, port: p, proto: 'tcp', service: name, product: 'OpenSSH', version: '9.2', extra, method: 'probed' });

/** Answer the last job_start as the server would: job_started with number id. */
function started(s: Session, sent: Sent[], id: number) {
	const req = [...sent].reverse().find((m) => m.type === 'job_start') as Sent & { kind: string; params: object };
	s.handle({ type: 'job_started', id, ref: req.id, kind: req.kind, params: req.params });
	return req;
}
const row = (s: Session, id: number, r: object) => s.handle({ type: 'job_row', id, row: r });

const ifaces: InterfaceInfo[] = [{ name: 'eth0', index: 2, up: true, mac: '00:16:3e:00:00:01', addresses: ['fd00::1/64', '10.210.0.1/24'], capturing: true }];

describe('discovery', () => {
	it('runs an ARP sweep, then a ping sweep of the interface subnet, merging by IP', () => {
		const { s, f, sent } = setup();
		expect(s.devices.discover({ iface: 'eth0', cidr: '', ping: true }, ifaces)).toBeNull();
		const arp = started(s, sent, 1);
		expect(arp.params).toEqual({ technique: 'arp', iface: 'eth0' });
		row(s, 1, host('10.210.0.12', { mac: '00:50:56:0a:0b:02', vendor: 'VMware, Inc.' }));
		row(s, 1, host('10.210.0.11'));
		row(s, 1, host('10.210.0.25', { replied: false, neighbor: true, mac: '00:50:56:00:00:25', rtt_ms: undefined }));
		s.handle({ type: 'job_progress', id: 1, done: 100, total: 254 });
		f.run();
		let snap = s.devices.snapshot();
		expect(snap.hosts.map((h) => h.addr)).toEqual(['10.210.0.11', '10.210.0.12', '10.210.0.25']);
		expect(snap.hosts[2].sources).toEqual(['neighbour']);
		expect(snap.discovery).toMatchObject({ status: 'running', step: 0, done: 100, total: 254 });

		s.handle({ type: 'job_done', id: 1, summary: { technique: 'arp', hosts_up: 2 } });
		const ping = started(s, sent, 2);
		expect(ping.params).toEqual({ technique: 'ping', targets: '10.210.0.0/24' });
		row(s, 2, { type: 'host', addr: '10.210.0.11', replied: true, neighbor: false, rtt_ms: 0.02 });
		s.handle({ type: 'job_done', id: 2, summary: { technique: 'ping', hosts_up: 1 } });
		f.run();
		snap = s.devices.snapshot();
		const h11 = snap.hosts[0];
		// the ping row has no MAC: the ARP one stays; the RTT is the newer
		expect(h11).toMatchObject({ mac: '00:1b:21:0a:0b:01', vendor: 'Intel Corporate', rttMs: 0.02, sources: ['arp', 'ping'] });
		expect(snap.discovery).toMatchObject({ status: 'done', found: 3 });
	});

	it('a later port scan adds open ports and services to the host', () => {
		const { s, f, sent } = setup();
		s.devices.discover({ iface: '', cidr: '10.210.0.0/24', ping: false }, ifaces);
		started(s, sent, 1);
		row(s, 1, host('10.210.0.11'));
		s.handle({ type: 'job_done', id: 1, summary: { hosts_up: 1 } });
		s.portScan.setForm({ targets: '10.210.0.11', ports: '22,80', technique: 'syn' });
		s.portScan.start();
		started(s, sent, 2);
		row(s, 2, port('10.210.0.11', 80));
		row(s, 2, port('10.210.0.11', 22));
		row(s, 2, service('10.210.0.11', 22, 'ssh'));
		row(s, 2, port('10.210.0.13', 8080)); // a host the sweep did not see
		row(s, 2, port('10.210.0.11', 9, 'closed')); // all_ports: not an open port
		row(s, 2, port('10.210.0.20', 22, 'filtered')); // nobody there: not a host
		f.run();
		const [h11, h13] = s.devices.snapshot().hosts;
		expect(h11.ports).toEqual([22, 80]);
		expect(h11.services[22]).toEqual({ name: 'ssh', banner: 'OpenSSH 9.2' });
		expect(h11.sources).toEqual(['arp', 'syn']);
		expect(h11.mac).toBe('00:1b:21:0a:0b:01');
		expect(h13).toMatchObject({ addr: '10.210.0.13', mac: '', ports: [8080], sources: ['syn'] });
		expect(s.devices.snapshot().hosts).toHaveLength(2);
	});

	it('flags locally administered MACs and keeps first and last seen', () => {
		const { s, f, sent } = setup();
		s.devices.discover({ iface: 'eth0', cidr: '', ping: false }, ifaces);
		started(s, sent, 1);
		row(s, 1, host('10.210.0.13', { mac: '0a:11:22:33:44:55', vendor: null, local_mac: true }));
		f.run();
		const first = s.devices.snapshot().hosts[0];
		expect(first).toMatchObject({ localMac: true, vendor: '' });
		row(s, 1, host('10.210.0.13', { mac: '0a:11:22:33:44:55', vendor: null, local_mac: true }));
		f.run();
		const again = s.devices.snapshot().hosts[0];
		expect(again.firstSeen).toBe(first.firstSeen);
		expect(again.lastSeen).toBeGreaterThanOrEqual(first.lastSeen);
		expect(s.devices.snapshot().hosts).toHaveLength(1);
	});

	it('cancel before job_started arrives is sent as soon as the job has a number', () => {
		const { s, f, sent } = setup();
		s.devices.discover({ iface: 'eth0', cidr: '', ping: true }, ifaces);
		s.devices.cancelDiscovery();
		expect(sent.filter((m) => m.type === 'job_cancel')).toHaveLength(0);
		started(s, sent, 7);
		expect(sent.at(-1)).toEqual({ type: 'job_cancel', id: 7 });
		s.handle({ type: 'job_error', id: 7, reason: 'cancelled' });
		f.run();
		// the ping step never starts
		expect(sent.filter((m) => m.type === 'job_start')).toHaveLength(1);
		expect(s.devices.snapshot().discovery.status).toBe('cancelled');
	});

	it('a refused start shows the server reason; the link going down ends a run', () => {
		const { s, f, sent } = setup();
		s.devices.discover({ iface: '', cidr: '10.0.0.0/8', ping: false }, ifaces);
		const req = sent.at(-1)!;
		s.handle({ type: 'error', reason: "scan: bad targets '10.0.0.0/8' (at most 65536 addresses)", in_reply_to: 'job_start', id: req.id });
		f.run();
		expect(s.devices.snapshot().discovery).toMatchObject({ status: 'failed', error: "scan: bad targets '10.0.0.0/8' (at most 65536 addresses)" });
		expect(s.state.get().notice).toBe('');

		s.devices.discover({ iface: 'eth0', cidr: '', ping: false }, ifaces);
		started(s, sent, 3);
		s.setLink({ status: 'reconnecting', attempt: 1, retryAt: 0, reason: 'connection lost' });
		f.run();
		expect(s.devices.snapshot().discovery.status).toBe('failed');
		expect(s.jobs.running).toBe(0);
	});

	it('ignores rows of jobs it did not start and of other kinds', () => {
		const { s, f, sent } = setup();
		row(s, 99, host('10.210.0.11'));
		s.jobs.start('ping', { host: '10.210.0.11' }, {});
		started(s, sent, 1);
		row(s, 1, { seq: 1, from: '10.210.0.11', status: 'reply', rtt_ms: 0.1 });
		f.run();
		expect(s.devices.snapshot().hosts).toHaveLength(0);
	});
});

describe('discovery steps', () => {
	it('needs an interface or addresses, and a subnet for the ping sweep', () => {
		expect(discoverySteps({ iface: '', cidr: ' ', ping: false }, ifaces)).toMatch(/choose an interface/);
		expect(discoverySteps({ iface: 'lo6', cidr: '', ping: true }, [{ ...ifaces[0], name: 'lo6', addresses: ['::1/128'] }])).toMatch(/no IPv4 subnet/);
		expect(discoverySteps({ iface: 'eth0', cidr: '10.1.2.0/28', ping: true }, ifaces)).toEqual([
			{ label: 'ARP sweep of 10.1.2.0/28', params: { technique: 'arp', targets: '10.1.2.0/28', iface: 'eth0' } },
			{ label: 'ping sweep of 10.1.2.0/28', params: { technique: 'ping', targets: '10.1.2.0/28' } },
		]);
	});
	it('networkOf and address order', () => {
		expect(networkOf('10.210.0.1/24')).toBe('10.210.0.0/24');
		expect(networkOf('192.168.7.200/30')).toBe('192.168.7.200/30');
		expect(networkOf('172.16.5.4/12')).toBe('172.16.0.0/12');
		expect(networkOf('fd00::1/64')).toBeNull();
		expect(networkOf('10.0.0.256/8')).toBeNull();
		expect(['10.0.0.10', 'x', '10.0.0.9', '9.255.255.255'].sort(compareAddr)).toEqual(['9.255.255.255', '10.0.0.9', '10.0.0.10', 'x']);
	});
});

describe('sorting', () => {
	const h = (addr: string, o: Partial<Host>): Host => ({ addr, mac: '', vendor: '', localMac: false, rttMs: null, ports: [], services: {}, firstSeen: 0, lastSeen: 0, sources: [], ...o });
	const hosts = [h('10.0.0.10', { vendor: 'VMware', rttMs: 0.3, ports: [22] }), h('10.0.0.9', { vendor: 'Intel', rttMs: null }), h('10.0.0.2', { vendor: '', rttMs: 0.1, ports: [22, 80] })];
	const order = (key: Parameters<typeof sortHosts>[1]['key'], desc = false) => sortHosts(hosts, { key, desc }).map((x) => x.addr);
	it('by address numerically, by vendor (unknown last), by RTT, by ports, both ways', () => {
		expect(order('addr')).toEqual(['10.0.0.2', '10.0.0.9', '10.0.0.10']);
		expect(order('addr', true)).toEqual(['10.0.0.10', '10.0.0.9', '10.0.0.2']);
		expect(order('vendor')).toEqual(['10.0.0.9', '10.0.0.10', '10.0.0.2']);
		expect(order('rtt')).toEqual(['10.0.0.2', '10.0.0.10', '10.0.0.9']);
		expect(order('ports', true)).toEqual(['10.0.0.2', '10.0.0.10', '10.0.0.9']);
	});
	it('a second click on the column turns the order round; the order survives in the store', () => {
		const { s, f } = setup();
		s.devices.sortBy('vendor');
		s.devices.sortBy('vendor');
		f.run();
		expect(s.devices.snapshot().sort).toEqual({ key: 'vendor', desc: true });
		s.devices.sortBy('rtt');
		expect(s.devices.snapshot().sort).toEqual({ key: 'rtt', desc: false });
	});
	it('what a person does shows at once; rows wait for the next frame', () => {
		const { s, f, sent } = setup();
		let calls = 0;
		s.devices.subscribe(() => calls++);
		s.portScan.subscribe(() => calls++);
		s.devices.setForm({ cidr: '10.210.0.0/24' });
		s.portScan.setForm({ targets: '10.210.0.11' });
		expect(calls).toBe(2);
		expect(s.devices.snapshot().form.cidr).toBe('10.210.0.0/24');
		s.devices.discover(s.devices.snapshot().form, ifaces);
		expect(calls).toBe(3);
		expect(s.devices.snapshot().discovery).toMatchObject({ run: 1, status: 'running' });
		started(s, sent, 1);
		row(s, 1, host('10.210.0.11'));
		expect(calls).toBe(3);
		f.run();
		expect(calls).toBe(4);
	});
});

describe('port scan', () => {
	it('sends the form as scan params: a port list wins over top ports', () => {
		expect(scanParams({ ...defaultForm, targets: ' 10.210.0.11 ', ports: '22,80' })).toEqual({ technique: 'tcp', targets: '10.210.0.11', rate: 1000, service: true, ports: '22,80' });
		expect(scanParams({ ...defaultForm, targets: '10.210.0.0/24', technique: 'syn', service: false })).toEqual({ technique: 'syn', targets: '10.210.0.0/24', rate: 1000, service: false, top_ports: 100 });
		expect(scanParams({ ...defaultForm, targets: '10.210.0.11', ports: '9', allPorts: true })).toMatchObject({ ports: '9', all_ports: true });
	});

	it('fills the table live, joins services to their port, keeps the summary', () => {
		const { s, f, sent } = setup();
		s.portScan.setForm({ targets: '10.210.0.11-12', ports: '1-1000' });
		s.portScan.start();
		started(s, sent, 4);
		row(s, 4, port('10.210.0.12', 80));
		row(s, 4, port('10.210.0.11', 443));
		row(s, 4, port('10.210.0.11', 22));
		s.handle({ type: 'job_progress', id: 4, done: 1000, total: 2000 });
		f.run();
		let snap = s.portScan.snapshot();
		expect(snap.status).toBe('running');
		expect(snap.results.map((r) => `${r.addr}:${r.port}`)).toEqual(['10.210.0.11:22', '10.210.0.11:443', '10.210.0.12:80']);
		expect(snap.done / snap.total).toBe(0.5);
		row(s, 4, service('10.210.0.11', 443, 'ssl/http', 'TLSv1.3 subject=/CN=x'));
		s.handle({ type: 'job_done', id: 4, summary: { technique: 'tcp', targets: 2, hosts_up: 2, ports: 1000, open: 3, closed: 1996, filtered: 1, rows_lost: 0 } });
		f.run();
		snap = s.portScan.snapshot();
		expect(snap.results[1]).toMatchObject({ state: 'open', service: 'ssl/http', banner: 'OpenSSH 9.2 TLSv1.3 subject=/CN=x' });
		expect(snap.summary).toEqual({ hostsUp: 2, ports: 1000, open: 3, closed: 1996, filtered: 1 });
		expect(snap.status).toBe('done');
	});

	it('shows the server error in place; a new run clears the old results', () => {
		const { s, f, sent } = setup();
		s.portScan.setForm({ targets: '10.210.0.11', ports: '99999' });
		s.portScan.start();
		s.handle({ type: 'error', reason: "scan: bad ports '99999'", in_reply_to: 'job_start', id: sent.at(-1)!.id });
		f.run();
		expect(s.portScan.snapshot()).toMatchObject({ status: 'failed', error: "scan: bad ports '99999'" });
		s.portScan.setForm({ ports: '22' });
		s.portScan.start();
		started(s, sent, 5);
		row(s, 5, port('10.210.0.11', 22));
		s.portScan.cancel();
		expect(sent.at(-1)).toEqual({ type: 'job_cancel', id: 5 });
		s.handle({ type: 'job_error', id: 5, reason: 'cancelled' });
		f.run();
		expect(s.portScan.snapshot()).toMatchObject({ status: 'cancelled', error: '' });
		expect(s.portScan.snapshot().results).toHaveLength(1);
		s.portScan.start();
		f.run();
		expect(s.portScan.snapshot().results).toHaveLength(0);
	});

	it('a scan failure after the start is shown too', () => {
		const { s, f, sent } = setup();
		s.portScan.setForm({ targets: '10.210.0.11', ports: '22', technique: 'syn' });
		s.portScan.start();
		started(s, sent, 6);
		s.handle({ type: 'job_error', id: 6, reason: 'scan failed: Operation not permitted' });
		f.run();
		expect(s.portScan.snapshot()).toMatchObject({ status: 'failed', error: 'scan failed: Operation not permitted' });
	});
});
