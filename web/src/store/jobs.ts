// The page's side of the server's job model (docs/protocol.md: job_start ->
// job_started, job_progress, job_row..., then one job_done or job_error; job_cancel).
// A tool starts a job with a listener; replies are matched to it by the request id
// (job_started.ref, or error.id when the server refuses the parameters) and then by
// the server's job number. Watchers see every row of every job, so the Devices view
// can merge what any scan finds.
import type { ClientMessage, JobMessage, RequestMessage } from '../protocol/messages';

export type Params = Record<string, unknown>;

export interface JobListener {
	started?: (id: number) => void;
	progress?: (done: number, total: number) => void;
	row?: (row: Params) => void;
	done?: (summary: Params) => void;
	/** The server refused the request, the job failed, was cancelled ("cancelled"), or the link dropped. */
	failed?: (reason: string) => void;
}

export interface Job {
	ref: string; // the request id
	id: number | null; // the server's job number, once started
	kind: string;
	params: Params;
	cancelWanted: boolean;
	listener: JobListener;
}

export type RowWatcher = (job: Job, row: Params) => void;

export const CANCELLED = 'cancelled';

export class JobRunner {
	private byRef = new Map<string, Job>();
	private byId = new Map<number, Job>();
	private watchers = new Set<RowWatcher>();

	/** request sends with a fresh id and returns it (null when not connected);
	 * post sends as is (job_cancel's id is the job number). */
	constructor(
		private readonly request: (m: RequestMessage) => string | null,
		private readonly post: (m: ClientMessage) => boolean,
	) {}

	/** Start a job; null when the request could not be sent (the listener hears why). */
	start(kind: string, params: Params, listener: JobListener): Job | null {
		const ref = this.request({ type: 'job_start', kind, params });
		if (!ref) {
			listener.failed?.('not connected to gotracer');
			return null;
		}
		const job: Job = { ref, id: null, kind, params, cancelWanted: false, listener };
		this.byRef.set(ref, job);
		return job;
	}

	/** Cancel a job; one not started yet is cancelled as soon as its number is known. */
	cancel(job: Job): void {
		job.cancelWanted = true;
		if (job.id !== null) this.post({ type: 'job_cancel', id: job.id });
	}

	watchRows(fn: RowWatcher): () => void {
		this.watchers.add(fn);
		return () => this.watchers.delete(fn);
	}

	/** Jobs that have not ended. */
	get running(): number {
		return this.byRef.size + this.byId.size;
	}

	handle(m: JobMessage): void {
		if (m.type === 'job_started') {
			const job = this.byRef.get(m.ref);
			if (!job) return; // another page's, or one we gave up on
			this.byRef.delete(m.ref);
			job.id = m.id;
			this.byId.set(m.id, job);
			job.listener.started?.(m.id);
			if (job.cancelWanted) this.post({ type: 'job_cancel', id: m.id });
			return;
		}
		const job = this.byId.get(m.id);
		if (!job) return;
		switch (m.type) {
			case 'job_progress':
				job.listener.progress?.(m.done, m.total);
				break;
			case 'job_row':
				for (const w of this.watchers) w(job, m.row);
				job.listener.row?.(m.row);
				break;
			case 'job_done':
				this.byId.delete(m.id);
				job.listener.done?.(m.summary);
				break;
			case 'job_error':
				this.byId.delete(m.id);
				job.listener.failed?.(m.reason);
				break;
		}
	}

	/** An error message in reply to a job_start of ours: the server refused it.
	 * Returns whether it was ours. */
	refused(ref: string, reason: string): boolean {
		const job = this.byRef.get(ref);
		if (!job) return false;
		this.byRef.delete(ref);
		job.listener.failed?.(reason);
		return true;
	}

	/** The link dropped: the server stops a client's jobs when it goes, silently. */
	linkLost(): void {
		const jobs = [...this.byRef.values(), ...this.byId.values()];
		this.byRef.clear();
		this.byId.clear();
		for (const j of jobs) j.listener.failed?.('the connection to gotracer was lost');
	}
}
