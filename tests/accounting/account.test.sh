#!/usr/bin/env bash
# Always-on accounting against the truth. Known traffic between two namespaces
# (exactly 1,000,000 bytes over TCP, 100 UDP datagrams of 200 bytes) while
# `gotracer capture --account --ipfix` runs on gt0; then the flow table
# (`flows --json`), `stats --json`, and a real IPFIX collector (nfcapd, read
# back with nfdump) must count exactly what was sent, and the interface
# counters must equal the kernel's own (ip -s link). Accounting sends no event.
# Also: idle flows retired from the kernel map, SIGHUP re-reading the
# configuration, an interface that goes away and comes back, bad input.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start accounting
. tests/netns/capture_lib.sh
. tests/accounting/lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null || ! command -v nfcapd >/dev/null; then
	t_skip accounting "needs root, jq and nfcapd (nfdump)"
	t_done; exit
fi

SIZE=1000000 UDP_N=100 UDP_LEN=200
IPFIX_PORT=$((20000 + $$ % 20000))

test_exact() {
	gt_topology ax || { t_fail exact "no topology"; return; }
	quiet_link
	no_offloads
	collector_start "$IPFIX_PORT" || { t_fail exact "nfcapd did not start: $(cat "$NF_DIR.log")"; return; }
	gt_bg exact capture -i gt0 --account --json --ipfix "127.0.0.1:$IPFIX_PORT" ||
		{ t_fail exact "did not attach: $(cat "$T/exact.err")"; return; }
	local s1 s2 r1 rb1 t1 tb1 r2 rb2 t2 tb2 rx tx
	s1=$(link_stats)
	tcp_transfer 5001 "$SIZE" || { t_fail exact "the TCP transfer failed"; return; }
	udp_burst 5002 "$UDP_N" "$UDP_LEN" || { t_fail exact "the UDP datagrams did not all arrive"; return; }
	in_a "$GOTRACER" flows -i gt0 --json >"$T/exact.flows" 2>"$T/exact.flows.err"
	in_a "$GOTRACER" stats -i gt0 --json >"$T/exact.stats" 2>"$T/exact.stats.err"
	s2=$(link_stats)
	gt_stop INT || { t_fail exact "capture did not stop: $(cat "$T/exact.err")"; return; }
	read -r r1 rb1 t1 tb1 <<<"$s1"
	read -r r2 rb2 t2 tb2 <<<"$s2"
	rx=$((r2 - r1)) tx=$((t2 - t1))

	# the flow table. UDP frames: Ethernet 14 + IPv4 20 + UDP 8 + payload. The link
	# carries only these two conversations, so the kernel's counts are theirs: the
	# TCP bytes each way are ip -s link's minus the UDP datagrams (a retransmitted
	# segment is on the wire twice and counted twice by both). Without one, every
	# frame is 14 + 20 + 32 (TCP with timestamps), SYN and SYN-ACK 8 more.
	local tcp_tx=$((tx - UDP_N)) sp sb dp db udp_bytes=$((UDP_N * (UDP_LEN + 42)))
	read -r sp sb dp db <<<"$(jq -r 'select(.proto == "tcp" and .dport == 5001) |
		"\(.src_packets) \(.src_bytes) \(.dst_packets) \(.dst_bytes)"' "$T/exact.flows")"
	t_eq tcp_flow_sent_bytes "${sb:-}" "$((tb2 - tb1 - udp_bytes))"
	t_eq tcp_flow_reply "${dp:-} ${db:-}" "$rx $((rb2 - rb1))"
	[ "${sb:-0}" -ge "$((SIZE + 74 + 66 * (tcp_tx - 1)))" ] && t_ok tcp_flow_every_byte ||
		t_fail tcp_flow_every_byte "${sb:-} < $SIZE payload + headers of $tcp_tx frames"
	t_eq tcp_flow_state "$(jq -r 'select(.proto == "tcp" and .dport == 5001) | "\(.state) \(.app) \(.encrypted)"' "$T/exact.flows")" "closing tcp false"
	t_eq udp_flow "$(jq -r 'select(.proto == "udp" and .dport == 5002) |
		"\(.src) \(.dst) \(.src_packets) \(.src_bytes) \(.dst_packets)"' "$T/exact.flows")" \
		"$NETNS_A_IP $NETNS_B_IP $UDP_N $((UDP_N * (UDP_LEN + 42))) 0"

	# stats: the kernel's interface counters, no events in accounting mode
	t_eq stats_vs_ip_link "$(jq -r '"\(.in.packets) \(.in.bytes) \(.out.gso_segs) \(.out.bytes)"' "$T/exact.stats")" \
		"$rx $((rb2 - rb1)) $tx $((tb2 - tb1))"
	# packets out are skbs (the device splits them after the hook): the flow's and the interface's agree
	t_eq tcp_flow_sent_packets "${sp:-}" "$(($(jq -r .out.packets "$T/exact.stats") - UDP_N))"
	t_eq stats_no_events "$(jq -r '"\(.in.events) \(.out.events)"' "$T/exact.stats")" "0 0"
	t_eq stats_flows_active "$(jq -r .flows_active "$T/exact.stats")" 2
	t_eq stats_talker "$(jq -r --arg a "$NETNS_A_IP" '.talkers[] | select(.addr == $a) | "\(.tx_bytes) \(.rx_bytes)"' "$T/exact.stats")" \
		"$((sb + UDP_N * (UDP_LEN + 42))) $db"
	t_eq stats_hierarchy "$(jq -r '.protocols.children[0] | "\(.name) \(.bytes) " + ([.children[] | "\(.name)=\(.bytes)"] | sort | join(","))' "$T/exact.stats")" \
		"ipv4 $((sb + db + UDP_N * (UDP_LEN + 42))) tcp=$((sb + db)),udp=$((UDP_N * (UDP_LEN + 42)))"
	t_eq stats_plaintext "$(jq -r '.encrypted | "\(.encrypted_bytes) \(.plaintext_bytes)"' "$T/exact.stats")" \
		"0 $((sb + db + UDP_N * (UDP_LEN + 42)))"
	t_eq stats_top_flow "$(jq -r '.top_flows[] | select(.dport == 5001) | "\(.src) \(.src_bytes) \(.dst_bytes) \(.state)"' "$T/exact.stats")" \
		"$NETNS_A_IP $sb $db closing"
	t_eq capture_summary_no_events "$(jq -r '"\(.in.events) \(.out.events)"' "$T/exact.out")" "0 0"
	# its size histogram: every frame on the wire in one bucket; the 242-byte UDP frames in <=256
	t_eq capture_summary_sizes "$(jq -r '"\((.in.sizes | add) == .in.gso_segs) \((.out.sizes | add) == .out.gso_segs) \(.out.sizes[2] >= '"$UDP_N"')"' "$T/exact.out")" "true true true"

	# IPFIX: the flows arrive at the collector at exit, one record per direction
	local nf
	nf=$(collector_flows)
	echo "$nf" >"$T/exact.nfdump"
	t_eq ipfix_tcp_sent "$(awk -v a="$NETNS_A_IP" '$1 == a && $4 == 5001 && $5 == 6 {print $6, $7}' <<<"$nf")" "$sp $sb"
	t_eq ipfix_tcp_reply "$(awk -v b="$NETNS_B_IP" '$1 == b && $3 == 5001 && $5 == 6 {print $6, $7}' <<<"$nf")" "$dp $db"
	t_eq ipfix_udp "$(awk '$5 == 17 {print $1, $2, $4, $6, $7}' <<<"$nf")" \
		"$NETNS_A_IP $NETNS_B_IP 5002 $UDP_N $((UDP_N * (UDP_LEN + 42)))"
}

test_idle_retired() {
	gt_topology ai || { t_fail idle "no topology"; return; }
	quiet_link
	collector_start "$IPFIX_PORT" || { t_fail idle "nfcapd did not start"; return; }
	gt_bg idle capture -i gt0 --account --ipfix "127.0.0.1:$IPFIX_PORT" --idle-timeout 1 ||
		{ t_fail idle "did not attach: $(cat "$T/idle.err")"; return; }
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	in_a "$GOTRACER" flows -i gt0 --json >"$T/idle.before"
	local i
	for i in $(seq 50); do
		in_a "$GOTRACER" flows -i gt0 --json >"$T/idle.after"
		[ -s "$T/idle.after" ] || break
		sleep 0.1
	done
	t_eq idle_flow_seen "$(jq -r 'select(.proto == "icmp") | .src_packets' "$T/idle.before")" 3
	[ -s "$T/idle.before" ] && ! [ -s "$T/idle.after" ] && t_ok idle_flow_retired_from_kernel ||
		t_fail idle_flow_retired_from_kernel "still in the map: $(cat "$T/idle.after")"
	# the retired flow was exported while gotracer still runs
	sleep 1.5
	kill -0 "$GT_PID" && t_ok idle_still_running || t_fail idle_still_running "gotracer ended"
	collector_flows >"$T/idle.nf"
	t_eq idle_exported "$(cat "$T/idle.nf" | awk '$5 == 1 {print $1, $4, $6, $7}' | sort)" \
		"$(printf '%s 8.0 3 294\n%s 0.0 3 294' "$NETNS_A_IP" "$NETNS_B_IP" | sort)"
	gt_stop INT
}

# a long flow goes out in active-timeout slices that add up to it; IPv6 has its template
test_ipfix_active_and_ipv6() {
	gt_topology a6 || { t_fail active "no topology"; return; }
	collector_start "$IPFIX_PORT" || { t_fail active "nfcapd did not start"; return; }
	gt_bg active capture -i gt0 --account --ipfix "127.0.0.1:$IPFIX_PORT" --active-timeout 1 ||
		{ t_fail active "did not attach: $(cat "$T/active.err")"; return; }
	in_a ping -6 -c 16 -i 0.2 -q "$NETNS_B_IP6" >/dev/null
	in_a "$GOTRACER" flows -i gt0 --json >"$T/active.flows"
	gt_stop INT
	local nf want
	nf=$(collector_flows)
	want=$(jq -r --arg a "$NETNS_A_IP6" 'select(.proto == "icmpv6" and .src == $a and .sport == .dport) | "\(.src_packets) \(.src_bytes)"' "$T/active.flows")
	# ICMP goes out as collectors read it: destination port type.code, 128.0 an echo request
	t_eq ipv6_echo_flow_total "$(awk -v a="$NETNS_A_IP6" '$1 == a && $4 == "128.0" {p += $6; b += $7} END {print p, b}' <<<"$nf")" "${want:-none}"
	[ "${want%% *}" = 16 ] && t_ok ipv6_echo_flow_counted || t_fail ipv6_echo_flow_counted "flow table: '$want'"
	local slices
	slices=$(awk -v a="$NETNS_A_IP6" -v b="$NETNS_B_IP6" '$1 == a && $2 == b && $4 == "128.0"' <<<"$nf" | wc -l)
	[ "$slices" -ge 2 ] && t_ok active_timeout_slices || t_fail active_timeout_slices "$slices record(s) for a 3 s flow with a 1 s active timeout: $nf"
}

# a collector that starts after gotracer learns the templates from their refresh
test_ipfix_template_refresh() {
	gt_topology at || { t_fail refresh "no topology"; return; }
	quiet_link
	gt_bg refresh capture -i gt0 --account --ipfix "127.0.0.1:$IPFIX_PORT" --active-timeout 1 ||
		{ t_fail refresh "did not attach: $(cat "$T/refresh.err")"; return; }
	sleep 1.5	# the templates of the start went nowhere
	collector_start "$IPFIX_PORT" || { t_fail refresh "nfcapd did not start"; return; }
	udp_burst 5003 20 100 || { t_fail refresh "the datagrams did not arrive"; return; }
	sleep 1.5
	gt_stop INT
	t_eq refresh_flow_decoded "$(collector_flows | awk '$5 == 17 && $4 == 5003 {p += $6; b += $7} END {print p, b}')" "20 $((20 * 142))"
}

# more flows than one batch read of the map holds (1024): every one is read once
test_many_flows() {
	gt_topology aw || { t_fail many "no topology"; return; }
	quiet_link
	gt_bg many capture -i gt0 --account || { t_fail many "did not attach"; return; }
	in_a /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for p in range(30000, 33000):
    s.sendto(b"x", ("'"$NETNS_B_IP"'", p))'
	in_a "$GOTRACER" flows -i gt0 --json >"$T/many.flows"
	t_eq many_flows_read "$(jq -r 'select(.proto == "udp") | .dport' "$T/many.flows" | sort -u | wc -l) $(jq -r 'select(.proto == "udp") | .dport' "$T/many.flows" | wc -l)" "3000 3000"
	t_eq many_flows_stats "$(in_a "$GOTRACER" stats -i gt0 --json | jq -r '.protocols.children[0].children[] | select(.name == "udp") | "\(.flows) \(.packets)"')" "3000 3000"
	gt_stop INT
}

test_sighup_reload() {
	gt_topology ah || { t_fail sighup "no topology"; return; }
	echo "interface gt0" >"$T/account.conf"
	gt_bg hup capture --account --config "$T/account.conf" || { t_fail sighup "did not attach: $(cat "$T/hup.err")"; return; }
	in_a "$GOTRACER" flows -i lo -t 1 >/dev/null 2>"$T/hup.lo1"
	grep -q "no gotracer is capturing on lo" "$T/hup.lo1" && t_ok sighup_lo_not_yet || t_fail sighup_lo_not_yet "$(cat "$T/hup.lo1")"
	printf '# reloaded\ninterface gt0\ninterface lo\n' >"$T/account.conf"
	kill -HUP "$GT_PID"
	local i
	for i in $(seq 50); do grep -qs "accounting on 2 interfaces" "$T/hup.err" && break; sleep 0.1; done
	grep -q "SIGHUP: configuration .* read again" "$T/hup.err" && t_ok sighup_logged || t_fail sighup_logged "$(cat "$T/hup.err")"
	kill -0 "$GT_PID" && t_ok sighup_keeps_running || t_fail sighup_keeps_running "gotracer ended on SIGHUP"
	in_a ping -c 2 -i 0.2 -q 127.0.0.1 >/dev/null
	in_a "$GOTRACER" flows -i lo --json >"$T/hup.lo2" 2>"$T/hup.lo2.err"
	# on lo a packet passes egress and ingress, and 127.0.0.1 is both ends: 2 pings, 8 packets
	! grep -q "no gotracer" "$T/hup.lo2.err" && t_eq sighup_lo_counted "$(jq -r 'select(.proto == "icmp") | .src_packets + .dst_packets' "$T/hup.lo2")" 8 ||
		t_fail sighup_lo_counted "$(cat "$T/hup.lo2.err")"
	gt_stop INT
	gt_attached && t_fail sighup_nothing_left "programs left on gt0" || t_ok sighup_nothing_left
}

test_interface_comes_back() {
	gt_topology ab || { t_fail comeback "no topology"; return; }
	quiet_link
	gt_bg back capture -i gt0 --account || { t_fail comeback "did not attach"; return; }
	# down and up: still attached, still counting
	in_a ip link set gt0 down
	in_b ip link set gt1 down
	in_a ip link set gt0 up
	in_b ip link set gt1 up
	in_a ip route replace default via "$NETNS_B_IP" dev gt0
	sleep 0.5
	in_a ping -c 2 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	t_eq downup_counted "$(in_a "$GOTRACER" flows -i gt0 --json 2>/dev/null | jq -r 'select(.proto == "icmp") | .src_packets')" 2
	# gone and back as a new device (new ifindex): attached again, counting again
	local old new i
	old=$(in_a cat /sys/class/net/gt0/ifindex)
	in_a ip link del gt0
	for i in $(seq 30); do grep -qs "gt0 went away" "$T/back.err" && break; sleep 0.1; done
	grep -q "gt0 went away" "$T/back.err" && t_ok gone_logged || t_fail gone_logged "$(cat "$T/back.err")"
	ip link add gt0 netns "$NETNS_P-a" address "$NETNS_A_MAC" type veth peer name gt1 netns "$NETNS_P-b" address "$NETNS_B_MAC"
	in_a ip addr add "$NETNS_A_IP/24" dev gt0
	in_b ip addr add "$NETNS_B_IP/24" dev gt1
	in_a ip link set gt0 up
	in_b ip link set gt1 up
	quiet_link
	new=$(in_a cat /sys/class/net/gt0/ifindex)
	for i in $(seq 50); do grep -qs "gt0 is back" "$T/back.err" && break; sleep 0.1; done
	for i in $(seq 50); do in_a tc filter show dev gt0 egress | grep -q . && break; sleep 0.1; done
	[ "$old" != "$new" ] && grep -q "gt0 is back (index $new): attaching again" "$T/back.err" &&
		t_ok back_reattached || t_fail back_reattached "old $old new $new: $(cat "$T/back.err")"
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	t_eq back_counted "$(in_a "$GOTRACER" flows -i gt0 --json 2>/dev/null | jq -r 'select(.proto == "icmp") | "\(.src_packets) \(.dst_packets)"')" "3 3"
	gt_stop INT || t_fail back_stop "did not stop cleanly"
	gt_attached && t_fail back_nothing_left "programs left on gt0" || t_ok back_nothing_left
}

test_errors() {
	local err rc
	err=$("$GOTRACER" stats 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$err" = "gotracer: stats needs an interface: gotracer stats -i IF" ] && t_ok stats_needs_iface || t_fail stats_needs_iface "rc=$rc '$err'"
	err=$("$GOTRACER" stats -i nosuch0 2>&1); rc=$?
	[ $rc -ne 0 ] && [ "$err" = "gotracer: no such interface 'nosuch0'" ] && t_ok stats_unknown_iface || t_fail stats_unknown_iface "rc=$rc '$err'"
	err=$("$GOTRACER" stats -i lo -t 0 2>&1); rc=$?
	[ $rc -eq 2 ] && [[ $err == "gotracer: bad time '0'"* ]] && t_ok stats_bad_time || t_fail stats_bad_time "rc=$rc '$err'"
	err=$("$GOTRACER" flows -i lo --sort size 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$err" = "gotracer: bad sort 'size': bytes, packets or rate" ] && t_ok flows_bad_sort || t_fail flows_bad_sort "rc=$rc '$err'"
	err=$("$GOTRACER" capture -i lo --ipfix 127.0.0.1:4739 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$err" = "gotracer: --ipfix, --config and the timeouts go with --account" ] && t_ok ipfix_needs_account || t_fail ipfix_needs_account "rc=$rc '$err'"
	err=$("$GOTRACER" capture -i lo --account --ipfix nowhere 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$err" = "gotracer: bad --ipfix 'nowhere': give HOST:PORT, e.g. 127.0.0.1:4739" ] && t_ok ipfix_bad_dest || t_fail ipfix_bad_dest "rc=$rc '$err'"
	err=$("$GOTRACER" capture --account --config /nonexistent.conf 2>&1); rc=$?
	[ $rc -eq 2 ] && [[ $err == "gotracer: cannot read the configuration /nonexistent.conf: "* ]] && t_ok config_missing || t_fail config_missing "rc=$rc '$err'"
}

# the systemd unit is valid (with the binary under test in place of the installed one)
test_service_unit() {
	command -v systemd-analyze >/dev/null || { t_skip service_unit "no systemd-analyze"; return; }
	local bin out
	bin=$(readlink -f "$GOTRACER")
	sed "s|/usr/local/bin/gotracer|$bin|" scripts/gotracer-account.service >"$T/gotracer-account.service"
	out=$(systemd-analyze verify "$T/gotracer-account.service" 2>&1)
	[ -z "$out" ] && t_ok service_unit_valid || t_fail service_unit_valid "$out"
	grep -q '^ExecReload=/bin/kill -HUP $MAINPID$' scripts/gotracer-account.service && t_ok service_reload_is_sighup ||
		t_fail service_reload_is_sighup "no SIGHUP reload"
}

test_exact
test_idle_retired
test_ipfix_active_and_ipv6
test_ipfix_template_refresh
test_many_flows
test_sighup_reload
test_interface_comes_back
test_errors
test_service_unit
t_done
