// A small virtualised list: only the rows in view (plus a few) exist in the DOM, so
// 100,000 rows cost what 40 do. Fixed row height. It keeps the rows under the
// user's eyes still when rows leave the front (a bounded ring evicting), and in
// follow mode keeps the newest row in view.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { atBottom as isAtBottom, scrollToShow, visibleRange } from '../lib/windowing';

interface Props {
	count: number;
	rowHeight: number;
	shift: number; // rows that left the front since the last render
	follow: boolean;
	onFollowChange: (follow: boolean) => void;
	renderRow: (index: number, top: number) => ReactNode;
	onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
	scrollToIndex?: number | null; // bring this row into view when scrollKey changes
	scrollKey?: number | null;
	overscan?: number;
	label: string;
}

export function VirtualList({ count, rowHeight, shift, follow, onFollowChange, renderRow, onKeyDown, scrollToIndex, scrollKey, overscan = 8, label }: Props) {
	const ref = useRef<HTMLDivElement>(null);
	const [scrollTop, setScrollTop] = useState(0);
	const [height, setHeight] = useState(400);

	useEffect(() => {
		const el = ref.current;
		if (!el) return;
		const ro = new ResizeObserver(() => setHeight(el.clientHeight));
		ro.observe(el);
		setHeight(el.clientHeight);
		return () => ro.disconnect();
	}, []);

	// before paint: follow the end, or compensate for rows removed at the front
	useLayoutEffect(() => {
		const el = ref.current;
		if (!el) return;
		if (follow) el.scrollTop = el.scrollHeight;
		else if (shift > 0) el.scrollTop = Math.max(0, el.scrollTop - shift * rowHeight);
		if (el.scrollTop !== scrollTop) setScrollTop(el.scrollTop);
	});

	useLayoutEffect(() => {
		const el = ref.current;
		if (!el || scrollToIndex == null || scrollToIndex < 0) return;
		const top = scrollToShow(scrollToIndex, el.scrollTop, el.clientHeight, rowHeight);
		if (top !== el.scrollTop) el.scrollTop = top;
		// on purpose only when the selection moves, not when rows shift under it
	}, [scrollKey, rowHeight]);

	const onScroll = useCallback(() => {
		const el = ref.current;
		if (!el) return;
		setScrollTop(el.scrollTop);
		const atBottom = isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight, rowHeight);
		if (atBottom !== follow) onFollowChange(atBottom);
	}, [follow, onFollowChange, rowHeight]);

	const [first, last] = visibleRange(scrollTop, height, rowHeight, count, overscan);
	const rows: ReactNode[] = [];
	for (let i = first; i < last; i++) rows.push(renderRow(i, i * rowHeight));

	return (
		<div ref={ref} className="vlist" onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} role="grid" aria-label={label} aria-rowcount={count}>
			<div className="vlist-inner" style={{ height: count * rowHeight }}>
				{rows}
			</div>
		</div>
	);
}
