// The Tools view's port scan, outside React so the form, the run and its results
// survive switching views: a "scan" job (tcp connect or syn) whose port and service
// rows fill a table live, one row a host and port; the summary counts closed and
// filtered ports, which the server does not send one by one.
import { FrameNotifier, animationFrame, type FrameScheduler } from './frame';
import { CANCELLED, type Job, type JobRunner, type Params } from './jobs';
import { compareAddr, decodeScanRow } from '../protocol/scan';
import type { RunStatus } from './devices';

export interface PortScanForm {
	targets: string;
	ports: string; // -p syntax: "22,80,1000-2000"; '' to use topPorts
	topPorts: number; // nmap's N most frequent ports when ports is empty; 0: none
	technique: 'tcp' | 'syn';
	rate: number;
	service: boolean;
	allPorts: boolean; // ask for closed and filtered ports as rows too
}

export interface PortResult {
	addr: string;
	port: number;
	proto: string;
	state: string;
	reason: string;
	service: string;
	banner: string;
}

export interface PortScanSummary {
	hostsUp: number;
	ports: number;
	open: number;
	closed: number;
	filtered: number;
}

export interface PortScanSnapshot {
	form: PortScanForm;
	run: number; // counts the scans started
	status: RunStatus;
	done: number;
	total: number;
	error: string;
	results: PortResult[]; // by address, then port
	summary: PortScanSummary | null;
}

export const defaultForm: PortScanForm = { targets: '', ports: '', topPorts: 100, technique: 'tcp', rate: 1000, service: true, allPorts: false };

/** The job's params for a form; the server checks them and says what is wrong. */
export function scanParams(f: PortScanForm): Params {
	const p: Params = { technique: f.technique, targets: f.targets.trim(), rate: f.rate, service: f.service };
	// the port list wins; the top ports are for when none is given
	if (f.ports.trim()) p.ports = f.ports.trim();
	else if (f.topPorts > 0) p.top_ports = f.topPorts;
	if (f.allPorts) p.all_ports = true;
	return p;
}

const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export class PortScanStore {
	private form: PortScanForm = defaultForm;
	private status: RunStatus = 'idle';
	private run = 0;
	private done = 0;
	private total = 0;
	private error = '';
	private results = new Map<string, PortResult>();
	private summary: PortScanSummary | null = null;
	private job: Job | null = null;
	private snap: PortScanSnapshot | null = null;
	private readonly notifier: FrameNotifier;

	constructor(
		private readonly jobs: JobRunner,
		schedule: FrameScheduler = animationFrame,
	) {
		this.notifier = new FrameNotifier(schedule);
	}

	subscribe = (fn: () => void) => this.notifier.subscribe(fn);

	snapshot = (): PortScanSnapshot => {
		if (!this.snap) {
			const results = [...this.results.values()].sort((a, b) => compareAddr(a.addr, b.addr) || a.port - b.port);
			this.snap = { form: this.form, run: this.run, status: this.status, done: this.done, total: this.total, error: this.error, results, summary: this.summary };
		}
		return this.snap;
	};

	/** now: a person's action, shown at once; otherwise rows, shown at the next frame */
	private changed(now = false): void {
		this.snap = null;
		if (now) this.notifier.now();
		else this.notifier.changed();
	}

	setForm(patch: Partial<PortScanForm>): void {
		this.form = { ...this.form, ...patch };
		this.changed(true);
	}

	start(): void {
		if (this.status === 'running') return;
		this.results.clear();
		this.summary = null;
		this.error = '';
		this.done = this.total = 0;
		this.status = 'running';
		this.run++;
		this.changed(true);
		this.job = this.jobs.start('scan', scanParams(this.form), {
			progress: (done, total) => {
				this.done = done;
				this.total = total;
				this.changed();
			},
			row: (row) => this.addRow(row),
			done: (s) => {
				this.job = null;
				this.status = 'done';
				this.summary = { hostsUp: count(s.hosts_up), ports: count(s.ports), open: count(s.open), closed: count(s.closed), filtered: count(s.filtered) };
				this.changed();
			},
			failed: (reason) => {
				this.job = null;
				if (reason === CANCELLED) this.status = 'cancelled';
				else {
					this.status = 'failed';
					this.error = reason;
				}
				this.changed();
			},
		});
	}

	cancel(): void {
		if (this.job) this.jobs.cancel(this.job);
	}

	private addRow(raw: Params): void {
		const row = decodeScanRow(raw);
		if (!row || row.type === 'host') return;
		const key = `${row.addr}:${row.port}`;
		const old = this.results.get(key) ?? { addr: row.addr, port: row.port, proto: row.proto, state: '', reason: '', service: '', banner: '' };
		const r = row.type === 'port' ? { ...old, state: row.state, reason: row.reason } : { ...old, service: row.service, banner: row.banner, state: old.state || 'open' };
		this.results.set(key, r);
		this.changed();
	}
}
