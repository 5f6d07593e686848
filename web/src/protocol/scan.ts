// The scan job's rows (docs/scan.md, "JSON lines"): hosts that are up, open ports
// and the services found on them, decoded into typed shapes; anything else is null.
export type ScanTechnique = 'arp' | 'ping' | 'tcp' | 'syn';

export interface HostRow {
	type: 'host';
	addr: string;
	replied: boolean; // answered our probe
	neighbor: boolean; // in the kernel's neighbour table
	mac: string; // '' when not known (ping, routed hosts)
	vendor: string; // '' when no registry names it
	localMac: boolean; // locally administered: usually randomised
	rttMs: number | null;
}

export interface PortRow {
	type: 'port';
	addr: string;
	port: number;
	proto: string;
	state: string; // open, closed, filtered
	reason: string;
}

export interface ServiceRow {
	type: 'service';
	addr: string;
	port: number;
	proto: string;
	service: string;
	banner: string; // product, version and extra, as one line
}

export type ScanRow = HostRow | PortRow | ServiceRow;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const validPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

export function decodeScanRow(r: Record<string, unknown>): ScanRow | null {
	const addr = str(r.addr);
	if (!addr) return null;
	switch (r.type) {
		case 'host':
			return {
				type: 'host',
				addr,
				replied: r.replied === true,
				neighbor: r.neighbor === true,
				mac: str(r.mac),
				vendor: str(r.vendor),
				localMac: r.local_mac === true,
				rttMs: typeof r.rtt_ms === 'number' && Number.isFinite(r.rtt_ms) ? r.rtt_ms : null,
			};
		case 'port':
			if (!validPort(r.port)) return null;
			return { type: 'port', addr, port: r.port, proto: str(r.proto) || 'tcp', state: str(r.state), reason: str(r.reason) };
		case 'service':
			if (!validPort(r.port)) return null;
			return {
				type: 'service',
				addr,
				port: r.port,
				proto: str(r.proto) || 'tcp',
				service: str(r.service),
				banner: [str(r.product), str(r.version), str(r.extra)].filter(Boolean).join(' '),
			};
		default:
			return null;
	}
}

export function isTechnique(v: unknown): v is ScanTechnique {
	return v === 'arp' || v === 'ping' || v === 'tcp' || v === 'syn';
}

/** Dotted IPv4 as a number for sorting; NaN for anything else (sorted last). */
export function ipv4Number(addr: string): number {
	const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
	if (!m) return NaN;
	const o = m.slice(1).map(Number);
	if (o.some((x) => x > 255)) return NaN;
	return ((o[0] * 256 + o[1]) * 256 + o[2]) * 256 + o[3];
}

export function compareAddr(a: string, b: string): number {
	const x = ipv4Number(a);
	const y = ipv4Number(b);
	if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? a.localeCompare(b) : Number.isNaN(x) ? 1 : -1;
	return x - y;
}

/** "10.210.0.1/24" -> "10.210.0.0/24": the network of an interface address; null if not IPv4. */
export function networkOf(cidr: string): string | null {
	const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
	if (!m) return null;
	const ip = ipv4Number(m[1]);
	const bits = Number(m[2]);
	if (Number.isNaN(ip) || bits > 32) return null;
	const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
	const net = (ip & mask) >>> 0;
	return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${bits}`;
}
