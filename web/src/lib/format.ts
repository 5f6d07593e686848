// Number and time formatting shared by the views.

const UNITS = ['', 'k', 'M', 'G', 'T'];

/** 1536 -> "1.5 k"; SI steps of 1000, as network rates are counted. */
export function si(n: number, digits = 1): string {
	if (!Number.isFinite(n)) return '-';
	let i = 0;
	let v = Math.abs(n);
	while (v >= 1000 && i < UNITS.length - 1) {
		v /= 1000;
		i++;
	}
	const s = i === 0 ? String(Math.round(v * 10) / 10) : v.toFixed(digits);
	return `${n < 0 ? '-' : ''}${s}${UNITS[i] ? ' ' + UNITS[i] : ''}`;
}

/** 1536, "B" -> "1.5 kB"; 0, "bit/s" -> "0 bit/s". */
export function withUnit(n: number, unit: string, digits = 1): string {
	const s = si(n, digits);
	return /[a-zA-Z]$/.test(s) ? `${s}${unit}` : `${s} ${unit}`;
}

export const bytesText = (n: number) => withUnit(n, 'B');
export const bitRate = (bytesPerSecond: number) => withUnit(bytesPerSecond * 8, 'bit/s');
export const percent = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;

/** Capture time of day, local: "15:04:05.123456". */
export function timeOfDay(ts: number): string {
	const d = new Date(Math.floor(ts * 1000));
	const pad = (v: number, w = 2) => String(v).padStart(w, '0');
	const micros = Math.round((ts - Math.floor(ts)) * 1e6) % 1e6;
	return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`;
}

export function count(n: number): string {
	return n.toLocaleString('en-US');
}

/** Seconds since the list's first packet, as Wireshark's default Time column: "12.345678". */
export function sinceFirst(ts: number, firstTs: number): string {
	return Math.max(0, ts - firstTs).toFixed(6);
}
