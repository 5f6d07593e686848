// Views that later work fills; each says what it will hold.
const PLANNED: Record<string, { title: string; text: string }> = {
	devices: { title: 'Devices', text: 'Hosts seen on the network and found by the ARP, ping and TCP scanners, with their MAC vendors and open services.' },
	tools: { title: 'Tools', text: 'Ping, traceroute and port scans run by the server, streamed here row by row.' },
	wifi: { title: 'WiFi', text: 'Wireless interfaces, nearby access points and their signal, read through nl80211.' },
};

export function PlaceholderView({ view }: { view: string }) {
	const p = PLANNED[view];
	return (
		<div className="placeholder" data-testid={`placeholder-${view}`}>
			<h2>{p?.title ?? view}</h2>
			<p>
				<b>Not built yet.</b> This view is a placeholder that later work fills.
			</p>
			<p className="muted">{p?.text}</p>
		</div>
	);
}
