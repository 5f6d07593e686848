// The WebSocket messages of docs/protocol.md (protocol 1), and the decoding of the
// server's JSON into the shapes the stores keep. Everything the server sends goes
// through decodeMessage; unknown types and fields are ignored, as the protocol asks.

export const PROTOCOL_VERSION = 1;

export type Direction = 'in' | 'out' | '?';
export type Encryption = 'encrypted' | 'plaintext' | 'none';

/** One row of the packet list: the summary the server streams (never a full decode). */
export interface PacketSummary {
	no: number;
	ts: number; // seconds since the epoch, microsecond precision
	iface: string;
	dir: Direction;
	len: number;
	caplen: number;
	proto: string; // Wireshark's Protocol column: "TCP", "DNS", "TLSv1.3"
	l4: string; // "tcp", "udp", "icmp", "icmpv6", or "" when none (from proto)
	src: string;
	dst: string;
	sport: number;
	dport: number;
	info: string;
	tcpFlags: number; // TCP flag byte from the Info column's "[SYN, ACK]", else 0
	enc: Encryption;
}

export interface InterfaceInfo {
	name: string;
	index: number;
	up: boolean;
	mac: string;
	addresses: string[];
	capturing: boolean;
}

export interface CaptureState {
	running: boolean;
	interfaces: string[];
	filter: string;
	snaplen: number;
	account: boolean;
	error: string; // the last failed change, '' when none
}

export interface StoreState {
	firstNo: number;
	lastNo: number; // below firstNo: empty
	packets: number;
	evicted: number;
	liveFrom: number; // hello only: this client's first live packet (0 when not said)
}

/** A node of the detail tree: a protocol, a field or a text line, with its byte range. */
export interface TreeNode {
	name: string; // Wireshark field name ("ip.src"), protocol ("ip"), or "" for text
	value: string;
	off: number;
	len: number;
	children: TreeNode[];
}

export interface PacketDetail {
	no: number;
	summary: PacketSummary | null;
	flags: string[];
	bytes: Uint8Array;
	tree: TreeNode[];
}

export interface DirCounters {
	packets: number;
	bytes: number;
	drops: number; // kernel ring-buffer drops
}

export interface IfaceCounters {
	name: string;
	in: DirCounters;
	out: DirCounters;
}

export interface NamedCounters {
	name: string;
	packets: number;
	bytes: number;
}

export interface Conversation {
	iface: string;
	proto: string; // "tcp", "udp", "icmp", ...
	a: string;
	aPort: number; // 0 when the protocol has no ports
	b: string;
	bPort: number;
	packets: number;
	bytes: number;
}

/** A stats tick: cumulative counters (rates come from their differences), and the
 * userspace statistics since the capture started. */
export interface StatsTick {
	ts: number; // seconds
	ifaces: IfaceCounters[];
	totalDrops: number;
	store: StoreState;
	clientLost: number;
	protocols: NamedCounters[];
	encrypted: { packets: number; bytes: number };
	plaintext: { packets: number; bytes: number };
	sizes: { bounds: number[]; counts: number[] };
	talkers: NamedCounters[]; // name = address
	conversations: Conversation[];
}

export type ServerMessage =
	| { type: 'hello'; protocol: number; version: string; interfaces: InterfaceInfo[]; capabilities: Record<string, unknown>; capture: CaptureState; store: StoreState }
	| { type: 'packets'; first: number; last: number; packets: PacketSummary[] }
	| { type: 'lost'; first: number; last: number; count: number; reason: string; total: number }
	| { type: 'detail'; id: string; detail: PacketDetail }
	| { type: 'stats'; stats: StatsTick }
	| { type: 'capture_state'; capture: CaptureState }
	| { type: 'cleared'; nextNo: number }
	| { type: 'error'; reason: string; inReplyTo: string; id: string }
	| JobMessage
	| { type: 'unknown'; raw: unknown };

/** The job model's messages (ping, scan, ...): id is the server's job number. */
export type JobMessage =
	| { type: 'job_started'; id: number; ref: string; kind: string; params: Record<string, unknown> }
	| { type: 'job_progress'; id: number; done: number; total: number }
	| { type: 'job_row'; id: number; row: Record<string, unknown> }
	| { type: 'job_done'; id: number; summary: Record<string, unknown> }
	| { type: 'job_error'; id: number; reason: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

export function decodeDirection(v: unknown): Direction {
	return v === 'in' || v === 'out' ? v : '?';
}

// Wireshark writes the TCP flags in the Info column: "[SYN, ACK]"
const TCP_FLAG_BITS: Record<string, number> = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 };

export function tcpFlagsFromInfo(info: string): number {
	const m = /\[([A-Z]{3}(?:, ?[A-Z]{3})*)\]/.exec(info);
	if (!m) return 0;
	let flags = 0;
	for (const f of m[1].split(',')) flags |= TCP_FLAG_BITS[f.trim()] ?? 0;
	return flags;
}

// The transport under a Protocol column value (the summary does not carry it).
const TCP_PROTOS = /^(tcp|http|tls|ssl|ssh|smtp|imap|pop|ftp|telnet|bgp)/i;
const UDP_PROTOS = /^(udp|dns|mdns|llmnr|quic|dhcp|bootp|ntp|snmp|ssdp|syslog|tftp|nbns|rtp|wireguard)/i;

function transportOfName(proto: string): string {
	if (TCP_PROTOS.test(proto)) return 'tcp';
	if (UDP_PROTOS.test(proto)) return 'udp';
	if (/^icmpv6$/i.test(proto)) return 'icmpv6';
	if (/^icmp$/i.test(proto)) return 'icmp';
	return '';
}

// a few dozen protocol names cover a capture: remember the answer (50,000 lookups a second)
const transportCache = new Map<string, string>();

export function transportOf(proto: string): string {
	let t = transportCache.get(proto);
	if (t === undefined) {
		t = transportOfName(proto);
		if (transportCache.size < 1024) transportCache.set(proto, t);
	}
	return t;
}

const decodeEnc = (v: unknown): Encryption => (v === 'encrypted' || v === 'plaintext' ? v : 'none');

export function decodePacket(v: unknown): PacketSummary | null {
	if (!isObj(v)) return null;
	const no = num(v.no, -1);
	if (no < 1) return null;
	const info = str(v.info);
	const proto = str(v.proto, '?');
	const l4 = transportOf(proto);
	return {
		no,
		ts: num(v.ts),
		iface: str(v.iface),
		dir: decodeDirection(v.dir),
		len: num(v.len),
		caplen: num(v.caplen, num(v.len)),
		proto,
		l4,
		src: str(v.src),
		dst: str(v.dst),
		sport: num(v.sport),
		dport: num(v.dport),
		info,
		tcpFlags: l4 === 'tcp' ? tcpFlagsFromInfo(info) : 0,
		enc: decodeEnc(v.enc),
	};
}

export function decodeTree(v: unknown, depth = 0): TreeNode[] {
	if (depth > 64) return []; // a tree is a few levels deep; refuse a runaway one
	return arr(v)
		.filter(isObj)
		.map((n) => ({ name: str(n.name), value: str(n.value), off: num(n.off), len: num(n.len), children: decodeTree(n.children, depth + 1) }));
}

export function decodeBase64(v: unknown): Uint8Array {
	if (typeof v !== 'string') return new Uint8Array(0);
	try {
		const bin = atob(v);
		const out = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
		return out;
	} catch {
		return new Uint8Array(0);
	}
}

function decodeDirCounters(v: unknown): DirCounters {
	const o = obj(v);
	return { packets: num(o.packets), bytes: num(o.bytes), drops: num(o.ring_drops) };
}

export function decodeCapture(v: unknown): CaptureState {
	const o = obj(v);
	return {
		running: o.running === true,
		interfaces: arr(o.interfaces).map((x) => str(x)),
		filter: str(o.filter),
		snaplen: num(o.snaplen),
		account: o.account === true,
		error: str(o.error),
	};
}

function decodeStore(v: unknown): StoreState {
	const o = obj(v);
	return { firstNo: num(o.first_no), lastNo: num(o.last_no), packets: num(o.packets), evicted: num(o.evicted), liveFrom: num(o.live_from) };
}

const decodeNamed = (v: unknown): NamedCounters => {
	const o = obj(v);
	return { name: str(o.name ?? o.addr), packets: num(o.packets), bytes: num(o.bytes) };
};

export function decodeStats(v: Obj): StatsTick {
	const enc = obj(v.encrypted);
	const sizes = obj(v.sizes);
	return {
		ts: num(v.ts),
		ifaces: arr(v.interfaces)
			.filter(isObj)
			.map((i) => ({ name: str(i.name), in: decodeDirCounters(i.in), out: decodeDirCounters(i.out) })),
		totalDrops: num(obj(v.totals).ring_drops),
		store: decodeStore(v.store),
		clientLost: num(obj(v.client).lost),
		protocols: arr(v.protocols).map(decodeNamed),
		encrypted: { packets: num(enc.encrypted_packets), bytes: num(enc.encrypted_bytes) },
		plaintext: { packets: num(enc.plaintext_packets), bytes: num(enc.plaintext_bytes) },
		sizes: { bounds: arr(sizes.bounds).map((b) => num(b)), counts: arr(sizes.counts).map((c) => num(c)) },
		talkers: arr(v.talkers).map(decodeNamed),
		conversations: arr(v.conversations)
			.filter(isObj)
			.map((c) => ({
				iface: str(c.iface),
				proto: str(c.proto),
				a: str(c.a),
				aPort: num(c.a_port),
				b: str(c.b),
				bPort: num(c.b_port),
				packets: num(c.packets),
				bytes: num(c.bytes),
			})),
	};
}

function decodeInterface(i: unknown): InterfaceInfo {
	const o = obj(i);
	return {
		name: str(o.name),
		index: num(o.index),
		up: o.state !== 'down',
		mac: str(o.mac),
		addresses: arr(o.addresses).map((a) => str(a)),
		capturing: o.capturing === true,
	};
}

export function decodeMessage(raw: unknown): ServerMessage {
	if (!isObj(raw)) return { type: 'unknown', raw };
	switch (raw.type) {
		case 'hello':
			return {
				type: 'hello',
				protocol: num(raw.protocol),
				version: str(raw.version),
				interfaces: arr(raw.interfaces).map(decodeInterface).filter((i) => i.name !== ''),
				capabilities: obj(raw.capabilities),
				capture: decodeCapture(raw.capture),
				store: decodeStore(raw.store),
			};
		case 'packets':
			return {
				type: 'packets',
				first: num(raw.first),
				last: num(raw.last),
				packets: arr(raw.packets)
					.map(decodePacket)
					.filter((p): p is PacketSummary => p !== null),
			};
		case 'lost':
			return { type: 'lost', first: num(raw.first), last: num(raw.last), count: num(raw.count), reason: str(raw.reason), total: num(raw.total) };
		case 'detail':
			return {
				type: 'detail',
				id: str(raw.id),
				detail: { no: num(raw.no), summary: decodePacket(raw), flags: arr(raw.flags).map((f) => str(f)), bytes: decodeBase64(raw.bytes), tree: decodeTree(raw.tree) },
			};
		case 'stats':
			return { type: 'stats', stats: decodeStats(raw) };
		case 'capture_state':
			return { type: 'capture_state', capture: decodeCapture(raw) };
		case 'cleared':
			return { type: 'cleared', nextNo: num(raw.next_no) };
		case 'error':
			return { type: 'error', reason: str(raw.reason), inReplyTo: str(raw.in_reply_to), id: str(raw.id) };
		case 'job_started':
			return { type: 'job_started', id: num(raw.id), ref: str(raw.ref), kind: str(raw.kind), params: obj(raw.params) };
		case 'job_progress':
			return { type: 'job_progress', id: num(raw.id), done: num(raw.done), total: num(raw.total) };
		case 'job_row':
			return { type: 'job_row', id: num(raw.id), row: obj(raw.row) };
		case 'job_done':
			return { type: 'job_done', id: num(raw.id), summary: obj(raw.summary) };
		case 'job_error':
			return { type: 'job_error', id: num(raw.id), reason: str(raw.reason) };
		default:
			return { type: 'unknown', raw };
	}
}

/** Messages the browser sends. */
export type ClientMessage =
	| { type: 'start'; id?: string }
	| { type: 'stop'; id?: string }
	| { type: 'set_capture'; id?: string; interfaces?: string[]; filter?: string; snaplen?: number; account?: boolean }
	| { type: 'get_detail'; no: number; id?: string }
	| { type: 'clear'; id?: string }
	| { type: 'job_start'; kind: string; params: Record<string, unknown>; id?: string }
	| { type: 'job_cancel'; id: number };

/** The messages whose id the page picks to match the reply (job_cancel's id is the job's number). */
export type RequestMessage = Exclude<ClientMessage, { type: 'job_cancel' }>;
