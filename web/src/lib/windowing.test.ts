import { describe, expect, it } from 'vitest';
import { atBottom, scrollToShow, visibleRange } from './windowing';

describe('list windowing', () => {
	it('renders the rows in view plus the overscan, clipped to the list', () => {
		expect(visibleRange(0, 440, 22, 100_000, 8)).toEqual([0, 28]);
		expect(visibleRange(22 * 1000, 440, 22, 100_000, 8)).toEqual([992, 1028]);
		expect(visibleRange(22 * 99_990, 440, 22, 100_000, 8)).toEqual([99_982, 100_000]);
		expect(visibleRange(0, 440, 22, 3, 8)).toEqual([0, 3]);
		expect(visibleRange(500, 440, 22, 0, 8)).toEqual([14, 14]);
	});

	it('is at the bottom within half a row', () => {
		expect(atBottom(1560, 440, 2000, 22)).toBe(true);
		expect(atBottom(1550, 440, 2000, 22)).toBe(true);
		expect(atBottom(1540, 440, 2000, 22)).toBe(false);
	});

	it('scrolls just enough to show a row', () => {
		expect(scrollToShow(10, 0, 440, 22)).toBe(0); // in view
		expect(scrollToShow(30, 0, 440, 22)).toBe(30 * 22 + 22 - 440); // below: align its bottom
		expect(scrollToShow(5, 400, 440, 22)).toBe(110); // above: align its top
	});
});
