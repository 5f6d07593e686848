// The WebSocket to gotracer serve, kept open: on a close it reconnects with
// exponential backoff (0.5 s doubling to 10 s), and reports its state so the page
// can show "connected" or "reconnecting in N s".

export type LinkState =
	| { status: 'connecting'; attempt: number }
	| { status: 'connected'; since: number }
	| { status: 'reconnecting'; attempt: number; retryAt: number; reason: string };

export const BACKOFF_FIRST_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

/** Delay before reconnect attempt number attempt (1 = the first retry). */
export function backoffDelay(attempt: number): number {
	const n = Math.max(1, Math.floor(attempt));
	return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.min(n - 1, 20));
}

/** The WebSocket address of the server that served this page. */
export function socketUrl(loc: { protocol: string; host: string; search: string }, path = '/ws'): string {
	const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
	const token = new URLSearchParams(loc.search).get('token');
	return `${scheme}//${loc.host}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export interface ConnectionHandlers {
	onMessage: (data: unknown) => void;
	onState: (s: LinkState) => void;
	onOpen?: () => void;
}

export class Connection {
	private ws: WebSocket | null = null;
	private attempt = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private closed = false;

	constructor(
		private readonly url: string,
		private readonly h: ConnectionHandlers,
	) {}

	start(): void {
		this.closed = false;
		this.open();
	}

	stop(): void {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		this.ws?.close();
		this.ws = null;
	}

	/** Send a command; false when not connected (the caller shows it, nothing queues up). */
	send(msg: object): boolean {
		if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
		this.ws.send(JSON.stringify(msg));
		return true;
	}

	/** Try now instead of waiting out the backoff. */
	retryNow(): void {
		if (this.ws) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.open();
	}

	private open(): void {
		this.h.onState({ status: 'connecting', attempt: this.attempt });
		let ws: WebSocket;
		try {
			ws = new WebSocket(this.url);
		} catch (e) {
			this.scheduleRetry(String(e));
			return;
		}
		this.ws = ws;
		ws.onopen = () => {
			this.attempt = 0;
			this.h.onState({ status: 'connected', since: Date.now() });
			this.h.onOpen?.();
		};
		ws.onmessage = (ev) => {
			if (typeof ev.data !== 'string') return;
			let data: unknown;
			try {
				data = JSON.parse(ev.data);
			} catch {
				return; // not ours to crash on: skip the message
			}
			this.h.onMessage(data);
		};
		ws.onclose = (ev) => {
			if (this.ws !== ws) return;
			this.ws = null;
			if (!this.closed) this.scheduleRetry(ev.reason || (ev.code === 1006 ? 'connection lost' : `closed (${ev.code})`));
		};
	}

	private scheduleRetry(reason: string): void {
		this.attempt++;
		const delay = backoffDelay(this.attempt);
		this.h.onState({ status: 'reconnecting', attempt: this.attempt, retryAt: Date.now() + delay, reason });
		this.timer = setTimeout(() => {
			this.timer = null;
			if (!this.closed) this.open();
		}, delay);
	}
}
