#!/usr/bin/env bash
# Application dissectors on fresh traffic: records new HTTP, TLS 1.2/1.3, SSH,
# QUIC and small-MTU captures between real clients and servers in network
# namespaces (tests/fixtures/app/record.sh), then checks that every HTTP, TLS,
# SSH and QUIC field, and the columns, equal tshark's on them (the unit tests
# app_tshark_* pointed at the new files), that the other app and stream unit
# tests hold on them too, and that `gotracer read` rebuilds the Certificate and
# the HTTP request that span segments.
set -u
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
t_start "${GT_SUITE:-netns-app}"
O=${O:-build}
work=$(mktemp -d)
t_on_exit rm -rf "$work"

if ! command -v tshark >/dev/null || ! command -v tcpdump >/dev/null; then
	t_skip "app traffic" "tshark/tcpdump missing (scripts/install-deps.sh test)"
	t_done
	exit
fi

# TCP frames of the captures that tshark's sequence analysis flags (a loaded
# machine's veth dropped a segment: retransmissions, out-of-order, lost)
lossy_frames() {
	local f
	for f in "$work"/*.pcap; do
		tshark -r "$f" -Y "tcp.analysis.retransmission or tcp.analysis.out_of_order or
			tcp.analysis.fast_retransmission or tcp.analysis.spurious_retransmission or
			tcp.analysis.lost_segment" 2>/dev/null | sed "s|^|$(basename "$f"): |"
	done
}

# These captures test the dissectors on clean traffic; after a loss tshark's
# defaults give up messages we rebuild (golden retrans.pcap tests that), so a
# recording with a loss is made again, up to three times.
test_record() {
	local try lost
	for try in 1 2 3; do
		rm -f "$work"/*.pcap
		if ! tests/fixtures/app/record.sh "$work" >"$work/record.log" 2>&1; then
			t_fail "record" "$(tail -3 "$work/record.log")"
			return
		fi
		lost=$(lossy_frames)
		[ -z "$lost" ] && break
		echo "    recording $try had TCP losses: $(head -2 <<<"$lost")"
	done
	t_ok "recorded $(ls "$work"/*.pcap | wc -l) captures in namespaces (attempt $try)"
}

test_fields_equal_tshark() {
	local out
	out=$(GT_APP_FIXTURES=$work "$O/tests/unit-tests" app_tshark 2>&1)
	if [ $? -eq 0 ]; then
		t_ok "fields equal tshark's: $(grep -c 'values compared, 0 differ' <<<"$out") captures"
	else
		t_fail "fields equal tshark's" "$(grep -E 'ours|FAIL' <<<"$out" | head -8)"
	fi
}

test_unit_tests_on_fresh_captures() {
	local pat out
	for pat in tls http_ ssh_ quic_ stream_ data_shows; do
		out=$(GT_SUITE=unit GT_APP_FIXTURES=$work "$O/tests/unit-tests" "$pat" 2>&1)
		if [ $? -eq 0 ]; then
			t_ok "unit tests '$pat' on the fresh captures: $(tail -1 <<<"$out")"
		else
			t_fail "unit tests '$pat' on the fresh captures" "$(grep -A2 FAIL <<<"$out" | head -6)"
		fi
	done
}

test_read_rebuilds_across_segments() {
	local json
	json=$("$GOTRACER" read "$work/small-mtu.pcap" --json 2>&1)
	t_check "read reassembles the Certificate" \
		grep -q '"tcp.reassembled.length":"[0-9]*".*"tls.handshake.type":"11"' <<<"$json"
	t_check "read reassembles the long HTTP request" \
		grep -q '"tcp.segment.count":"2".*"http.request.method":"GET"' <<<"$json"
}

test_record
test_fields_equal_tshark
test_unit_tests_on_fresh_captures
test_read_rebuilds_across_segments
t_done
