// The capture as pcapng over HTTP (GET /capture.pcapng[?filter=EXPR]). Fetched, not
// linked, so a filter the server refuses (400 and one line of text) shows in the
// page instead of landing in a file.

export function pcapngUrl(filter = ''): string {
	const q = new URLSearchParams();
	if (filter) q.set('filter', filter);
	const s = q.toString();
	return `capture.pcapng${s ? '?' + s : ''}`;
}

/** Fetch and save; resolves to the byte count, rejects with the server's message. */
export async function downloadCapture(filter: string): Promise<number> {
	const res = await fetch(pcapngUrl(filter), { credentials: 'same-origin' });
	if (!res.ok) {
		const text = (await res.text()).trim().split('\n')[0];
		throw new Error(text || `download failed: HTTP ${res.status}`);
	}
	const blob = await res.blob();
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filter ? 'gotracer-filtered.pcapng' : 'gotracer.pcapng';
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
	return blob.size;
}
