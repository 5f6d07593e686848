// Capture state, start/stop, and the interfaces to capture on.
import { useEffect, useRef, useState } from 'react';
import type { CaptureState, InterfaceInfo } from '../protocol/messages';

interface Props {
	capture: CaptureState;
	interfaces: InterfaceInfo[];
	error: string;
	connected: boolean;
	onStart: () => void;
	onStop: () => void;
	onInterfaces: (names: string[]) => void;
}

export function CaptureControl({ capture, interfaces, error, connected, onStart, onStop, onInterfaces }: Props) {
	const [open, setOpen] = useState(false);
	const [chosen, setChosen] = useState<string[]>([]);
	const toggle = (name: string) => setChosen((c) => (c.includes(name) ? c.filter((n) => n !== name) : [...c, name]));
	const box = useRef<HTMLDivElement>(null);
	// Escape or a click elsewhere closes the picker without changing anything
	useEffect(() => {
		if (!open) return;
		const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
		const onDown = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
		addEventListener('keydown', onKey);
		addEventListener('mousedown', onDown);
		return () => {
			removeEventListener('keydown', onKey);
			removeEventListener('mousedown', onDown);
		};
	}, [open]);
	const openPicker = () => {
		setChosen(capture.interfaces);
		setOpen(!open);
	};
	return (
		<div className="capture-ctl">
			<span className="status" data-testid="capture-state" data-running={capture.running}>
				<i className={`dot ${capture.running ? 'ok' : ''}`} />
				{capture.running ? 'capturing' : 'stopped'}
				{capture.account ? ' (counting only)' : ''}
			</span>
			<div style={{ position: 'relative' }} ref={box}>
				<button onClick={openPicker} disabled={!connected} aria-expanded={open} data-testid="iface-picker" title="Interfaces to capture on">
					{capture.interfaces.length ? capture.interfaces.join(', ') : 'no interface'} ▾
				</button>
				{open && (
					<div className="popover" role="dialog" aria-label="Interfaces">
						{interfaces.map((i) => (
							<label key={i.name} className="iface-opt">
								<input type="checkbox" checked={chosen.includes(i.name)} onChange={() => toggle(i.name)} />
								<b>{i.name}</b> <span className="muted">{i.up ? '' : '(down) '}{i.addresses.join(' ')}</span>
							</label>
						))}
						{interfaces.length === 0 && <div className="muted">The server listed no interfaces.</div>}
						<div className="popover-actions">
							<button
								className="primary"
								disabled={chosen.length === 0}
								onClick={() => {
									onInterfaces(chosen);
									setOpen(false);
								}}
							>
								Capture on {chosen.length || 'none'}
							</button>
							<button onClick={() => setOpen(false)}>Cancel</button>
						</div>
					</div>
				)}
			</div>
			{capture.running ? (
				<button className="danger" onClick={onStop} disabled={!connected} data-testid="stop">Stop</button>
			) : (
				<button className="primary" onClick={onStart} disabled={!connected} data-testid="start">Start</button>
			)}
			{(error || capture.error) && <span className="capture-error" role="alert">{error || capture.error}</span>}
		</div>
	);
}
