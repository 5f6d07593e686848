import { describe, expect, it } from 'vitest';
import { StatsStore } from './stats';
import { ManualFrames } from './testutil';
import { decodeStats } from '../protocol/messages';

const tick = (ts: number, inPk: number, inB: number, outPk: number, outB: number, name = 'gt0') =>
	decodeStats({
		ts,
		interfaces: [{ name, in: { packets: inPk, bytes: inB, ring_drops: 0 }, out: { packets: outPk, bytes: outB, ring_drops: 0 } }],
	});

describe('StatsStore', () => {
	it('turns cumulative counters into per-second rates per interface and direction', () => {
		const f = new ManualFrames();
		const s = new StatsStore(600, f.schedule);
		s.addTick(tick(100, 0, 0, 0, 0));
		s.addTick(tick(101, 10, 1000, 5, 400));
		s.addTick(tick(103, 30, 5000, 5, 400)); // a tick was lost: two seconds
		f.run();
		const snap = s.snapshot();
		expect(snap.times).toEqual([101, 103]);
		expect(snap.ifaces.gt0.inBytes).toEqual([1000, 2000]);
		expect(snap.ifaces.gt0.inPackets).toEqual([10, 10]);
		expect(snap.ifaces.gt0.outBytes).toEqual([400, 0]);
		expect(snap.latest?.ts).toBe(103);
	});

	it('keeps a bounded history', () => {
		const f = new ManualFrames();
		const s = new StatsStore(300, f.schedule);
		for (let t = 0; t <= 1000; t++) s.addTick(tick(t, t * 10, t * 1000, t, t * 100));
		f.run();
		const snap = s.snapshot();
		expect(snap.times).toHaveLength(300);
		expect(snap.times[0]).toBe(701);
		expect(snap.ifaces.gt0.inBytes).toHaveLength(300);
		expect(snap.ifaces.gt0.inBytes.every((v) => v === 1000)).toBe(true);
	});

	it('an interface that appears later is null before it existed', () => {
		const f = new ManualFrames();
		const s = new StatsStore(600, f.schedule);
		s.addTick(tick(1, 0, 0, 0, 0));
		s.addTick(tick(2, 1, 100, 1, 100));
		const both = (ts: number, n: number) =>
			decodeStats({
				ts,
				interfaces: ['gt0', 'lo'].map((name) => ({ name, in: { packets: n, bytes: n * 100 }, out: { packets: n, bytes: n * 100 } })),
			});
		s.addTick(both(3, 2));
		s.addTick(both(4, 3));
		f.run();
		const snap = s.snapshot();
		expect(snap.ifaces.lo.inBytes).toEqual([null, null, 100]);
		expect(snap.ifaces.gt0.inBytes).toEqual([100, 100, 100]);
	});

	it('an interface no longer reported leaves when its points have scrolled out', () => {
		const f = new ManualFrames();
		const s = new StatsStore(3, f.schedule);
		const both = (ts: number, n: number) =>
			decodeStats({ ts, interfaces: ['gt0', 'lo'].map((name) => ({ name, in: { packets: n, bytes: n }, out: { packets: n, bytes: n } })) });
		s.addTick(both(1, 0));
		s.addTick(both(2, 1));
		for (let t = 3; t <= 4; t++) s.addTick(tick(t, t, t, t, t));
		f.run();
		expect(Object.keys(s.snapshot().ifaces)).toEqual(['gt0', 'lo']); // lo's point at t=2 still shows
		s.addTick(tick(5, 5, 5, 5, 5));
		f.run();
		expect(Object.keys(s.snapshot().ifaces)).toEqual(['gt0']);
	});

	it('a tick that goes back in time restarts the baseline', () => {
		const f = new ManualFrames();
		const s = new StatsStore(600, f.schedule);
		s.addTick(tick(10, 100, 10000, 0, 0));
		s.addTick(tick(5, 0, 0, 0, 0));
		s.addTick(tick(6, 10, 1000, 0, 0));
		f.run();
		expect(s.snapshot().ifaces.gt0.inBytes).toEqual([1000]);
	});
});
