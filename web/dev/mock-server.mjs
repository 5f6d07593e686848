// Development only, not a test: a stand-in for `gotracer serve` that speaks
// docs/protocol.md (v1) with synthetic packets at a chosen rate, to look at the UI
// and to measure it at high packet rates before (or without) a capture running.
//   node web/dev/mock-server.mjs [--port 8099] [--pps 50000]
// Needs tests/node's ws (NODE_PATH=tests/node/node_modules).
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'tests/node/'));
const { WebSocketServer } = require('ws');

const arg = (name, def) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : def;
};
const port = Number(arg('port', 8099));
const pps = Number(arg('pps', 200));
const root = join(process.cwd(), 'web/dist');

// one real DNS query frame (eth/ipv4/udp/dns "example.org" A) and its tree
const frameHex =
	'02000000000102000000000208004500003900004000401126a40ac800020ac80001' +
	'9c40003500250000123401000001000000000000076578616d706c65036f72670000010001';
const frame = Buffer.from(frameHex, 'hex');
const tree = [
	{ name: 'eth', value: 'Ethernet II, Src: 02:00:00:00:00:02, Dst: 02:00:00:00:00:01', off: 0, len: 14, children: [
		{ name: 'eth.dst', value: '02:00:00:00:00:01', off: 0, len: 6 },
		{ name: 'eth.src', value: '02:00:00:00:00:02', off: 6, len: 6 },
		{ name: 'eth.type', value: '0x0800', off: 12, len: 2 }] },
	{ name: 'ip', value: 'Internet Protocol Version 4, Src: 10.200.0.2, Dst: 10.200.0.1', off: 14, len: 20, children: [
		{ name: 'ip.version', value: '4', off: 14, len: 1 },
		{ name: 'ip.len', value: '57', off: 16, len: 2 },
		{ name: 'ip.ttl', value: '64', off: 22, len: 1 },
		{ name: 'ip.proto', value: '17', off: 23, len: 1 },
		{ name: 'ip.src', value: '10.200.0.2', off: 26, len: 4 },
		{ name: 'ip.dst', value: '10.200.0.1', off: 30, len: 4 }] },
	{ name: 'udp', value: 'User Datagram Protocol, Src Port: 40000, Dst Port: 53', off: 34, len: 8, children: [
		{ name: 'udp.srcport', value: '40000', off: 34, len: 2 },
		{ name: 'udp.dstport', value: '53', off: 36, len: 2 },
		{ name: 'udp.length', value: '37', off: 38, len: 2 }] },
	{ name: 'dns', value: 'Domain Name System (query)', off: 42, len: 29, children: [
		{ name: 'dns.id', value: '0x1234', off: 42, len: 2 },
		{ name: 'dns.count.queries', value: '1', off: 46, len: 2 },
		{ name: '', value: 'Queries', off: 54, len: 17, children: [
			{ name: '', value: 'example.org: type A, class IN', off: 54, len: 17, children: [
				{ name: 'dns.qry.name', value: 'example.org', off: 54, len: 13 },
				{ name: 'dns.qry.type', value: '1', off: 67, len: 2 },
				{ name: 'dns.qry.class', value: '0x0001', off: 69, len: 2 }] }] }] },
];

const KINDS = [
	{ proto: 'TCP', info: (n) => `51000 → 8000 [ACK] Seq=${n} Ack=1 Win=502 Len=0`, len: 66, enc: 'none' },
	{ proto: 'TCP', info: () => '51000 → 8000 [SYN] Seq=0 Win=64240 Len=0 MSS=1460', len: 74, enc: 'none' },
	{ proto: 'HTTP', info: () => 'GET / HTTP/1.1', len: 140, enc: 'plaintext' },
	{ proto: 'DNS', info: (n) => `Standard query 0x${(n & 0xffff).toString(16)} A example.org`, len: 71, enc: 'plaintext' },
	{ proto: 'TLSv1.3', info: () => 'Application Data', len: 583, enc: 'encrypted' },
	{ proto: 'UDP', info: () => '5000 → 5001 Len=32', len: 74, enc: 'none' },
	{ proto: 'ICMP', info: (n) => `Echo (ping) request id=0x1c2b, seq=${n & 0xffff}/1, ttl=64`, len: 98, enc: 'none' },
	{ proto: 'ARP', info: () => 'Who has 10.200.0.2? Tell 10.200.0.1', len: 42, enc: 'none' },
	{ proto: 'TCP', info: () => '8000 → 51000 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0', len: 54, enc: 'none' },
];

let nextNo = 1;
let running = true;
let filter = '';
const counters = { in: { packets: 0, bytes: 0 }, out: { packets: 0, bytes: 0 } };
const protos = new Map();
const captureState = () => ({ running, interfaces: ['gt0'], filter, snaplen: 2048, account: false, error: null });

function makePacket(no) {
	const k = KINDS[no % KINDS.length];
	const dir = no % 2 ? 'in' : 'out';
	counters[dir].packets++;
	counters[dir].bytes += k.len;
	const p = protos.get(k.proto) ?? { name: k.proto, packets: 0, bytes: 0 };
	p.packets++;
	p.bytes += k.len;
	protos.set(k.proto, p);
	const [src, dst] = dir === 'in' ? ['10.200.0.2', '10.200.0.1'] : ['10.200.0.1', '10.200.0.2'];
	return { no, ts: Date.now() / 1000, iface: 'gt0', dir, len: k.len, caplen: k.len, proto: k.proto,
		src: k.proto === 'ARP' ? '02:00:00:00:00:01' : src, dst: k.proto === 'ARP' ? 'ff:ff:ff:ff:ff:ff' : dst,
		sport: 51000, dport: 8000, info: k.info(no), enc: k.enc };
}

const mime = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const http = createServer((req, res) => {
	const url = new URL(req.url, 'http://x');
	if (url.pathname === '/capture.pcapng') {
		if ((url.searchParams.get('filter') ?? '').includes('bad')) return res.writeHead(400).end('bad filter: syntax error\n');
		return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(0));
	}
	if (url.pathname === '/api/packets') {
		const from = Number(url.searchParams.get('from'));
		const count = Number(url.searchParams.get('count'));
		const packets = [];
		for (let n = from; n < from + count && n < nextNo; n++) packets.push(makePacket(n));
		return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'packets', first: from, last: from + packets.length - 1, packets }));
	}
	const path = join(root, url.pathname === '/' ? 'index.html' : url.pathname);
	if (!path.startsWith(root) || !existsSync(path)) return res.writeHead(404).end('not found\n');
	res.writeHead(200, { 'content-type': mime[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
});

const wss = new WebSocketServer({ server: http, path: '/ws' });
wss.on('connection', (ws) => {
	ws.send(JSON.stringify({ type: 'hello', protocol: 1, version: 'mock 0', capture: captureState(), capabilities: { detail: true },
		interfaces: [{ index: 2, name: 'gt0', state: 'up', mac: '02:00:00:00:00:01', mtu: 1500, addresses: ['10.200.0.1/24'], capturing: true },
			{ index: 1, name: 'lo', state: 'up', mac: '00:00:00:00:00:00', mtu: 65536, addresses: ['127.0.0.1/8'], capturing: false }],
		store: { first_no: 1, last_no: nextNo - 1, packets: nextNo - 1, evicted: 0, live_from: nextNo } }));
	ws.on('message', (data) => {
		const m = JSON.parse(String(data));
		const reply = (o) => ws.send(JSON.stringify(m.id !== undefined ? { ...o, id: m.id } : o));
		if (m.type === 'get_detail') reply({ type: 'detail', ...makePacket(m.no), proto: 'DNS', info: 'Standard query 0x1234 A example.org', tree, bytes: frame.toString('base64'), flags: [] });
		else if (m.type === 'set_capture' && typeof m.filter === 'string' && m.filter.includes('bad')) reply({ type: 'error', reason: `syntax error in filter expression: ${m.filter}`, in_reply_to: 'set_capture' });
		else if (m.type === 'set_capture' || m.type === 'start' || m.type === 'stop') {
			if (typeof m.filter === 'string') filter = m.filter;
			if (m.type !== 'set_capture') running = m.type === 'start';
			for (const c of wss.clients) c.send(JSON.stringify({ type: 'capture_state', ...captureState() }));
		}
	});
});

// batches every 40 ms, at most 256 packets a message, as the real server sends them
const t0 = Date.now();
let sent = 0;
setInterval(() => {
	const due = Math.floor(((Date.now() - t0) * pps) / 1000) - sent;
	sent += due;
	if (!running) return;
	let n = due;
	while (n > 0) {
		const k = Math.min(256, n);
		const packets = [];
		for (let i = 0; i < k; i++) packets.push(makePacket(nextNo++));
		const msg = JSON.stringify({ type: 'packets', first: packets[0].no, last: packets[k - 1].no, packets });
		for (const c of wss.clients) c.send(msg);
		n -= k;
	}
}, 40);

setInterval(() => {
	const msg = JSON.stringify({ type: 'stats', ts: Date.now() / 1000, interval: 1,
		interfaces: [{ name: 'gt0', index: 2, in: { ...counters.in, ring_drops: 0 }, out: { ...counters.out, ring_drops: 0 } }],
		totals: { ring_drops: 0 }, store: { evicted: 0 }, client: { lost: 0 },
		protocols: [...protos.values()],
		encrypted: { encrypted_packets: protos.get('TLSv1.3')?.packets ?? 0, encrypted_bytes: protos.get('TLSv1.3')?.bytes ?? 0,
			plaintext_packets: (protos.get('HTTP')?.packets ?? 0) + (protos.get('DNS')?.packets ?? 0),
			plaintext_bytes: (protos.get('HTTP')?.bytes ?? 0) + (protos.get('DNS')?.bytes ?? 0) },
		sizes: { bounds: [64, 128, 256, 512, 1024, 1518], counts: [30, 50, 10, 0, 10, 0, 0] },
		talkers: [{ addr: '10.200.0.1', packets: nextNo, bytes: counters.in.bytes + counters.out.bytes }, { addr: '10.200.0.2', packets: nextNo, bytes: counters.in.bytes + counters.out.bytes }],
		conversations: [{ proto: 'tcp', a: '10.200.0.1', a_port: 8000, b: '10.200.0.2', b_port: 51000, packets: nextNo, bytes: counters.in.bytes, iface: 'gt0' }] });
	for (const c of wss.clients) c.send(msg);
}, 1000);

http.listen(port, '127.0.0.1', () => console.log(`mock gotracer on http://127.0.0.1:${port}/ at ${pps} packets/s`));
