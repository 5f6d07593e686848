// The Devices view's state, outside React so it survives switching views: hosts
// merged by IP address from every scan job's rows (an ARP sweep finds a host, a
// later port scan adds its open ports and services), the sort order, and the
// discovery run (an ARP sweep, then optionally a ping sweep, as server jobs).
import { FrameNotifier, animationFrame, type FrameScheduler } from './frame';
import { CANCELLED, type Job, type JobRunner, type Params } from './jobs';
import { compareAddr, decodeScanRow, isTechnique, networkOf, type ScanRow, type ScanTechnique } from '../protocol/scan';
import type { InterfaceInfo } from '../protocol/messages';

/** How a host was found: an ARP reply, the kernel's neighbour table, a ping reply, a port scan. */
export type HostSource = 'arp' | 'neighbour' | 'ping' | 'tcp' | 'syn';

export interface Host {
	addr: string;
	mac: string;
	vendor: string;
	localMac: boolean;
	rttMs: number | null;
	ports: number[]; // open TCP ports, ascending
	services: Record<number, { name: string; banner: string }>;
	firstSeen: number; // ms since the epoch, when the page got the first row
	lastSeen: number;
	sources: HostSource[];
}

export type SortKey = 'addr' | 'mac' | 'vendor' | 'rtt' | 'ports' | 'services' | 'firstSeen' | 'lastSeen' | 'sources';
export interface SortOrder {
	key: SortKey;
	desc: boolean;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface DiscoveryStep {
	label: string; // "ARP sweep of eth0's subnet"
	params: Params;
}

export interface DiscoveryState {
	run: number; // counts the discoveries started, so a page can tell this run's end from the last one's
	status: RunStatus;
	steps: string[];
	step: number; // index of the current (or last) step
	done: number;
	total: number;
	error: string;
	found: number; // distinct hosts this discovery found (answered, or known neighbours)
}

export interface DiscoveryRequest {
	iface: string; // '' for none
	cidr: string; // '' for the interface's subnet
	ping: boolean;
}

export interface DevicesSnapshot {
	form: DiscoveryRequest; // what the form holds, kept while the view is away
	hosts: Host[]; // sorted
	sort: SortOrder;
	discovery: DiscoveryState;
}

/** The jobs a discovery runs, or a reason it cannot. */
export function discoverySteps(req: DiscoveryRequest, interfaces: InterfaceInfo[]): DiscoveryStep[] | string {
	const cidr = req.cidr.trim();
	const iface = req.iface.trim();
	if (!cidr && !iface) return 'choose an interface or give the addresses to sweep';
	const steps: DiscoveryStep[] = [];
	const arp: Params = { technique: 'arp' };
	if (cidr) arp.targets = cidr;
	if (iface) arp.iface = iface;
	steps.push({ label: cidr ? `ARP sweep of ${cidr}` : `ARP sweep of ${iface}'s subnet`, params: arp });
	if (req.ping) {
		let targets = cidr;
		if (!targets) {
			const info = interfaces.find((i) => i.name === iface);
			targets = info?.addresses.map(networkOf).find((n): n is string => n !== null) ?? '';
			if (!targets) return `${iface} has no IPv4 subnet to ping: give the addresses`;
		}
		steps.push({ label: `ping sweep of ${targets}`, params: { technique: 'ping', targets } });
	}
	return steps;
}

const idleDiscovery: DiscoveryState = { run: 0, status: 'idle', steps: [], step: 0, done: 0, total: 0, error: '', found: 0 };

// a column's value for sorting; null when the host has none (sorted last)
function sortValue(h: Host, key: SortKey): number | string | null {
	switch (key) {
		case 'addr':
			return 0; // compared by compareAddr
		case 'mac':
			return h.mac || null;
		case 'vendor':
			return h.vendor || null;
		case 'rtt':
			return h.rttMs;
		case 'ports':
			return h.ports.length;
		case 'services':
			return Object.keys(h.services).length;
		case 'firstSeen':
			return h.firstSeen;
		case 'lastSeen':
			return h.lastSeen;
		case 'sources':
			return h.sources.join(',');
	}
}

function compareValues(x: number | string | null, y: number | string | null): number {
	if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
	if (typeof x === 'number' && typeof y === 'number') return x === y ? 0 : x < y ? -1 : 1;
	return String(x).localeCompare(String(y));
}

export function sortHosts(hosts: Host[], order: SortOrder): Host[] {
	const sign = order.desc ? -1 : 1;
	return [...hosts].sort((a, b) => {
		if (order.key === 'addr') return sign * compareAddr(a.addr, b.addr);
		// ties fall back to the address, always ascending
		return sign * compareValues(sortValue(a, order.key), sortValue(b, order.key)) || compareAddr(a.addr, b.addr);
	});
}

/** A host with one scan row merged in (a new object; the old one is left alone). */
export function mergeHost(old: Host | undefined, row: ScanRow, technique: ScanTechnique, now: number): Host {
	const h: Host = old
		? { ...old, lastSeen: now }
		: { addr: row.addr, mac: '', vendor: '', localMac: false, rttMs: null, ports: [], services: {}, firstSeen: now, lastSeen: now, sources: [] };
	const found: HostSource[] = [];
	if (row.type === 'host') {
		if (row.mac) {
			h.mac = row.mac;
			h.vendor = row.vendor;
			h.localMac = row.localMac;
		}
		if (row.rttMs !== null) h.rttMs = row.rttMs;
		if (technique === 'arp') {
			if (row.replied) found.push('arp');
			if (row.neighbor) found.push('neighbour');
		} else if (row.replied || technique !== 'ping') found.push(technique);
	} else if (row.type === 'port') {
		if (row.state === 'open' && !h.ports.includes(row.port)) h.ports = [...h.ports, row.port].sort((a, b) => a - b);
		if (row.state === 'open' && (technique === 'tcp' || technique === 'syn')) found.push(technique);
	} else {
		h.services = { ...h.services, [row.port]: { name: row.service, banner: row.banner } };
		if (!h.ports.includes(row.port)) h.ports = [...h.ports, row.port].sort((a, b) => a - b);
	}
	const add = found.filter((s) => !h.sources.includes(s));
	if (add.length) h.sources = [...h.sources, ...add];
	return h;
}

export class DevicesStore {
	private hosts = new Map<string, Host>();
	private sort: SortOrder = { key: 'addr', desc: false };
	private discovery: DiscoveryState = idleDiscovery;
	private form: DiscoveryRequest = { iface: '', cidr: '', ping: false };
	private job: Job | null = null;
	private found = new Set<string>();
	private snap: DevicesSnapshot | null = null;
	private readonly notifier: FrameNotifier;

	constructor(
		private readonly jobs: JobRunner,
		schedule: FrameScheduler = animationFrame,
		private readonly now: () => number = Date.now,
	) {
		this.notifier = new FrameNotifier(schedule);
		jobs.watchRows((job, row) => {
			const technique = job.params.technique;
			if (job.kind === 'scan' && isTechnique(technique)) this.addRow(row, technique);
		});
	}

	subscribe = (fn: () => void) => this.notifier.subscribe(fn);

	snapshot = (): DevicesSnapshot => {
		if (!this.snap) this.snap = { form: this.form, hosts: sortHosts([...this.hosts.values()], this.sort), sort: this.sort, discovery: this.discovery };
		return this.snap;
	};

	/** now: a person's action, shown at once; otherwise rows, shown at the next frame */
	private changed(now = false): void {
		this.snap = null;
		if (now) this.notifier.now();
		else this.notifier.changed();
	}

	/** One row of any scan job; rows of other shapes are ignored. */
	addRow(raw: Params, technique: ScanTechnique): void {
		const row = decodeScanRow(raw);
		if (!row) return;
		// a target that did not answer, or a port that is not open (a scan that lists
		// them all), adds nothing to a list of hosts and their open ports
		if (row.type === 'host' && !row.replied && !row.neighbor) return;
		if (row.type === 'port' && row.state !== 'open') return;
		this.hosts.set(row.addr, mergeHost(this.hosts.get(row.addr), row, technique, this.now()));
		this.changed();
	}

	/** Click on a column: sort by it, or turn the order round. */
	sortBy(key: SortKey): void {
		this.sort = this.sort.key === key ? { key, desc: !this.sort.desc } : { key, desc: false };
		this.changed(true);
	}

	setForm(patch: Partial<DiscoveryRequest>): void {
		this.form = { ...this.form, ...patch };
		this.changed(true);
	}

	clearHosts(): void {
		this.hosts.clear();
		this.changed(true);
	}

	private setDiscovery(patch: Partial<DiscoveryState>, now = false): void {
		this.discovery = { ...this.discovery, ...patch };
		this.changed(now);
	}

	/** Start a discovery; a reason when it cannot (already running, nothing to sweep). */
	discover(req: DiscoveryRequest, interfaces: InterfaceInfo[]): string | null {
		if (this.discovery.status === 'running') return 'a discovery is running';
		const steps = discoverySteps(req, interfaces);
		if (typeof steps === 'string') {
			this.setDiscovery({ ...idleDiscovery, run: this.discovery.run + 1, status: 'failed', error: steps }, true);
			return steps;
		}
		this.found.clear();
		this.setDiscovery({ ...idleDiscovery, run: this.discovery.run + 1, status: 'running', steps: steps.map((s) => s.label) }, true);
		this.runStep(steps, 0);
		return null;
	}

	private runStep(steps: DiscoveryStep[], i: number): void {
		if (i >= steps.length) {
			this.job = null;
			this.setDiscovery({ status: 'done' });
			return;
		}
		this.setDiscovery({ step: i, done: 0, total: 0 });
		this.job = this.jobs.start('scan', steps[i].params, {
			progress: (done, total) => this.setDiscovery({ done, total }),
			row: (raw) => {
				const row = decodeScanRow(raw);
				if (row?.type === 'host' && (row.replied || row.neighbor)) this.found.add(row.addr);
				this.setDiscovery({ found: this.found.size });
			},
			done: () => this.runStep(steps, i + 1),
			failed: (reason) => {
				this.job = null;
				this.setDiscovery(reason === CANCELLED ? { status: 'cancelled' } : { status: 'failed', error: reason });
			},
		});
	}

	cancelDiscovery(): void {
		if (this.job) this.jobs.cancel(this.job);
	}
}
