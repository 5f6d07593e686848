// Tools → Port scan: targets, ports (-p syntax or nmap's top ports), technique
// (connect or SYN), rate and service detection; a "scan" job on the server whose
// open ports and services fill the table live. The server checks the targets and
// ports: what it refuses shows here in its own words.
import { useSyncExternalStore } from 'react';
import { JobProgress } from './JobProgress';
import type { Session } from '../store/session';

const TABLE_MAX = 2000;

export function PortScanTool({ session }: { session: Session }) {
	const snap = useSyncExternalStore(session.portScan.subscribe, session.portScan.snapshot);
	const st = useSyncExternalStore(session.state.subscribe, session.state.get);
	const store = session.portScan;
	const f = snap.form;
	const running = snap.status === 'running';
	const sum = snap.summary;
	const open = snap.results.filter((r) => r.state === 'open');
	const openCount = open.length;
	const hostsOpen = new Set(open.map((r) => r.addr)).size;
	// a page of rows is plenty to read; more would only slow the page down
	const shown = snap.results.length > TABLE_MAX ? snap.results.slice(0, TABLE_MAX) : snap.results;
	const label =
		snap.status === 'running'
			? 'Scanning: probes settled'
			: snap.status === 'cancelled'
				? 'Scan cancelled.'
				: sum
					? `Scan done: ${hostsOpen} host${hostsOpen === 1 ? '' : 's'} with open ports`
					: '';
	const num = (v: string, d: number) => (v.trim() === '' || !Number.isFinite(Number(v)) ? d : Number(v));

	return (
		<>
			<section className="card wide">
				<h2>Port scan</h2>
				<div className="body">
					<form
						className="tool-form"
						onSubmit={(e) => {
							e.preventDefault();
							if (!running) store.start();
						}}
					>
						<label>
							Targets
							<input type="text" size={28} value={f.targets} placeholder="10.0.0.1, 10.0.0.0/24, 10.0.0.1-20" onChange={(e) => store.setForm({ targets: e.target.value })} data-testid="scan-targets" />
						</label>
						<label>
							Ports (-p)
							<input type="text" size={18} value={f.ports} placeholder="22,80,1000-2000" onChange={(e) => store.setForm({ ports: e.target.value })} data-testid="scan-ports" />
						</label>
						<label>
							or top ports
							<input type="number" min={0} max={65535} style={{ width: '7ch' }} value={f.topPorts} disabled={f.ports.trim() !== ''} onChange={(e) => store.setForm({ topPorts: num(e.target.value, 0) })} data-testid="scan-top" />
						</label>
						<label>
							Technique
							<select value={f.technique} onChange={(e) => store.setForm({ technique: e.target.value === 'syn' ? 'syn' : 'tcp' })} data-testid="scan-technique">
								<option value="tcp">connect()</option>
								<option value="syn">SYN (half-open)</option>
							</select>
						</label>
						<label>
							Rate (probes/s)
							<input type="number" min={1} style={{ width: '9ch' }} value={f.rate} onChange={(e) => store.setForm({ rate: num(e.target.value, 0) })} data-testid="scan-rate" />
						</label>
						<label className="inline">
							<input type="checkbox" checked={f.service} onChange={(e) => store.setForm({ service: e.target.checked })} data-testid="scan-service" />
							service detection
						</label>
						<label className="inline" title="rows for closed and filtered ports too (a big scan makes many)">
							<input type="checkbox" checked={f.allPorts} onChange={(e) => store.setForm({ allPorts: e.target.checked })} data-testid="scan-all" />
							list closed and filtered
						</label>
						<button type="submit" className="primary" disabled={running || st.link.status !== 'connected'} data-testid="scan-start">
							Scan
						</button>
					</form>
					<JobProgress testid="scan-progress" run={snap.run} status={snap.status} done={snap.done} total={snap.total} label={label} error={snap.error} onCancel={() => store.cancel()} />
					{sum && (
						<div className="kpis" data-testid="scan-summary">
							<div className="kpi"><span className="v" data-testid="scan-open">{sum.open}</span><span className="l">open</span></div>
							<div className="kpi"><span className="v" data-testid="scan-closed">{sum.closed}</span><span className="l">closed</span></div>
							<div className="kpi"><span className="v" data-testid="scan-filtered">{sum.filtered}</span><span className="l">filtered</span></div>
							<div className="kpi"><span className="v">{sum.ports}</span><span className="l">ports a host</span></div>
						</div>
					)}
				</div>
			</section>
			<section className="card wide">
				<h2>
					Open ports <span className="muted" data-testid="scan-count">{openCount}</span>
					{snap.results.length > openCount && <span className="muted"> (and {snap.results.length - openCount} closed or filtered listed)</span>}
				</h2>
				<div className="body">
					{snap.results.length === 0 ? (
						<p className="muted">{running ? 'Nothing open found yet.' : 'Open ports and the services on them show here as the scan finds them. Closed and filtered ports are counted above.'}</p>
					) : (
						<table className="grid" data-testid="scan-table">
							<thead>
								<tr>
									<th>Host</th>
									<th className="n">Port</th>
									<th>State</th>
									<th>Service</th>
									<th>Banner / version</th>
								</tr>
							</thead>
							<tbody>
								{shown.map((r) => (
									<tr key={`${r.addr}:${r.port}`} className="scan-row" data-addr={r.addr} data-port={r.port}>
										<td className="addr">{r.addr}</td>
										<td className="n">
											{r.port}/{r.proto}
										</td>
										<td className={`state-${r.state}`} title={r.reason}>
											{r.state}
										</td>
										<td className="service">{r.service}</td>
										<td className="banner wrap">{r.banner}</td>
									</tr>
								))}
							</tbody>
						</table>
					)}
					{shown.length < snap.results.length && (
						<p className="muted" data-testid="scan-cut">
							The first {shown.length} of {snap.results.length} rows are shown.
						</p>
					)}
				</div>
			</section>
		</>
	);
}
