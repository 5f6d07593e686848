#!/usr/bin/env bash
# GET /metrics of `gotracer serve --account` against the truth: exactly
# 1,000,000 bytes over TCP and 100 UDP datagrams of 200 bytes between two
# namespaces; the exposition (curl from inside the namespace) must carry the
# kernel's own interface counters (ip -s link deltas), no events, the two
# flows ranked with their exact bytes, and the Prometheus form (HELP/TYPE).
# Then a capturing `serve` names an HTTP flow on port 8000 by its content.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start metrics
. tests/netns/capture_lib.sh
. tests/accounting/lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null || ! command -v curl >/dev/null; then
	t_skip metrics "needs root, jq and curl"
	t_done; exit
fi

SIZE=1000000 UDP_N=100 UDP_LEN=200
PORT=$((20000 + ($$ + 7) % 20000))
IPFIX_PORT=$((20000 + ($$ + 13) % 20000))

metrics() { in_a curl -s "http://127.0.0.1:$PORT/metrics"; }
# the value of one series: metric NAME LABELS (as written in the exposition)
series() { grep -F "$1{$2} " "$T/metrics.txt" | awk '{print $NF}'; }

# serve in ns a, output in $T/TAG.out/.err; returns once it serves (GT_PID set)
serve_bg() {
	local tag=$1 i
	shift
	ip netns exec "$NETNS_P-a" "$GOTRACER" serve "$@" >"$T/$tag.out" 2>"$T/$tag.err" &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
	for i in $(seq 100); do
		grep -qs 'serving on' "$T/$tag.err" "$T/$tag.out" && return 0
		kill -0 "$GT_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

wait_http() {
	local i
	for i in $(seq 50); do
		in_a curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics" && return 0
		sleep 0.1
	done
	return 1
}

test_account_metrics() {
	gt_topology am || { t_fail metrics "no topology"; return; }
	quiet_link
	no_offloads
	collector_start "$IPFIX_PORT" || { t_fail metrics "nfcapd did not start"; return; }
	serve_bg serve --account -i gt0 --listen "127.0.0.1:$PORT" --ipfix "127.0.0.1:$IPFIX_PORT" ||
		{ t_fail metrics "did not attach: $(cat "$T/serve.err")"; return; }
	wait_http || { t_fail metrics "no answer on $PORT: $(cat "$T/serve.err")"; return; }
	sleep 1.5	# the bandwidth history starts at the first tick: before any traffic
	local s1 s2 r1 rb1 t1 tb1 r2 rb2 t2 tb2 rx tx
	s1=$(link_stats)
	tcp_transfer 5001 "$SIZE" || { t_fail metrics "the TCP transfer failed"; return; }
	udp_burst 5002 "$UDP_N" "$UDP_LEN" || { t_fail metrics "the UDP datagrams did not all arrive"; return; }
	s2=$(link_stats)
	in_a curl -s -D "$T/metrics.head" -o "$T/metrics.txt" "http://127.0.0.1:$PORT/metrics"
	read -r r1 rb1 t1 tb1 <<<"$s1"
	read -r r2 rb2 t2 tb2 <<<"$s2"
	rx=$((r2 - r1)) tx=$((t2 - t1))
	local udp_bytes=$((UDP_N * (UDP_LEN + 42)))
	# the counters start at attach; the link was silent before s1 (static neighbours, no IPv6)
	t_eq bytes_in "$(series gotracer_interface_bytes_total 'interface="gt0",direction="in"')" "$((rb2 - rb1))"
	t_eq bytes_out "$(series gotracer_interface_bytes_total 'interface="gt0",direction="out"')" "$((tb2 - tb1))"
	t_eq packets_in "$(series gotracer_interface_packets_total 'interface="gt0",direction="in"')" "$rx"
	t_eq no_events "$(series gotracer_events_total 'interface="gt0",direction="in"') $(series gotracer_events_total 'interface="gt0",direction="out"')" "0 0"
	t_eq no_kernel_drops "$(series gotracer_kernel_drops_total 'interface="gt0",direction="out"')" 0
	t_eq flows_active "$(awk '$1 == "gotracer_flows_active" {print $2}' "$T/metrics.txt")" 2
	# rank 1: the TCP connection, both ways: all the link carried but the UDP datagrams
	t_eq top_flow_tcp "$(grep '^gotracer_flow_bytes{rank="1"' "$T/metrics.txt" | sed 's/.*proto="\([0-9]*\)",src="\([^"]*\)".*dport="\([0-9]*\)".*} \([0-9]*\)$/\1 \2 \3 \4/')" \
		"6 $NETNS_A_IP 5001 $((tb2 - tb1 - udp_bytes + rb2 - rb1))"
	t_eq top_flow_udp "$(grep '^gotracer_flow_bytes{rank="2"' "$T/metrics.txt" | sed 's/.*proto="\([0-9]*\)".*dport="\([0-9]*\)",app="\([^"]*\)"} \([0-9]*\)$/\1 \2 \3 \4/')" \
		"17 5002 udp $udp_bytes"
	t_eq top_flow_udp_packets "$(series gotracer_flow_packets 'rank="2"')" "$UDP_N"
	# the form: every sample has its HELP and TYPE, counters end in _total, one content type
	grep -qi '^content-type: text/plain; version=0.0.4' "$T/metrics.head" && t_ok content_type || t_fail content_type "$(cat "$T/metrics.head")"
	local bad
	bad=$(awk '/^# TYPE/ {type[$3] = $4; next} /^#/ {next} {n = $1; sub(/\{.*/, "", n); b = n; sub(/_(bucket|sum|count)$/, "", b); if (!(n in type) && type[b] == "histogram") n = b; if (!(n in type)) print "no TYPE: " n;
		else if (type[n] == "counter" && n !~ /_total$/) print "counter without _total: " n}' "$T/metrics.txt")
	[ -z "$bad" ] && t_ok exposition_form || t_fail exposition_form "$bad"
	[ "$(grep -c '^# HELP' "$T/metrics.txt")" = "$(grep -c '^# TYPE' "$T/metrics.txt")" ] && t_ok help_for_each_type || t_fail help_for_each_type "HELP and TYPE counts differ"
	grep -q '^gotracer_build_info{version="[^"]*"} 1$' "$T/metrics.txt" && t_ok build_info || t_fail build_info "no build info"
	# the bandwidth history, one sample a second, adds up to the kernel's counters
	sleep 2.5
	in_a curl -s "http://127.0.0.1:$PORT/api/bandwidth" >"$T/bandwidth.json"
	t_eq bandwidth_history_sums "$(jq -r '.interfaces[] | select(.name == "gt0") | "\(.in | add) \(.out | add)"' "$T/bandwidth.json")" \
		"$((rb2 - rb1)) $((tb2 - tb1))"
	t_eq bandwidth_samples_paired "$(jq -r '.interfaces[0] | (.in | length) == (.out | length) and (.in | length) > 0 and .index > 0' "$T/bandwidth.json")" true
	# the top flows stay bounded however many flows there are
	local i pids=()
	for i in $(seq 30); do in_a ping -c 1 -W 1 -q "$NETNS_B_IP" >/dev/null & pids+=($!); done
	wait "${pids[@]}"	# not serve, which runs in the background too
	metrics >"$T/metrics.txt"
	t_eq top_flows_bounded "$(grep -c '^gotracer_flow_bytes{' "$T/metrics.txt")" 10
	gt_stop INT || t_fail metrics_stop "serve did not stop"
	# serve --ipfix: the flows reached the collector by the end
	local nf
	nf=$(collector_flows)
	t_eq serve_ipfix_tcp "$(awk -v a="$NETNS_A_IP" '$1 == a && $4 == 5001 && $5 == 6 {p += $6; b += $7} END {print b}' <<<"$nf")" \
		"$((tb2 - tb1 - udp_bytes))"
	t_eq serve_ipfix_udp "$(awk '$4 == 5002 && $5 == 17 {p += $6; b += $7} END {print p, b}' <<<"$nf")" "$UDP_N $udp_bytes"
}

test_app_by_content() {
	gt_topology an || { t_fail app "no topology"; return; }
	quiet_link
	in_b /usr/bin/python3 -m http.server --bind "$NETNS_B_IP" 8000 >/dev/null 2>&1 &
	t_on_exit "kill $!"
	serve_bg app -i gt0 --listen "127.0.0.1:$PORT" || { t_fail app "did not attach: $(cat "$T/app.err")"; return; }
	wait_http || { t_fail app "no answer on $PORT"; return; }
	wait_port 8000 t
	in_a curl -s -o /dev/null "http://$NETNS_B_IP:8000/"
	metrics >"$T/metrics.txt"
	t_eq http_on_8000_named "$(grep 'dport="8000"' "$T/metrics.txt" | sed 's/.*app="\([^"]*\)".*/\1/')" HTTP
	# the dissector's reassembly: 2 requests out and 2 replies in, 3 fragments each
	in_a ping -c 2 -i 0.2 -s 3000 -q "$NETNS_B_IP" >/dev/null
	local i
	for i in $(seq 50); do
		metrics >"$T/metrics.txt"
		[ "$(awk '$1 == "gotracer_ip_reassembled_datagrams_total" {print $2}' "$T/metrics.txt")" = 4 ] && break
		sleep 0.1
	done
	t_eq ip_reassembly_metrics "$(awk '$1 == "gotracer_ip_reassembled_datagrams_total" {print $2}' "$T/metrics.txt") \
$(series gotracer_ip_reassembly_given_up_total 'reason="timed_out"') $(series gotracer_reassembly_bytes 'layer="ip"')" "4 0 0"
	gt_stop INT || t_fail app_stop "serve did not stop"
}

# serve --account as a service: SIGHUP attaches again (an interface that was
# re-created is captured again); without --account SIGHUP still stops serve
test_serve_sighup() {
	gt_topology ah || { t_fail serve_hup "no topology"; return; }
	quiet_link
	serve_bg hup --account -i gt0 --listen "127.0.0.1:$PORT" || { t_fail serve_hup "did not start: $(cat "$T/hup.err")"; return; }
	wait_http || { t_fail serve_hup "no answer"; return; }
	in_a ip link del gt0
	ip link add gt0 netns "$NETNS_P-a" address "$NETNS_A_MAC" type veth peer name gt1 netns "$NETNS_P-b" address "$NETNS_B_MAC"
	in_a ip addr add "$NETNS_A_IP/24" dev gt0
	in_b ip addr add "$NETNS_B_IP/24" dev gt1
	in_a ip link set gt0 up
	in_b ip link set gt1 up
	quiet_link
	kill -HUP "$GT_PID"
	local i
	for i in $(seq 50); do grep -qs "attached again to 1 interface" "$T/hup.err" && break; sleep 0.1; done
	grep -q "attached again to 1 interface" "$T/hup.err" && t_ok serve_hup_reattached || t_fail serve_hup_reattached "$(cat "$T/hup.err")"
	kill -0 "$GT_PID" && t_ok serve_hup_keeps_running || { t_fail serve_hup_keeps_running "serve ended"; return; }
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	metrics >"$T/metrics.txt"
	t_eq serve_hup_counts_new_device "$(series gotracer_interface_packets_total 'interface="gt0",direction="out"') $(series gotracer_interface_bytes_total 'interface="gt0",direction="out"')" "3 294"
	gt_stop INT || t_fail serve_hup_stop "serve did not stop"
	gt_attached && t_fail serve_hup_nothing_left "programs left on gt0" || t_ok serve_hup_nothing_left
}

# serve --ipfix --idle-timeout: an ended flow leaves the kernel map and reaches the
# collector while serve runs on; timeout values out of range are usage errors
test_serve_idle_timeout() {
	local rc
	"$GOTRACER" serve -i lo --idle-timeout 5 >/dev/null 2>"$T/to.err"; rc=$?
	t_eq serve_timeout_needs_ipfix "$rc $(cat "$T/to.err")" "2 gotracer: --idle-timeout and --active-timeout go with --ipfix"
	"$GOTRACER" serve -i lo --ipfix 127.0.0.1:9 --active-timeout 0 >/dev/null 2>"$T/to.err"; rc=$?
	t_eq serve_timeout_range "$rc $(cat "$T/to.err")" "2 gotracer: bad --active-timeout '0': seconds from 1 to 86400"
	gt_topology ao || { t_fail serve_idle "no topology"; return; }
	quiet_link
	local ipfix_port=$((PORT + 1))
	collector_start "$ipfix_port" || { t_fail serve_idle "nfcapd did not start"; return; }
	serve_bg idle --account -i gt0 --listen "127.0.0.1:$PORT" --ipfix "127.0.0.1:$ipfix_port" --idle-timeout 1 ||
		{ t_fail serve_idle "did not start: $(cat "$T/idle.err")"; return; }
	wait_http || { t_fail serve_idle "no answer on $PORT"; return; }
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	metrics >"$T/metrics.txt"
	local before=$(awk '$1 == "gotracer_flows_active" {print $2}' "$T/metrics.txt") i
	for i in $(seq 100); do
		metrics >"$T/metrics.txt"
		[ "$(awk '$1 == "gotracer_flows_active" {print $2}' "$T/metrics.txt")" = 0 ] && break
		sleep 0.1
	done
	t_eq serve_idle_flow_retired "$before $(awk '$1 == "gotracer_flows_active" {print $2}' "$T/metrics.txt")" "1 0"
	sleep 1.5	# the export of the retired flow goes out with the next tick
	kill -0 "$GT_PID" && t_ok serve_idle_still_running || t_fail serve_idle_still_running "serve ended"
	collector_flows >"$T/idle.nf"
	t_eq serve_idle_exported "$(awk '$5 == 1 {print $1, $4, $6, $7}' "$T/idle.nf" | sort)" \
		"$(printf '%s 8.0 3 294\n%s 0.0 3 294' "$NETNS_A_IP" "$NETNS_B_IP" | sort)"
	gt_stop INT || t_fail serve_idle_stop "serve did not stop"
}

test_account_metrics
test_serve_sighup
test_app_by_content
test_serve_idle_timeout
t_done
