// The capture filter: a pcap-filter expression (tcpdump syntax) the server compiles
// and applies. An expression the server refuses shows the server's own message.
import { useEffect, useState } from 'react';
import type { FilterState } from '../store/filter';

interface Props {
	filter: FilterState;
	onApply: (expr: string) => void;
	disabled: boolean;
}

export function FilterBar({ filter, onApply, disabled }: Props) {
	const [text, setText] = useState(filter.applied);
	// follow the server when it changes the filter by itself (another page, a restart)
	useEffect(() => {
		if (filter.pending === null && !filter.error) setText(filter.applied);
	}, [filter.applied, filter.pending, filter.error]);
	const invalid = !!filter.error && text.trim() === filter.rejected;
	const state = invalid ? 'invalid' : text.trim() === filter.applied && filter.applied ? 'valid' : '';
	return (
		<form
			className="filterbar"
			onSubmit={(e) => {
				e.preventDefault();
				onApply(text);
			}}
		>
			<label htmlFor="filter" className="muted">Filter</label>
			<input
				id="filter"
				type="text"
				className={state}
				value={text}
				placeholder="pcap-filter, e.g.  udp port 53  or  host 10.0.0.1 and tcp"
				spellCheck={false}
				autoComplete="off"
				aria-invalid={invalid}
				aria-describedby={invalid ? 'filter-error' : undefined}
				onChange={(e) => setText(e.target.value)}
			/>
			<button type="submit" disabled={disabled || filter.pending !== null}>
				{filter.pending !== null ? 'Applying…' : 'Apply'}
			</button>
			<button
				type="button"
				disabled={disabled || (!filter.applied && !text)}
				onClick={() => {
					setText('');
					onApply('');
				}}
			>
				Clear
			</button>
		</form>
	);
}
