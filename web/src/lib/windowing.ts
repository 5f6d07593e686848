// The arithmetic of the virtualised list, apart from the DOM so it can be tested.

/** Rows [first, last) to render for a viewport: the visible ones and overscan either side. */
export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number): [number, number] {
	const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
	const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
	return [first, Math.max(first, last)];
}

/** At the end (within half a row): follow mode resumes there and stops anywhere else. */
export function atBottom(scrollTop: number, clientHeight: number, scrollHeight: number, rowHeight: number): boolean {
	return scrollTop + clientHeight >= scrollHeight - rowHeight / 2;
}

/** The scrollTop that brings row index into view, or the current one when it is in view. */
export function scrollToShow(index: number, scrollTop: number, clientHeight: number, rowHeight: number): number {
	const top = index * rowHeight;
	if (top < scrollTop) return top;
	if (top + rowHeight > scrollTop + clientHeight) return top + rowHeight - clientHeight;
	return scrollTop;
}
