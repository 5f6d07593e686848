import { describe, expect, it } from 'vitest';
import { decodeScanRow } from './scan';
import { decodeMessage } from './messages';

describe('scan rows', () => {
	it('decodes the rows of docs/scan.md', () => {
		expect(decodeScanRow({ type: 'host', addr: '10.210.0.13', replied: true, neighbor: false, mac: '0a:11:22:33:44:55', vendor: null, local_mac: true, rtt_ms: 0.15 })).toEqual({
			type: 'host',
			addr: '10.210.0.13',
			replied: true,
			neighbor: false,
			mac: '0a:11:22:33:44:55',
			vendor: '',
			localMac: true,
			rttMs: 0.15,
		});
		expect(decodeScanRow({ type: 'service', addr: '10.210.0.11', port: 443, proto: 'tcp', service: 'ssl/http', extra: 'TLSv1.3 subject=/CN=x', method: 'probed' })).toMatchObject({ service: 'ssl/http', banner: 'TLSv1.3 subject=/CN=x' });
	});
	it('refuses rows it cannot place, without throwing', () => {
		expect(decodeScanRow({ type: 'port', addr: '10.0.0.1', port: 0, state: 'open' })).toBeNull();
		expect(decodeScanRow({ type: 'port', addr: '10.0.0.1', port: 65536, state: 'open' })).toBeNull();
		expect(decodeScanRow({ type: 'port', addr: '10.0.0.1', port: '22', state: 'open' })).toBeNull();
		expect(decodeScanRow({ type: 'host', replied: true })).toBeNull();
		expect(decodeScanRow({ type: 'hop', addr: '10.0.0.1' })).toBeNull();
	});
	it('job messages decode with defaults for missing fields', () => {
		expect(decodeMessage({ type: 'job_row', id: 3, row: 'x' })).toEqual({ type: 'job_row', id: 3, row: {} });
		expect(decodeMessage({ type: 'job_progress', id: 3 })).toEqual({ type: 'job_progress', id: 3, done: 0, total: 0 });
		expect(decodeMessage({ type: 'job_started', id: 1, ref: 'w4', kind: 'scan', params: { technique: 'arp' } })).toEqual({ type: 'job_started', id: 1, ref: 'w4', kind: 'scan', params: { technique: 'arp' } });
	});
});
