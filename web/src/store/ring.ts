// A fixed-capacity ring addressed by absolute position: item k is the k-th ever
// pushed. Old items are overwritten, so memory stays bounded however long the
// capture runs; a view can hold positions and learn when they have been evicted.
export class Ring<T> {
	private readonly items: (T | undefined)[];
	private next = 0; // absolute position the next push gets
	private base = 0; // positions before this were cleared

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('ring capacity must be a positive integer');
		this.items = new Array(capacity);
	}

	push(item: T): void {
		this.items[this.next % this.capacity] = item;
		this.next++;
	}

	/** Absolute position of the oldest item still held. */
	get start(): number {
		return Math.max(this.base, this.next - this.capacity);
	}

	/** One past the newest item: the count of items ever pushed. */
	get end(): number {
		return this.next;
	}

	get size(): number {
		return this.next - this.start;
	}

	/** Items pushed out by newer ones (not counting cleared ones). */
	get evicted(): number {
		return Math.max(0, this.next - this.capacity - this.base);
	}

	/** The item at an absolute position, or undefined when evicted or not yet pushed. */
	at(pos: number): T | undefined {
		if (pos < this.start || pos >= this.next) return undefined;
		return this.items[pos % this.capacity];
	}

	/** Forget every item; positions keep counting up so old ones never come back. */
	clear(): void {
		this.items.fill(undefined);
		this.base = this.next;
	}

	/** Items from absolute position from (clipped to what is held) to the end, oldest first. */
	*from(from: number): IterableIterator<T> {
		for (let p = Math.max(from, this.start); p < this.next; p++) yield this.items[p % this.capacity] as T;
	}
}
