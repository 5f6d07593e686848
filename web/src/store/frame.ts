// Coalesces change notifications to at most one per animation frame, so a flood of
// packet batches repaints the page once a frame, not once a message.
export type FrameScheduler = (cb: () => void) => void;

export const animationFrame: FrameScheduler = (cb) => {
	if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
	else setTimeout(cb, 16);
};

export class FrameNotifier {
	private listeners = new Set<() => void>();
	private scheduled = false;

	constructor(
		private readonly schedule: FrameScheduler = animationFrame,
		private readonly beforeNotify: () => void = () => {},
	) {}

	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};

	/** Notify at once: for what a person just did (a form input must be answered
	 * in the same event, or React puts the old value back). */
	now(): void {
		for (const fn of this.listeners) fn();
	}

	/** Ask for a notification at the next frame; repeated calls before it are free. */
	changed(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		this.schedule(() => {
			this.scheduled = false;
			this.beforeNotify();
			for (const fn of this.listeners) fn();
		});
	}
}

/** A small external store for low-rate state (connection, capture, filter). */
export class StateStore<T extends object> {
	private listeners = new Set<() => void>();
	constructor(private state: T) {}

	get = (): T => this.state;

	set(patch: Partial<T>): void {
		this.state = { ...this.state, ...patch };
		for (const fn of this.listeners) fn();
	}

	subscribe = (fn: () => void): (() => void) => {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	};
}
