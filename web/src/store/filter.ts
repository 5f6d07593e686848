// The capture filter as the page knows it: the expression the server applies, one
// sent and not yet answered, and the server's message when it refused one. The
// server compiles it (libpcap), so the page never judges an expression itself.

export interface FilterState {
	applied: string; // what the server filters with now ('' = everything)
	pending: string | null; // sent, not answered yet
	error: string; // the server's message for the last refused expression
	rejected: string; // that expression
}

export const initialFilter: FilterState = { applied: '', pending: null, error: '', rejected: '' };

export function filterSubmitted(s: FilterState, expr: string): FilterState {
	return { ...s, pending: expr.trim(), error: '', rejected: '' };
}

export function filterAccepted(_s: FilterState, expr: string): FilterState {
	return { applied: expr, pending: null, error: '', rejected: '' };
}

export function filterRefused(s: FilterState, message: string): FilterState {
	return { ...s, rejected: s.pending ?? '', pending: null, error: message || 'the server refused the filter' };
}

/** The server's capture state names its filter: that is what is applied. */
export function filterFromServer(s: FilterState, expr: string): FilterState {
	return s.pending !== null && s.pending !== expr ? { ...s, applied: expr } : { ...s, applied: expr, pending: null };
}
