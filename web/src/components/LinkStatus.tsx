// Connection to the server: connected, connecting, or reconnecting with a countdown.
import { useEffect, useState } from 'react';
import type { LinkState } from '../protocol/connection';

export function LinkStatus({ link, onRetry }: { link: LinkState; onRetry: () => void }) {
	const [now, setNow] = useState(Date.now());
	useEffect(() => {
		if (link.status !== 'reconnecting') return;
		const t = setInterval(() => setNow(Date.now()), 500);
		return () => clearInterval(t);
	}, [link.status]);
	if (link.status === 'connected')
		return (
			<span className="status" data-testid="link" data-state="connected">
				<i className="dot ok" /> connected
			</span>
		);
	if (link.status === 'connecting')
		return (
			<span className="status" data-testid="link" data-state="connecting">
				<i className="dot warn" /> connecting…
			</span>
		);
	const secs = Math.max(0, Math.ceil((link.retryAt - now) / 1000));
	return (
		<span className="status" data-testid="link" data-state="reconnecting" title={link.reason}>
			<i className="dot bad" /> disconnected ({link.reason}); retry {link.attempt} in {secs} s
			<button onClick={onRetry}>Retry now</button>
		</span>
	);
}
