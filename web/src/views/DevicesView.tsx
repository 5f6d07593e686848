// The Devices view: hosts found by the server's scanners (ARP replies, the kernel's
// neighbour table, ping replies, port scans), merged by IP address, filling live as
// the jobs' rows arrive; a discovery (ARP sweep, optionally a ping sweep) with a
// progress bar and Cancel. The state lives in session.devices, not here.
import { useSyncExternalStore } from 'react';
import { JobProgress } from '../components/JobProgress';
import type { Host, HostSource, SortKey } from '../store/devices';
import type { Session } from '../store/session';

const COLUMNS: { key: SortKey; label: string; n?: boolean }[] = [
	{ key: 'addr', label: 'IP address' },
	{ key: 'mac', label: 'MAC' },
	{ key: 'vendor', label: 'Vendor' },
	{ key: 'rtt', label: 'RTT', n: true },
	{ key: 'ports', label: 'Open ports' },
	{ key: 'services', label: 'Services' },
	{ key: 'firstSeen', label: 'First seen' },
	{ key: 'lastSeen', label: 'Last seen' },
	{ key: 'sources', label: 'Source' },
];

const SOURCE_TEXT: Record<HostSource, string> = {
	arp: 'ARP reply',
	neighbour: 'neighbour table',
	ping: 'ping',
	tcp: 'TCP scan',
	syn: 'SYN scan',
};

const clock = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
const rtt = (ms: number | null) => (ms === null ? '' : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

function HostRow({ h }: { h: Host }) {
	const services = Object.entries(h.services).sort((a, b) => Number(a[0]) - Number(b[0]));
	return (
		<tr className="host" data-addr={h.addr}>
			<td className="addr">{h.addr}</td>
			<td className="addr mac">{h.mac}</td>
			<td className="vendor">
				{h.vendor}
				{h.localMac && (
					<span className="tag warn" title="locally administered MAC: usually randomised, no vendor owns it" data-testid="randomised">
						randomised
					</span>
				)}
			</td>
			<td className="n">{rtt(h.rttMs)}</td>
			<td className="ports wrap">{h.ports.join(', ')}</td>
			<td className="services wrap">
				{services.map(([port, s], i) => (
					<span key={port} title={s.banner}>
						{i > 0 && ', '}
						{port}/{s.name}
					</span>
				))}
			</td>
			<td>{clock(h.firstSeen)}</td>
			<td>{clock(h.lastSeen)}</td>
			<td className="sources">{h.sources.map((s) => SOURCE_TEXT[s]).join(', ')}</td>
		</tr>
	);
}

export function DevicesView({ session }: { session: Session }) {
	const snap = useSyncExternalStore(session.devices.subscribe, session.devices.snapshot);
	const st = useSyncExternalStore(session.state.subscribe, session.state.get);
	const store = session.devices;
	const d = snap.discovery;
	// interfaces with an IPv4 subnet to sweep; the first such one is the default
	const sweepable = st.interfaces.filter((i) => i.name !== 'lo' && i.addresses.some((a) => a.includes('.')));
	// the form's interface: '' until picked (then the first sweepable), '-' for none
	const picked = snap.form.iface || sweepable[0]?.name || '-';
	const iface = picked === '-' ? '' : picked;
	const running = d.status === 'running';
	const label =
		d.status === 'running'
			? `${d.steps[d.step]} (step ${d.step + 1} of ${d.steps.length})`
			: d.status === 'done'
				? `Discovery done: ${d.found} host${d.found === 1 ? '' : 's'} found.`
				: d.status === 'cancelled'
					? 'Discovery cancelled.'
					: '';

	const start = () => store.discover({ ...snap.form, iface }, st.interfaces);

	return (
		<div className="traffic" data-testid="devices">
			<section className="card wide">
				<h2>Discover hosts</h2>
				<div className="body">
					<form
						className="tool-form"
						onSubmit={(e) => {
							e.preventDefault();
							if (!running) start();
						}}
					>
						<label>
							Interface
							<select value={picked} onChange={(e) => store.setForm({ iface: e.target.value })} data-testid="discover-iface">
								<option value="-">(none: by route)</option>
								{st.interfaces
									.filter((i) => i.name !== 'lo')
									.map((i) => (
										<option key={i.name} value={i.name}>
											{i.name} {i.addresses.filter((a) => a.includes('.')).join(' ')}
										</option>
									))}
							</select>
						</label>
						<label>
							Addresses (default: the interface's subnet)
							<input type="text" value={snap.form.cidr} placeholder="10.0.0.0/24 or 10.0.0.1-20" onChange={(e) => store.setForm({ cidr: e.target.value })} data-testid="discover-cidr" />
						</label>
						<label className="inline">
							<input type="checkbox" checked={snap.form.ping} onChange={(e) => store.setForm({ ping: e.target.checked })} data-testid="discover-ping" />
							ping sweep too
						</label>
						<button type="submit" className="primary" disabled={running || st.link.status !== 'connected'} data-testid="discover-start">
							Discover
						</button>
						<button type="button" onClick={() => store.clearHosts()} disabled={!snap.hosts.length} data-testid="devices-clear">
							Clear list
						</button>
					</form>
					<JobProgress testid="discover-progress" run={d.run} status={d.status} done={d.done} total={d.total} label={label} error={d.error} onCancel={() => store.cancelDiscovery()} />
				</div>
			</section>
			<section className="card wide">
				<h2>
					Devices <span className="muted" data-testid="devices-count">{snap.hosts.length}</span>
				</h2>
				<div className="body">
					{snap.hosts.length === 0 ? (
						<p className="muted">No hosts yet. Run a discovery above, or a port scan under Tools: what they find shows here.</p>
					) : (
						<table className="grid" data-testid="devices-table">
							<thead>
								<tr>
									{COLUMNS.map((c) => (
										<th
											key={c.key}
											className={`sortable${c.n ? ' n' : ''}`}
											onClick={() => store.sortBy(c.key)}
											aria-sort={snap.sort.key === c.key ? (snap.sort.desc ? 'descending' : 'ascending') : undefined}
											data-testid={`sort-${c.key}`}
										>
											{c.label}
											{snap.sort.key === c.key ? (snap.sort.desc ? ' ▼' : ' ▲') : ''}
										</th>
									))}
								</tr>
							</thead>
							<tbody>
								{snap.hosts.map((h) => (
									<HostRow key={h.addr} h={h} />
								))}
							</tbody>
						</table>
					)}
				</div>
			</section>
		</div>
	);
}
