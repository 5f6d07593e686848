import { describe, expect, it } from 'vitest';
import { PacketStore } from './packets';
import { ManualFrames, batch, summary } from './testutil';

describe('PacketStore', () => {
	it('keeps at most its capacity and counts what rolled off', () => {
		const f = new ManualFrames();
		const s = new PacketStore(100, f.schedule);
		for (let n = 1; n <= 1000; n += 50) s.add(batch(n, n + 49));
		f.run();
		const snap = s.snapshot();
		expect(snap.end - snap.start).toBe(100);
		expect(snap.received).toBe(1000);
		expect(snap.evicted).toBe(900);
		expect(snap.firstTs).toBe(1732450000.001); // the list's first packet, even once it rolled off
		expect(snap.gapLost).toBe(0);
		expect(s.ring.at(snap.start)?.no).toBe(901);
	});

	it('counts gaps in the numbering as packets not received', () => {
		const f = new ManualFrames();
		const s = new PacketStore(1000, f.schedule);
		s.add(batch(1, 41));
		s.add(batch(45, 50)); // 42..44 missed
		s.add([summary(51), summary(60), summary(61)]); // 52..59 missed
		f.run();
		expect(s.snapshot().gapLost).toBe(3 + 8);
		expect(PacketStore.missed(s.snapshot())).toBe(11);
	});

	it('a fresh page counts from the number the server says comes next', () => {
		const f = new ManualFrames();
		const s = new PacketStore(1000, f.schedule);
		s.expectNext(2381);
		s.add(batch(2383, 2390));
		f.run();
		expect(s.snapshot().gapLost).toBe(2);
	});

	it("the server's loss total is a floor, not added to the gaps it explains", () => {
		const f = new ManualFrames();
		const s = new PacketStore(1000, f.schedule);
		s.add(batch(1, 42));
		s.reportLost(1000); // lost 43..1042, announced before the next batch
		f.run();
		expect(PacketStore.missed(s.snapshot())).toBe(1000);
		s.add(batch(1043, 1050));
		f.run();
		expect(s.snapshot().gapLost).toBe(1000);
		expect(PacketStore.missed(s.snapshot())).toBe(1000);
	});

	it('notifies once per animation frame however many batches arrive', () => {
		const f = new ManualFrames();
		const s = new PacketStore(1000, f.schedule);
		let calls = 0;
		s.subscribe(() => calls++);
		const before = s.snapshot();
		for (let n = 1; n <= 500; n += 10) s.add(batch(n, n + 9));
		expect(f.pending).toBe(1);
		expect(s.snapshot()).toBe(before); // the snapshot moves only at the frame
		f.run();
		expect(calls).toBe(1);
		expect(s.snapshot().end).toBe(500);
		expect(s.snapshot()).toBe(s.snapshot()); // stable between frames for useSyncExternalStore
	});

	it('keeps kernel drops as reported and resets page counters on reset', () => {
		const f = new ManualFrames();
		const s = new PacketStore(10, f.schedule);
		s.add(batch(1, 5));
		s.add(batch(8, 9));
		s.setKernelDrops(17);
		s.reportLost(2);
		f.run();
		expect(s.snapshot()).toMatchObject({ gapLost: 2, kernelDrops: 17, serverLost: 2, received: 7 });
		s.reset();
		s.expectNext(100);
		s.add(batch(100, 102));
		f.run();
		expect(s.snapshot()).toMatchObject({ gapLost: 0, serverLost: 0, received: 3, kernelDrops: 17 });
		expect(s.snapshot().end - s.snapshot().start).toBe(3);
		s.reportLost(5); // 3 more since the reset
		f.run();
		expect(s.snapshot().serverLost).toBe(3);
	});
});
