// The Traffic view: live bandwidth and packet rates per interface and direction,
// protocol shares, encrypted versus plaintext, packet sizes, top talkers and top
// conversations. Everything comes from the server's stats ticks (once a second).
import { useState, useSyncExternalStore } from 'react';
import { TimeChart, type ChartSeries } from '../components/TimeChart';
import { bitRate, bytesText, count, percent, si, withUnit } from '../lib/format';
import { endpoint, shares, sizeBuckets } from '../lib/rates';
import type { Session } from '../store/session';
import type { IfaceRates } from '../store/stats';

const WINDOW_SECONDS = 300;
// in: greens/teals, out: oranges/reds, one shade per interface
const IN_COLOURS = ['#1f9d6b', '#2c7fb8', '#7b5cd6', '#3aa6a0'];
const OUT_COLOURS = ['#e8743b', '#d6336c', '#c49a1a', '#a0522d'];

function rateSeries(ifaces: Record<string, IfaceRates>, pick: 'bytes' | 'packets', scale: number): ChartSeries[] {
	const out: ChartSeries[] = [];
	Object.keys(ifaces)
		.sort()
		.forEach((name, i) => {
			const r = ifaces[name];
			const mul = (a: (number | null)[]) => a.map((v) => (v == null ? null : v * scale));
			out.push({ label: `${name} in`, colour: IN_COLOURS[i % IN_COLOURS.length], values: mul(pick === 'bytes' ? r.inBytes : r.inPackets) });
			out.push({ label: `${name} out`, colour: OUT_COLOURS[i % OUT_COLOURS.length], values: mul(pick === 'bytes' ? r.outBytes : r.outPackets), dash: [6, 3] });
		});
	return out;
}

// ICMP's "ports" in the flow key are its id or type/code: not worth showing as ports
const hasPorts = (proto: string) => /^(tcp|udp|sctp|udplite)$/i.test(proto);

const last = (a: (number | null)[]) => (a.length ? (a[a.length - 1] ?? 0) : 0);

export function TrafficView({ session, theme }: { session: Session; theme: string }) {
	const snap = useSyncExternalStore(session.stats.subscribe, session.stats.snapshot);
	// bytes/s as the counters count, or bits/s as links are sold; remembered
	const [bits, setBits] = useState(() => localStorage.getItem('gotracer.rateUnit') === 'bits');
	const switchUnit = () => {
		localStorage.setItem('gotracer.rateUnit', bits ? 'bytes' : 'bits');
		setBits(!bits);
	};
	const rate = (bytesPerSecond: number) => (bits ? bitRate(bytesPerSecond) : withUnit(bytesPerSecond, 'B/s'));
	const axisUnit = bits ? 'b/s' : 'B/s';
	const tick = snap.latest;
	const names = Object.keys(snap.ifaces).sort();
	const now = names.reduce(
		(s, n) => {
			const r = snap.ifaces[n];
			return { inB: s.inB + last(r.inBytes), outB: s.outB + last(r.outBytes), inP: s.inP + last(r.inPackets), outP: s.outP + last(r.outPackets) };
		},
		{ inB: 0, outB: 0, inP: 0, outP: 0 },
	);
	const protos = tick ? shares(tick.protocols) : [];
	const enc = tick ? tick.encrypted : { packets: 0, bytes: 0 };
	const plain = tick ? tick.plaintext : { packets: 0, bytes: 0 };
	const encTotal = enc.bytes + plain.bytes;
	const sizes = tick ? sizeBuckets(tick.sizes.bounds, tick.sizes.counts) : [];
	const maxSize = Math.max(1, ...sizes.map((b) => b.packets));
	const talkers = tick?.talkers ?? [];
	const topTalker = Math.max(1, ...talkers.map((t) => t.bytes));

	if (!tick) return <div className="placeholder muted">Waiting for the first statistics from the server…</div>;

	return (
		<div className="traffic" data-testid="traffic">
			<section className="card wide">
				<h2>Now</h2>
				<div className="body kpis">
					<div className="kpi"><span className="v" data-testid="kpi-in">{rate(now.inB)}</span><span className="l">in</span></div>
					<div className="kpi"><span className="v" data-testid="kpi-out">{rate(now.outB)}</span><span className="l">out</span></div>
					<div className="kpi"><span className="v">{si(now.inP)} pkt/s</span><span className="l">in</span></div>
					<div className="kpi"><span className="v">{si(now.outP)} pkt/s</span><span className="l">out</span></div>
					<div className="kpi"><span className="v">{count(tick.totalDrops)}</span><span className="l">kernel drops</span></div>
					<div className="kpi"><span className="v">{count(tick.store.evicted)}</span><span className="l">evicted from store</span></div>
				</div>
				<div className="body">
					<table className="grid" data-testid="ifaces">
						<thead>
							<tr>
								<th>Interface</th>
								<th className="n">In now</th>
								<th className="n">Out now</th>
								<th className="n">In packets</th>
								<th className="n">In bytes</th>
								<th className="n">Out packets</th>
								<th className="n">Out bytes</th>
								<th className="n">Kernel drops</th>
							</tr>
						</thead>
						<tbody>
							{tick.ifaces.map((i) => {
								const r = snap.ifaces[i.name];
								return (
									<tr key={i.name} data-iface={i.name}>
										<td>{i.name}</td>
										<td className="n">{r ? `${rate(last(r.inBytes))}, ${si(last(r.inPackets))} pkt/s` : '-'}</td>
										<td className="n">{r ? `${rate(last(r.outBytes))}, ${si(last(r.outPackets))} pkt/s` : '-'}</td>
										<td className="n">{count(i.in.packets)}</td>
										<td className="n">{bytesText(i.in.bytes)}</td>
										<td className="n">{count(i.out.packets)}</td>
										<td className="n">{bytesText(i.out.bytes)}</td>
										<td className="n">{count(i.in.drops + i.out.drops)}</td>
									</tr>
								);
							})}
						</tbody>
					</table>
				</div>
			</section>
			<section className="card wide">
				<h2>
					Bandwidth, {bits ? 'bits' : 'bytes'}/s per interface (up to the last {WINDOW_SECONDS / 60} minutes; dashed: out){' '}
					<button className="unit" onClick={switchUnit} data-testid="rate-unit" title="Show rates in bytes or in bits per second">
						{bits ? 'show bytes/s' : 'show bits/s'}
					</button>
				</h2>
				<div className="body">
					<TimeChart key={axisUnit} label={`Bandwidth, ${axisUnit}`} times={snap.times} series={rateSeries(snap.ifaces, 'bytes', bits ? 8 : 1)} windowSeconds={WINDOW_SECONDS} format={(v) => withUnit(v, axisUnit, 1).replace('.0 ', ' ')} theme={theme} />
				</div>
			</section>
			<section className="card wide">
				<h2>Packets/s</h2>
				<div className="body">
					<TimeChart label="Packets per second" times={snap.times} series={rateSeries(snap.ifaces, 'packets', 1)} windowSeconds={WINDOW_SECONDS} format={(v) => si(v)} theme={theme} height={160} />
				</div>
			</section>
			<section className="card">
				<h2>Protocols (since the capture started)</h2>
				<div className="body">
					<table className="grid" data-testid="protocols">
						<thead>
							<tr><th>Protocol</th><th className="n">Packets</th><th className="n">%</th><th className="n">Bytes</th><th className="n">%</th><th className="barcell">of bytes</th></tr>
						</thead>
						<tbody>
							{protos.map((p) => (
								<tr key={p.name} data-proto={p.name}>
									<td>{p.name}</td>
									<td className="n">{count(p.packets)}</td>
									<td className="n">{percent(p.packetShare)}</td>
									<td className="n">{bytesText(p.bytes)}</td>
									<td className="n">{percent(p.byteShare)}</td>
									<td className="barcell"><div className="bar" style={{ width: `${p.byteShare * 100}%` }} /></td>
								</tr>
							))}
						</tbody>
					</table>
					{protos.length === 0 && <div className="muted">No packets dissected yet.</div>}
				</div>
			</section>
			<section className="card">
				<h2>Encrypted and plaintext payload</h2>
				<div className="body" data-testid="encryption">
					<div className="stack" title="share of payload bytes">
						<div style={{ width: `${encTotal ? (enc.bytes / encTotal) * 100 : 0}%`, background: '#7b5cd6' }} />
						<div style={{ width: `${encTotal ? (plain.bytes / encTotal) * 100 : 0}%`, background: '#e8a33b' }} />
					</div>
					<div className="legend">
						<span><i className="swatch" style={{ background: '#7b5cd6' }} />encrypted {encTotal ? percent(enc.bytes / encTotal) : '-'}: <span data-testid="enc-packets">{count(enc.packets)}</span> packets, {bytesText(enc.bytes)}</span>
						<span><i className="swatch" style={{ background: '#e8a33b' }} />plaintext {encTotal ? percent(plain.bytes / encTotal) : '-'}: <span data-testid="plain-packets">{count(plain.packets)}</span> packets, {bytesText(plain.bytes)}</span>
					</div>
				</div>
			</section>
			<section className="card">
				<h2>Packet sizes (kernel counters, bytes on the wire)</h2>
				<div className="body">
					<div className="hist" data-testid="sizes">
						{sizes.map((b) => (
							<div className="col" key={b.label} title={`${b.label}: ${count(b.packets)} packets (${percent(b.share)})`}>
								<span className="lab">{b.packets ? count(b.packets) : ''}</span>
								<div className="b" style={{ height: `${(b.packets / maxSize) * 85}%` }} />
								<span className="lab">{b.label}</span>
							</div>
						))}
					</div>
				</div>
			</section>
			<section className="card">
				<h2>Top talkers (kernel flow counters)</h2>
				<div className="body">
					<table className="grid" data-testid="talkers">
						<thead>
							<tr><th>Address</th><th className="n">Packets</th><th className="n">Bytes</th><th className="barcell" /></tr>
						</thead>
						<tbody>
							{talkers.map((t) => (
								<tr key={t.name}>
									<td className="addr">{t.name}</td>
									<td className="n">{count(t.packets)}</td>
									<td className="n">{bytesText(t.bytes)}</td>
									<td className="barcell"><div className="bar" style={{ width: `${(t.bytes / topTalker) * 100}%` }} /></td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</section>
			<section className="card wide">
				<h2>Top conversations (kernel flow counters)</h2>
				<div className="body">
					<table className="grid" data-testid="conversations">
						<thead>
							<tr><th>Proto</th><th>A</th><th>B</th><th>If</th><th className="n">Packets</th><th className="n">Bytes</th></tr>
						</thead>
						<tbody>
							{tick.conversations.map((c, i) => (
								<tr key={i}>
									<td>{c.proto}</td>
									<td className="addr">{endpoint(c.a, hasPorts(c.proto) ? c.aPort : 0)}</td>
									<td className="addr">{endpoint(c.b, hasPorts(c.proto) ? c.bPort : 0)}</td>
									<td>{c.iface}</td>
									<td className="n">{count(c.packets)}</td>
									<td className="n">{bytesText(c.bytes)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</section>
		</div>
	);
}
