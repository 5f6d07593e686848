// A job's progress bar with its Cancel button and what the run came to: shared by
// the Devices discovery and the Tools' port scan.
import type { RunStatus } from '../store/devices';

interface Props {
	testid: string;
	run: number;
	status: RunStatus;
	done: number;
	total: number;
	label: string; // what is running, or how it ended
	error: string;
	onCancel: () => void;
}

export function JobProgress({ testid, run, status, done, total, label, error, onCancel }: Props) {
	const share = total > 0 ? Math.min(1, done / total) : 0;
	return (
		<div className="job-progress" data-testid={testid} data-run={run} data-status={status}>
			{status === 'running' && (
				<>
					<div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
						<div style={{ width: `${share * 100}%` }} />
					</div>
					<span className="muted">
						{label} {total > 0 ? `${done} / ${total}` : '…'}
					</span>
					<button onClick={onCancel} data-testid={`${testid}-cancel`}>
						Cancel
					</button>
				</>
			)}
			{status !== 'running' && status !== 'failed' && label && <span className="muted">{label}</span>}
			{status === 'failed' && (
				<span className="job-error" role="alert" data-testid={`${testid}-error`}>
					{error}
				</span>
			)}
		</div>
	);
}
