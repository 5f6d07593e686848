// One page's session with the server: the stores, and what each server message does
// to them. The WebSocket itself is outside (protocol/connection.ts), so tests drive a
// session with plain objects.
import { PacketStore } from './packets';
import { StatsStore } from './stats';
import { StateStore, animationFrame, type FrameScheduler } from './frame';
import { JobRunner } from './jobs';
import { DevicesStore } from './devices';
import { PortScanStore } from './portscan';
import { filterAccepted, filterFromServer, filterRefused, filterSubmitted, initialFilter, type FilterState } from './filter';
import { PROTOCOL_VERSION, decodeMessage, type CaptureState, type ClientMessage, type InterfaceInfo, type PacketDetail, type PacketSummary, type RequestMessage } from '../protocol/messages';
import type { LinkState } from '../protocol/connection';

export interface SessionState {
	link: LinkState;
	version: string;
	protocol: number;
	interfaces: InterfaceInfo[];
	capture: CaptureState;
	captureError: string; // the server refused a start, stop or interface change
	filter: FilterState;
	selected: number | null; // packet number whose detail is shown
	detail: PacketDetail | null;
	detailError: string;
	notice: string; // the last server error that belongs to no request of ours
	lostReason: string; // why the server last dropped packets for this page
}

const DETAIL_CACHE = 64;
export const BACKLOG_MAX = 5000; // history a fresh page loads from the store
const BACKLOG_PAGE = 1000; // the most /api/packets gives at once

export type JsonFetch = (url: string) => Promise<unknown>;

const fetchJson: JsonFetch = async (url) => {
	const r = await fetch(url, { credentials: 'same-origin' });
	if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
	return r.json();
};

export class Session {
	readonly packets: PacketStore;
	readonly stats: StatsStore;
	readonly state: StateStore<SessionState>;
	readonly jobs: JobRunner;
	readonly devices: DevicesStore;
	readonly portScan: PortScanStore;
	private readonly details = new Map<number, PacketDetail>();
	private sendFn: (m: ClientMessage) => boolean = () => false;
	private nextId = 1;
	private filterRequest = ''; // id of the set_capture that carries a filter
	private seenNo = 0; // highest packet number received, 0 before any
	private backlog: { live: PacketSummary[][]; generation: number } | null = null;
	private generation = 0; // bumps on hello and cleared: a late backlog reply is stale

	constructor(
		capacity?: number,
		schedule: FrameScheduler = animationFrame,
		private readonly fetchFn: JsonFetch = fetchJson,
	) {
		this.packets = new PacketStore(capacity, schedule);
		this.stats = new StatsStore(undefined, schedule);
		this.jobs = new JobRunner(
			(m) => this.send(m),
			(m) => this.sendFn(m),
		);
		this.devices = new DevicesStore(this.jobs, schedule);
		this.portScan = new PortScanStore(this.jobs, schedule);
		this.state = new StateStore<SessionState>({
			link: { status: 'connecting', attempt: 0 },
			version: '',
			protocol: 0,
			interfaces: [],
			capture: { running: false, interfaces: [], filter: '', snaplen: 0, account: false, error: '' },
			captureError: '',
			filter: initialFilter,
			selected: null,
			detail: null,
			detailError: '',
			notice: '',
			lostReason: '',
		});
	}

	setSender(fn: (m: ClientMessage) => boolean): void {
		this.sendFn = fn;
	}

	private send(m: RequestMessage): string | null {
		const id = `w${this.nextId++}`;
		if (!this.sendFn({ ...m, id })) {
			this.state.set({ notice: 'not connected to gotracer: the command was not sent' });
			return null;
		}
		return id;
	}

	setLink(link: LinkState): void {
		const st = this.state.get();
		// the server stops a page's jobs when its link goes
		if (link.status !== 'connected') this.jobs.linkLost();
		// a request in flight when the link went down will never be answered
		if (link.status !== 'connected' && st.filter.pending !== null) this.state.set({ link, filter: { ...st.filter, pending: null } });
		else this.state.set({ link });
	}

	handle(raw: unknown): void {
		const m = decodeMessage(raw);
		const st = this.state.get();
		switch (m.type) {
			case 'hello': {
				// a server that restarted numbers from 1 again: the list is from another life
				if (m.store.lastNo < this.seenNo) {
					this.packets.reset();
					this.seenNo = 0;
				}
				// a fresh page loads the recent history, then the live stream; a page
				// that reconnects counts what it missed while away as a gap
				this.generation++;
				this.backlog = null;
				if (this.seenNo === 0) {
					const live = m.store.liveFrom || m.store.lastNo + 1;
					const from = Math.max(m.store.firstNo, live - BACKLOG_MAX, 1);
					this.packets.expectNext(from);
					if (from < live) this.loadBacklog(from, live - 1);
				}
				// a detail asked for before the link dropped was never answered
				if (st.selected !== null && !st.detail && this.seenNo > 0) this.send({ type: 'get_detail', no: st.selected });
				this.state.set({
					version: m.version,
					protocol: m.protocol,
					interfaces: m.interfaces,
					capture: m.capture,
					filter: filterFromServer(st.filter, m.capture.filter),
					notice: m.protocol > PROTOCOL_VERSION ? `the server speaks protocol ${m.protocol}; this page knows ${PROTOCOL_VERSION}` : st.notice,
				});
				break;
			}
			case 'packets':
				if (m.packets.length) this.seenNo = m.packets[m.packets.length - 1].no;
				if (this.backlog) {
					this.backlog.live.push(m.packets);
					// history is worth less than the live stream: give up on it past a ring's worth
					if (this.backlog.live.length * 256 > this.packets.ring.capacity) this.endBacklog([]);
				} else this.packets.add(m.packets);
				break;
			case 'lost':
				this.packets.reportLost(m.total);
				if (m.reason !== st.lostReason) this.state.set({ lostReason: m.reason });
				break;
			case 'detail':
				this.details.set(m.detail.no, m.detail);
				if (this.details.size > DETAIL_CACHE) this.details.delete(this.details.keys().next().value as number);
				if (st.selected === m.detail.no) this.state.set({ detail: m.detail, detailError: '' });
				break;
			case 'stats':
				this.stats.addTick(m.stats);
				this.packets.setKernelDrops(m.stats.totalDrops || m.stats.ifaces.reduce((s, i) => s + i.in.drops + i.out.drops, 0));
				this.packets.reportLost(m.stats.clientLost);
				break;
			case 'capture_state': {
				const ours = this.filterRequest !== '' && m.capture.filter === st.filter.pending;
				// a new filter starts a new list, as in Wireshark; the counters carry on
				if (m.capture.filter !== st.capture.filter) this.packets.clearRows();
				if (ours) this.filterRequest = '';
				this.state.set({
					capture: m.capture,
					captureError: '',
					filter: ours ? filterAccepted(st.filter, m.capture.filter) : filterFromServer(st.filter, m.capture.filter),
				});
				break;
			}
			case 'cleared':
				this.generation++;
				this.backlog = null;
				this.packets.reset();
				this.packets.expectNext(m.nextNo);
				this.details.clear();
				this.state.set({ selected: null, detail: null, detailError: '' });
				break;
			case 'job_started':
			case 'job_progress':
			case 'job_row':
			case 'job_done':
			case 'job_error':
				this.jobs.handle(m);
				break;
			case 'error':
				if (m.inReplyTo === 'job_start' && this.jobs.refused(m.id, m.reason)) break;
				if (m.inReplyTo === 'job_cancel') break; // the job ended first: its own end message says how
				if (m.id && m.id === this.filterRequest) {
					this.filterRequest = '';
					this.state.set({ filter: filterRefused(st.filter, m.reason) });
				} else if (m.inReplyTo === 'get_detail') {
					this.state.set({ detailError: m.reason });
				} else if (m.inReplyTo === 'start' || m.inReplyTo === 'stop' || m.inReplyTo === 'set_capture') {
					this.state.set({ captureError: m.reason });
				} else {
					this.state.set({ notice: m.reason });
				}
				break;
			case 'unknown':
				break;
		}
	}

	/** Fetch packets from..to from the store (/api/packets), holding live batches back
	 * until they are in, so the list stays in number order. */
	private async loadBacklog(from: number, to: number): Promise<void> {
		const generation = this.generation;
		this.backlog = { live: [], generation };
		const got: PacketSummary[] = [];
		try {
			for (let n = from; n <= to; n += BACKLOG_PAGE) {
				const count = Math.min(BACKLOG_PAGE, to - n + 1);
				const m = decodeMessage(await this.fetchFn(`api/packets?from=${n}&count=${count}`));
				if (this.backlog?.generation !== generation) return;
				if (m.type !== 'packets') throw new Error('not a packets answer');
				got.push(...m.packets.filter((p) => p.no >= n && p.no <= to));
			}
		} catch {
			// the history is a courtesy: without it the live stream goes on
		}
		if (this.backlog?.generation === generation) this.endBacklog(got);
	}

	private endBacklog(history: PacketSummary[]): void {
		const live = this.backlog?.live ?? [];
		this.backlog = null;
		if (history.length) this.packets.add(history);
		for (const b of live) this.packets.add(b);
	}

	startCapture(): void {
		this.state.set({ captureError: '' });
		this.send({ type: 'start' });
	}

	stopCapture(): void {
		this.state.set({ captureError: '' });
		this.send({ type: 'stop' });
	}

	setInterfaces(interfaces: string[]): void {
		this.state.set({ captureError: '' });
		this.send({ type: 'set_capture', interfaces });
	}

	/** Ask the server to filter with expr; the answer is a capture_state naming it, or an error. */
	applyFilter(expr: string): void {
		const filter = expr.trim();
		const st = this.state.get();
		this.state.set({ filter: filterSubmitted(st.filter, filter) });
		const id = this.send({ type: 'set_capture', filter });
		if (id) this.filterRequest = id;
		else this.state.set({ filter: { ...this.state.get().filter, pending: null } });
	}

	clear(): void {
		this.send({ type: 'clear' });
	}

	select(no: number | null): void {
		if (no === null) {
			this.state.set({ selected: null, detail: null, detailError: '' });
			return;
		}
		const cached = this.details.get(no) ?? null;
		this.state.set({ selected: no, detail: cached, detailError: '' });
		if (!cached) this.send({ type: 'get_detail', no });
	}

	dismissNotice(): void {
		this.state.set({ notice: '' });
	}
}
