import { describe, expect, it } from 'vitest';
import { Ring } from './ring';

describe('Ring', () => {
	it('holds at most its capacity and numbers items by absolute position', () => {
		const r = new Ring<number>(4);
		for (let i = 0; i < 10; i++) r.push(i * 10);
		expect(r.size).toBe(4);
		expect(r.start).toBe(6);
		expect(r.end).toBe(10);
		expect(r.evicted).toBe(6);
		expect(r.at(5)).toBeUndefined();
		expect(r.at(6)).toBe(60);
		expect(r.at(9)).toBe(90);
		expect(r.at(10)).toBeUndefined();
		expect([...r.from(0)]).toEqual([60, 70, 80, 90]);
		expect([...r.from(8)]).toEqual([80, 90]);
	});

	it('stays bounded over a long run', () => {
		const r = new Ring<{ n: number }>(1000);
		for (let i = 0; i < 250_000; i++) r.push({ n: i });
		expect(r.size).toBe(1000);
		expect(r.at(249_999)?.n).toBe(249_999);
		expect(r.at(249_000)?.n).toBe(249_000);
		expect(r.at(248_999)).toBeUndefined();
	});

	it('clear forgets items but positions keep counting', () => {
		const r = new Ring<string>(3);
		r.push('a');
		r.push('b');
		r.clear();
		expect(r.size).toBe(0);
		expect(r.at(0)).toBeUndefined();
		expect(r.evicted).toBe(0);
		r.push('c');
		expect(r.start).toBe(2);
		expect(r.at(2)).toBe('c');
		for (const x of ['d', 'e', 'f']) r.push(x);
		expect(r.evicted).toBe(1);
		expect([...r.from(0)]).toEqual(['d', 'e', 'f']);
	});

	it('refuses a capacity that is not a positive integer', () => {
		expect(() => new Ring(0)).toThrow(RangeError);
		expect(() => new Ring(1.5)).toThrow(RangeError);
	});
});
