import { describe, expect, it } from 'vitest';
import { ancestorsOf, byteRange, flattenTree, hexRows, innermostAt } from './hexmap';
import { decodeTree } from '../protocol/messages';

// A DNS query frame's tree in the shape packet_tree_to_json writes (offsets of a
// real 14 + 20 + 8 + DNS frame).
const tree = decodeTree([
	{ name: 'eth', value: 'Ethernet II', off: 0, len: 14, children: [
		{ name: 'eth.dst', value: '02:00:00:00:00:01', off: 0, len: 6 },
		{ name: 'eth.src', value: '02:00:00:00:00:02', off: 6, len: 6 },
		{ name: 'eth.type', value: '0x0800', off: 12, len: 2 },
	] },
	{ name: 'ip', value: 'Internet Protocol Version 4', off: 14, len: 20, children: [
		{ name: 'ip.src', value: '10.200.0.2', off: 26, len: 4 },
		{ name: 'ip.dst', value: '10.200.0.1', off: 30, len: 4 },
	] },
	{ name: 'udp', value: 'User Datagram Protocol', off: 34, len: 8, children: [] },
	{ name: 'dns', value: 'Domain Name System (query)', off: 42, len: 29, children: [
		{ name: '', value: 'Queries', off: 54, len: 17, children: [
			{ name: '', value: 'example.org: type A, class IN', off: 54, len: 17, children: [
				{ name: 'dns.qry.name', value: 'example.org', off: 54, len: 13 },
				{ name: 'dns.qry.type', value: '1', off: 67, len: 2 },
			] },
		] },
	] },
]);

describe('hex and tree mapping', () => {
	const flat = flattenTree(tree);

	it('flattens in pre-order with path ids', () => {
		expect(flat.map((f) => f.id).slice(0, 5)).toEqual(['0', '0.0', '0.1', '0.2', '1']);
		const name = flat.find((f) => f.node.name === 'dns.qry.name')!;
		expect(name.id).toBe('3.0.0.0');
		expect(name.depth).toBe(3);
		expect(ancestorsOf(name.id)).toEqual(['3', '3.0', '3.0.0']);
	});

	it('a byte selects the innermost field covering it', () => {
		expect(innermostAt(flat, 3)?.node.name).toBe('eth.dst');
		expect(innermostAt(flat, 13)?.node.name).toBe('eth.type');
		expect(innermostAt(flat, 27)?.node.name).toBe('ip.src');
		expect(innermostAt(flat, 20)?.node.name).toBe('ip'); // no field there: the layer
		expect(innermostAt(flat, 60)?.node.name).toBe('dns.qry.name');
		expect(innermostAt(flat, 68)?.node.name).toBe('dns.qry.type');
		expect(innermostAt(flat, 45)?.node.name).toBe('dns');
		expect(innermostAt(flat, 500)).toBeNull();
	});

	it('on equal ranges the deeper node wins', () => {
		// "Queries" and the query line both cover 54..70; bytes 69..70 are in neither field
		expect(innermostAt(flat, 70)?.node.value).toBe('example.org: type A, class IN');
	});

	it('a field highlights its bytes, clipped to the bytes held', () => {
		const name = flat.find((f) => f.node.name === 'dns.qry.name')!.node;
		expect(byteRange(name, 100)).toEqual([54, 67]);
		expect(byteRange(name, 60)).toEqual([54, 60]);
		expect(byteRange(null, 100)).toEqual([0, 0]);
		// the round trip the hex pane relies on: every byte of a field selects that field
		for (let b = 54; b < 67; b++) expect(innermostAt(flat, b)?.node).toBe(name);
	});

	it('lays out hex rows of 16 with printable ASCII', () => {
		const bytes = new Uint8Array([0x45, 0x00, 0x41, 0x7e, 0x7f, 0x20, ...new Array(14).fill(0x61)]);
		const rows = hexRows(bytes);
		expect(rows).toHaveLength(2);
		expect(rows[0].offsetText).toBe('0000');
		expect(rows[0].cells.slice(0, 5)).toEqual(['45', '00', '41', '7e', '7f']);
		expect(rows[0].ascii.slice(0, 6).join('')).toBe('E.A~. ');
		expect(rows[1].offsetText).toBe('0010');
		expect(rows[1].cells).toHaveLength(4);
	});
});
