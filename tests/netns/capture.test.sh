#!/usr/bin/env bash
# gotracer capture on a veth in a namespace: real ping, UDP and TCP between two
# namespaces; the JSON lines carry the right direction, addresses, ports and
# lengths; text lines, -c, the kernel filter and the summary; clear errors.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start capture
. tests/netns/capture_lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null; then
	t_skip capture "needs root and jq"
	t_done; exit
fi

test_ping_directions() {
	gt_topology cp || { t_fail ping_directions "no topology"; return; }
	gt_bg ping capture -i gt0 --json -c 4 icmp || { t_fail ping_directions "did not attach: $(cat "$T/ping.err")"; return; }
	in_a ping -c 2 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 || { t_fail ping_directions "capture -c 4 did not end: $(cat "$T/ping.err")"; return; }
	local out=$T/ping.out
	t_eq ping_count "$(wc -l <"$out")" 4
	# echo requests leave gt0 (out), replies arrive (in)
	t_eq ping_request_out "$(jq -r 'select(.layers.icmp["icmp.type"] == "8") | .dir' "$out" | sort -u)" out
	t_eq ping_reply_in "$(jq -r 'select(.layers.icmp["icmp.type"] == "0") | .dir' "$out" | sort -u)" in
	t_eq ping_request_addrs "$(jq -r 'select(.dir == "out") | .layers.ip["ip.src"] + ">" + .layers.ip["ip.dst"]' "$out" | sort -u)" "$NETNS_A_IP>$NETNS_B_IP"
	t_eq ping_lengths "$(jq -r '"\(.len) \(.caplen) \(.iface) \(.proto)"' "$out" | sort -u)" "98 98 gt0 icmp"
	t_eq ping_numbers "$(jq -r .no "$out" | tr '\n' ' ')" "1 2 3 4 "
	# ts is epoch seconds with microseconds, close to now
	local now ts
	now=$(date +%s)
	# read the text, not jq's double: the six digits are the format
	ts=$(head -1 "$out" | grep -oE '"ts":[^,]*' | cut -d: -f2)
	if [[ $ts =~ ^[0-9]+\.[0-9]{6}$ ]] && [ $((now - ${ts%.*})) -lt 60 ] && [ $((now - ${ts%.*})) -ge 0 ]; then
		t_ok ping_timestamp
	else
		t_fail ping_timestamp "ts '$ts' is not realtime seconds.micro near $now"
	fi
	grep -q '^4 packets captured$' "$T/ping.err" && t_ok ping_summary || t_fail ping_summary "$(cat "$T/ping.err")"
}

test_ping6_directions() {
	gt_topology c6 || { t_fail ping6 "no topology"; return; }
	# neighbour discovery comes along: capture until stopped, then pick the echoes
	gt_bg ping6 capture -i gt0 --json icmp6 || { t_fail ping6 "did not attach"; return; }
	in_a ping -6 -c 1 -q "$NETNS_B_IP6" >/dev/null
	sleep 0.3
	gt_stop INT || { t_fail ping6 "capture did not stop"; return; }
	t_eq ping6_request_out "$(jq -r 'select(.layers.icmpv6["icmpv6.type"] == "128") | "\(.dir) \(.layers.ipv6["ipv6.src"]) \(.len)"' "$T/ping6.out")" "out $NETNS_A_IP6 118"
	t_eq ping6_reply_in "$(jq -r 'select(.layers.icmpv6["icmpv6.type"] == "129") | "\(.dir) \(.layers.ipv6["ipv6.src"])"' "$T/ping6.out")" "in $NETNS_B_IP6"
}

test_udp_exchange() {
	gt_topology cu || { t_fail udp "no topology"; return; }
	gt_bg udp capture -i gt0 --json -c 2 udp port 7000 || { t_fail udp "did not attach: $(cat "$T/udp.err")"; return; }
	udp_echo_server 7000
	wait_port 7000 u
	t_eq udp_answer "$(udp_send 7000 hello)" HELLO
	gt_wait 10 || { t_fail udp "capture did not end"; return; }
	local out=$T/udp.out
	t_eq udp_query "$(jq -r 'select(.dir == "out") | [.layers.udp["udp.dstport"], .layers.ip["ip.dst"], .len] | @tsv' "$out")" "$(printf '7000\t%s\t47' "$NETNS_B_IP")"
	t_eq udp_answer_in "$(jq -r 'select(.dir == "in") | [.layers.udp["udp.srcport"], .layers.ip["ip.src"], .layers.udp["udp.length"]] | @tsv' "$out")" "$(printf '7000\t%s\t13' "$NETNS_B_IP")"
	# repeated fields are arrays (tshark -T json style)
	t_eq udp_port_array "$(jq -r '.layers.udp["udp.port"] | type' "$out" | sort -u)" array
	t_eq udp_eth_src "$(jq -r 'select(.dir == "out") | .layers.eth["eth.src"]' "$out")" "$NETNS_A_MAC"
}

test_text_lines() {
	gt_topology ct || { t_fail text "no topology"; return; }
	gt_bg text capture -i gt0 -c 2 icmp || { t_fail text "did not attach"; return; }
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 || { t_fail text "capture did not end"; return; }
	# "15:04:05.123456 gt0 out IP 10.200.0.1 > 10.200.0.2: ICMP ..., length 98"
	local re="^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} gt0 out IP $NETNS_A_IP > $NETNS_B_IP: ICMP .*, length 98$"
	head -1 "$T/text.out" | grep -Eq "$re" && t_ok text_line_out || t_fail text_line_out "$(head -1 "$T/text.out")"
	sed -n 2p "$T/text.out" | grep -Eq "gt0 in  IP $NETNS_B_IP > $NETNS_A_IP: ICMP" && t_ok text_line_in || t_fail text_line_in "$(sed -n 2p "$T/text.out")"
}

# 'not' has no kernel rule: the capture says every packet comes up, and userspace
# still applies the whole expression
test_filter_userspace_only() {
	gt_topology cn || { t_fail userspace_filter "no topology"; return; }
	gt_bg unot capture -i gt0 -c 2 'not arp and not ip6' || { t_fail userspace_filter "did not attach"; return; }
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 || { t_fail userspace_filter "capture did not end"; return; }
	grep -q "the kernel cannot express filter 'not arp and not ip6': every packet comes up and userspace applies it" \
		"$T/unot.err" && t_ok userspace_filter_said || t_fail userspace_filter_said "$(cat "$T/unot.err")"
	t_eq "userspace filter: only the echo request and reply" "$(grep -c ' ICMP Echo' "$T/unot.out")" 2
}

test_tcp_transfer() {
	gt_topology cc || { t_fail tcp "no topology"; return; }
	gt_bg tcp capture -i gt0 --json tcp port 5001 || { t_fail tcp "did not attach"; return; }
	tcp_sink 5001 >"$T/tcp.sink" &
	local sink=$!
	wait_port 5001 t
	tcp_send 5001 100000
	wait $sink
	t_eq tcp_sink_bytes "$(cat "$T/tcp.sink")" 100000
	sleep 0.3
	gt_stop INT || { t_fail tcp "capture did not stop cleanly: $(cat "$T/tcp.err")"; return; }
	local out=$T/tcp.out
	# the handshake: SYN out, SYN-ACK in (tcp.flags as Wireshark writes them)
	t_eq tcp_syn_out "$(jq -r 'select(.layers.tcp["tcp.flags"] == "0x0002") | .dir' "$out" | head -1)" out
	t_eq tcp_synack_in "$(jq -r 'select(.layers.tcp["tcp.flags"] == "0x0012") | .dir' "$out" | head -1)" in
	# every payload byte the client sent is in a captured segment (GSO packets: tcp.len covers them)
	t_eq tcp_payload_sum "$(jq -s '[.[] | select(.dir == "out") | .layers.tcp["tcp.len"] // "0" | tonumber] | add' "$out")" 100000
	t_eq tcp_no_drops "$(grep 'dropped by kernel' "$T/tcp.err")" "0 packets dropped by kernel"
}

test_filter_in_kernel() {
	gt_topology cf || { t_fail filter "no topology"; return; }
	gt_bg filt capture -i gt0 --json -c 1 udp port 7001 || { t_fail filter "did not attach"; return; }
	in_a ping -c 3 -i 0.2 -q "$NETNS_B_IP" >/dev/null
	udp_echo_server 7001
	wait_port 7001 u
	udp_send 7001 x >/dev/null
	gt_wait 10 || { t_fail filter "capture did not end"; return; }
	t_eq filter_only_udp "$(jq -r '.layers.udp["udp.dstport"]' "$T/filt.out")" 7001
	local f
	f=$(sed -nE 's/^([0-9]+) packets filtered by kernel$/\1/p' "$T/filt.err")
	[ "${f:-0}" -ge 6 ] && t_ok filter_kernel_counted || t_fail filter_kernel_counted "pings not filtered in the kernel: $(cat "$T/filt.err")"
}

test_snaplen() {
	gt_topology cs || { t_fail snaplen "no topology"; return; }
	gt_bg snap capture -i gt0 --json -c 1 -s 60 icmp || { t_fail snaplen "did not attach"; return; }
	in_a ping -c 1 -s 1000 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 || { t_fail snaplen "capture did not end"; return; }
	t_eq snaplen_caplen "$(jq -r '"\(.len) \(.caplen)"' "$T/snap.out")" "1042 60"
}

test_tshark_agrees() {
	command -v tshark >/dev/null || { t_skip tshark_agrees "no tshark"; return; }
	gt_topology ck || { t_fail tshark "no topology"; return; }
	gt_bg ref capture -i gt0 --json -c 4 -w "$T/ref.pcapng" icmp or udp port 7002 ||
		{ t_fail tshark "did not attach: $(cat "$T/ref.err")"; return; }
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	udp_echo_server 7002
	wait_port 7002 u
	udp_send 7002 reference >/dev/null
	gt_wait 10 || { t_fail tshark "capture did not end"; return; }
	# the same frames through tshark: every field we print must read the same
	local f ours theirs bad=
	for f in eth.src eth.dst eth.type ip.src ip.dst ip.ttl ip.id ip.len ip.proto ip.flags.df \
		udp.srcport udp.dstport udp.length icmp.type icmp.code icmp.seq; do
		ours=$(jq -r --arg f "$f" '[.layers[] | objects | .[$f] // empty] | first // "" |
			if type == "array" then join(",") else . end' "$T/ref.out")
		theirs=$(tshark -r "$T/ref.pcapng" -T fields -E occurrence=a -E separator=, -e "$f" 2>/dev/null)
		[ "$ours" = "$theirs" ] || bad+=" $f (ours '${ours//$'\n'/|}', tshark '${theirs//$'\n'/|}')"
	done
	[ -z "$bad" ] && [ "$(jq -r '.layers.ip["ip.id"]' "$T/ref.out" | sort -u | wc -l)" -ge 2 ] && t_ok tshark_fields_agree || t_fail tshark_fields_agree "differ:$bad"
	t_eq tshark_frame_len "$(jq -r .len "$T/ref.out" | tr '\n' ' ')" "$(tshark -r "$T/ref.pcapng" -T fields -e frame.len 2>/dev/null | tr '\n' ' ')"
}

test_two_interfaces() {
	gt_topology c2i || { t_fail two_ifaces "no topology"; return; }
	gt_bg two capture -i gt0 -i lo --json icmp || { t_fail two_ifaces "did not attach: $(cat "$T/two.err")"; return; }
	grep -q "lo: ingress on tc" "$T/two.err" && t_ok two_ifaces_both_attached || t_fail two_ifaces_both_attached "$(cat "$T/two.err")"
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	in_a ping -c 1 -q 127.0.0.1 >/dev/null
	sleep 0.3
	# one map for both interfaces; flows -i shows only that interface's flows
	t_eq two_ifaces_flows_gt0 "$(in_a "$GOTRACER" flows -i gt0 --json | jq -r 'select(.proto == "icmp") | .dst')" "$NETNS_B_IP"
	t_eq two_ifaces_flows_lo "$(in_a "$GOTRACER" flows -i lo --json | jq -r 'select(.proto == "icmp") | .dst')" 127.0.0.1
	gt_stop INT || { t_fail two_ifaces "did not stop"; return; }
	# gt0: request out, reply in; lo: each of the two leaves and arrives
	t_eq two_ifaces_gt0 "$(jq -r 'select(.iface == "gt0") | .dir' "$T/two.out" | sort | tr '\n' ' ')" "in out "
	t_eq two_ifaces_lo "$(jq -r 'select(.iface == "lo") | .dir' "$T/two.out" | sort | tr '\n' ' ')" "in in out out "
	in_a tc filter show dev lo egress | grep -q . && t_fail two_ifaces_lo_detached "left on lo" || t_ok two_ifaces_lo_detached
}

test_drops_counted() {
	gt_topology cd || { t_fail drops "no topology"; return; }
	quiet_link
	# a reader that stalls: the ring buffer fills and the kernel must count what it drops
	( ip netns exec "$NETNS_P-a" "$GOTRACER" capture -i gt0 -s 65535 2>"$T/drop.err" |
		(sleep 3; cat >/dev/null) ) &
	local sub=$! i
	for i in $(seq 100); do grep -qs "egress on tc" "$T/drop.err" && break; sleep 0.1; done
	GT_PID=$(gt_pid_in_a) || { t_fail drops "did not start: $(cat "$T/drop.err")"; return; }
	tcp_sink 5003 >/dev/null &
	wait_port 5003 t
	tcp_send 5003 50000000
	# let the reader wake up and the capture drain the ring before stopping it
	sleep 5
	gt_stop INT
	wait $sub
	local captured seen dropped
	captured=$(sed -nE 's/^([0-9]+) packets captured$/\1/p' "$T/drop.err")
	seen=$(sed -nE 's/^([0-9]+) packets seen by the kernel$/\1/p' "$T/drop.err")
	dropped=$(sed -nE 's/^([0-9]+) packets dropped by kernel$/\1/p' "$T/drop.err")
	echo "    drops: ${captured:-?} captured + ${dropped:-?} dropped of ${seen:-?} seen"
	[ "${dropped:-0}" -gt 0 ] && t_ok drops_happened || t_fail drops_happened "$(cat "$T/drop.err")"
	# every packet the kernel saw was either delivered or counted as dropped
	t_eq drops_accounted "$((${captured:-0} + ${dropped:-0}))" "${seen:-x}"
}

test_errors() {
	gt_topology ce || { t_fail errors "no topology"; return; }
	local err rc
	err=$(in_a "$GOTRACER" capture -i nosuch0 2>&1); rc=$?
	[ $rc -ne 0 ] && [ "$err" = "gotracer: no such interface 'nosuch0'" ] && t_ok error_unknown_iface || t_fail error_unknown_iface "rc=$rc '$err'"
	for bad in "-c 0" "-c x" "-s 0" "-s 70000" "--hook bogus"; do
		# shellcheck disable=SC2086
		err=$(in_a "$GOTRACER" capture -i gt0 $bad 2>&1); rc=$?
		[ $rc -eq 2 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] && [[ $err == gotracer:\ bad* ]] &&
			t_ok "error_option ${bad// /_}" || t_fail "error_option ${bad// /_}" "rc=$rc '$err'"
	done
	err=$(in_a "$GOTRACER" capture -i gt0 'port port' 2>&1); rc=$?
	[ $rc -ne 0 ] && [ "$(echo "$err" | grep -c .)" -ge 1 ] && [[ $err == *"bad filter"* ]] && t_ok error_bad_filter || t_fail error_bad_filter "rc=$rc '$err'"
	gt_attached && t_fail error_left_nothing "programs left after a bad filter" || t_ok error_left_nothing
	err=$(in_a "$GOTRACER" capture 2>&1); rc=$?
	[ $rc -eq 2 ] && t_ok error_no_iface || t_fail error_no_iface "rc=$rc '$err'"
	# privilege: drop the BPF capabilities from the bounding set, root then lacks them
	err=$(in_a setpriv --bounding-set=-bpf,-perfmon,-sys_admin "$GOTRACER" capture -i gt0 2>&1); rc=$?
	[ $rc -ne 0 ] && [[ $err == *"missing CAP_BPF, CAP_PERFMON"* ]] && t_ok error_privilege || t_fail error_privilege "rc=$rc '$err'"
	# a kernel without BTF: hide /sys/kernel/btf in a private mount namespace
	err=$(in_a unshare -m sh -c "mount -t tmpfs none /sys/kernel/btf && exec $GOTRACER capture -i gt0" 2>&1); rc=$?
	[ $rc -ne 0 ] && [[ $err == "gotracer: this kernel exposes no BTF"* ]] && t_ok error_no_btf || t_fail error_no_btf "rc=$rc '$err'"
	err=$(in_a setpriv --bounding-set=-net_admin "$GOTRACER" capture -i gt0 2>&1); rc=$?
	[ $rc -ne 0 ] && [[ $err == *"missing CAP_NET_ADMIN"* ]] && t_ok error_privilege_net_admin || t_fail error_privilege_net_admin "rc=$rc '$err'"
}

test_second_instance() {
	gt_topology c2 || { t_fail second "no topology"; return; }
	gt_bg first capture -i gt0 --account || { t_fail second "first did not attach"; return; }
	local err rc
	err=$(in_a "$GOTRACER" capture -i gt0 -c 1 2>&1); rc=$?
	[ $rc -ne 0 ] && [ "$err" = "gotracer: gt0 is already captured by another gotracer (pid $GT_PID); stop it first" ] &&
		t_ok second_refused || t_fail second_refused "rc=$rc '$err'"
	gt_attached && t_ok second_left_first_alone || t_fail second_left_first_alone "the refused instance removed the first one's programs"
	gt_stop INT && t_ok second_first_stops || t_fail second_first_stops "$(cat "$T/first.err")"
	gt_attached && t_fail second_detached "programs left on gt0" || t_ok second_detached
}

test_ping_directions
test_ping6_directions
test_udp_exchange
test_text_lines
test_filter_userspace_only
test_tcp_transfer
test_filter_in_kernel
test_snaplen
test_tshark_agrees
test_two_interfaces
test_drops_counted
test_errors
test_second_instance
t_done
