import { describe, expect, it } from 'vitest';
import { counterRate, endpoint, shares, sizeBuckets } from './rates';
import { bitRate, bytesText, si, withUnit } from './format';

describe('rates', () => {
	it('rate is the counter difference over the time between readings', () => {
		expect(counterRate(1000, 3000, 2)).toBe(1000);
		expect(counterRate(1000, 1000, 1)).toBe(0);
		expect(counterRate(5000, 600, 0.5)).toBe(1200); // restarted: counts since then
		expect(counterRate(1, 2, 0)).toBe(0);
	});

	it('shares sum to one and sort by bytes', () => {
		const s = shares([
			{ name: 'ICMP', packets: 380, bytes: 15000 },
			{ name: 'TCP', packets: 2000, bytes: 180000 },
			{ name: 'DNS', packets: 20, bytes: 5000 },
		]);
		expect(s.map((x) => x.name)).toEqual(['TCP', 'ICMP', 'DNS']);
		expect(s[0].byteShare).toBeCloseTo(0.9);
		expect(s[1].packetShare).toBeCloseTo(380 / 2400);
		expect(s.reduce((a, x) => a + x.byteShare, 0)).toBeCloseTo(1);
		expect(shares([{ name: 'x', packets: 0, bytes: 0 }])[0].byteShare).toBe(0);
	});

	it('size buckets follow the bounds, with one bucket past the last', () => {
		const b = sizeBuckets([64, 128, 1518], [10, 30, 50, 10]);
		expect(b.map((x) => x.label)).toEqual(['≤ 64', '65–128', '129–1518', '> 1518']);
		expect(b[2].share).toBeCloseTo(0.5);
	});

	it('endpoints put IPv6 addresses in brackets', () => {
		expect(endpoint('10.0.0.1', 80)).toBe('10.0.0.1:80');
		expect(endpoint('fd00:200::1', 443)).toBe('[fd00:200::1]:443');
		expect(endpoint('10.0.0.1', 0)).toBe('10.0.0.1');
	});
});

describe('formatting', () => {
	it('puts SI prefixes and units together readably', () => {
		expect(bitRate(0)).toBe('0 bit/s');
		expect(bitRate(19250)).toBe('154.0 kbit/s');
		expect(bytesText(1536)).toBe('1.5 kB');
		expect(bytesText(999)).toBe('999 B');
		expect(withUnit(2_500_000, 'b/s', 0)).toBe('3 Mb/s');
		expect(si(12)).toBe('12');
	});
});
