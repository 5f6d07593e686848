#!/usr/bin/env bash
# gotracer serve end to end: the server captures on a veth in namespace A, real
# traffic comes from namespace B, and Node WebSocket clients (tests/server/
# client.mjs) run inside A as a browser would. tshark is the reference for the
# pcapng download and the detail fields.
set -u
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
source scripts/netns.sh
t_start "${GT_SUITE:-server-serve}"

CLIENT=tests/server/client.mjs
P=gtsrv$$
work=$(mktemp -d)
t_on_exit rm -rf "$work"
SRV_PID=

if [ ! -x "$GOTRACER" ] || ! command -v node >/dev/null || [ ! -d tests/node/node_modules/ws ] ||
	! command -v tshark >/dev/null || ! command -v jq >/dev/null; then
	t_skip "serve" "needs $GOTRACER, node with tests/node/node_modules (make test runs npm ci), tshark, jq"
	t_done; exit $?
fi
t_on_exit netns_teardown "$P"
netns_pair "$P" || { t_fail "topology" "netns_pair failed"; t_done; exit 1; }

PORT=$((20000 + RANDOM % 20000))

# start_server LOG ARGS...: gotracer serve in A; waits for its URL line
start_server() {
	local log=$1; shift
	# not through in_a: $! must be gotracer itself (ip netns exec execs it)
	ip netns exec "$P-a" "$GOTRACER" serve -i "$NETNS_A_IF" "$@" >"$log" 2>&1 &
	SRV_PID=$!
	t_on_exit "kill -9 $SRV_PID"
	for _ in $(seq 100); do
		grep -q 'serving on' "$log" && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "server did not start: $(cat "$log")" >&2
	return 1
}

stop_server() {
	[ -n "$SRV_PID" ] || return 0
	kill -TERM "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=
}

client() { in_a env GT_WS="ws://127.0.0.1:$PORT/ws" node "$CLIENT" "$@"; }
api() { in_a curl -s "http://127.0.0.1:$PORT$1"; }
jqe() { jq -e "$@" >/dev/null; }

test_hello() {
	local out
	out=$(client hello)
	t_eq "hello: protocol version" "$(jq -r .hello.protocol <<<"$out")" 1
	t_eq "hello: ping tool listed" "$(jq -r '.hello.capabilities.tools | index("ping") != null' <<<"$out")" true
	t_eq "hello: capturing on $NETNS_A_IF" \
		"$(jq -r --arg i "$NETNS_A_IF" '.hello.interfaces[] | select(.name == $i) | .capturing' <<<"$out")" true
	t_eq "hello: capture running" "$(jq -r .hello.capture.running <<<"$out")" true
	t_eq "hello: veth address listed" \
		"$(jq -r --arg i "$NETNS_A_IF" '.hello.interfaces[] | select(.name == $i) | .addresses | index("10.200.0.1/24") != null' <<<"$out")" true
}

test_stream() {
	local out
	in_b ping -c 30 -i 0.1 -q "$NETNS_A_IP" >/dev/null &
	local ppid=$!
	out=$(client stream 40)
	wait "$ppid"
	t_eq "stream: batches carry consecutive numbers" "$(jq -r .consecutive <<<"$out")" true
	t_eq "stream: no gaps between batches" "$(jq -r .gaps <<<"$out")" 0
	t_eq "stream: no packet unaccounted for" "$(jq -r .unexplained <<<"$out")" 0
	t_check "stream: at least 40 packets ($(jq -r .received <<<"$out"))" \
		test "$(jq -r .received <<<"$out")" -ge 40
	t_check "stream: stats count the veth's incoming packets" \
		test "$(jq -r --arg i "$NETNS_A_IF" '.stats.interfaces[] | select(.name == $i) | .in.packets' <<<"$out")" -ge 20
	t_check "stats: ICMP among the protocols" \
		jqe '.stats.protocols | map(.name) | index("ICMP") != null' <<<"$out"
	t_check "stats: a conversation with B from the flow map" \
		jqe --arg b "$NETNS_B_IP" '.stats.conversations | map(select(.a == $b or .b == $b)) | length > 0' <<<"$out"
}

# The detail of an echo request equals tshark's reading of the same packet in the
# downloaded pcapng, and `gotracer read --json`'s layers for it.
test_detail() {
	local no out file=$work/detail.pcapng n_tshark
	in_b ping -c 2 -q "$NETNS_A_IP" >/dev/null
	no=$(api "/api/packets?from=1&count=1000" |
		jq -r '[.packets[] | select(.proto == "ICMP" and .dir == "in")][0].no')
	out=$(client detail "$no")
	t_eq "detail: reply to get_detail $no" "$(jq -r .detail.no <<<"$out")" "$no"
	t_check "detail: an evicted/unknown packet is an error" jqe '.error.reason | test("not in the store")' <<<"$out"
	t_check "detail: tree with byte ranges" \
		jqe '.detail.tree | map(select(.name == "ip"))[0] | .off == 14 and .len == 20 and (.children | length) > 0' <<<"$out"
	t_eq "detail: bytes are the frame" "$(jq -r .detail.bytes <<<"$out" | base64 -d | wc -c)" \
		"$(jq -r .detail.caplen <<<"$out")"
	in_a curl -s -o "$file" "http://127.0.0.1:$PORT/capture.pcapng"
	n_tshark=$(tshark -r "$file" -Y "frame.number == $no" -T fields -e ip.src -e ip.dst -e icmp.type -e icmp.seq 2>/dev/null)
	t_eq "detail: ip/icmp fields equal tshark's" \
		"$(jq -r '.detail.layers | [.ip["ip.src"], .ip["ip.dst"], .icmp["icmp.type"], .icmp["icmp.seq"]] | @tsv' <<<"$out")" \
		"$n_tshark"
	if "$GOTRACER" read "$file" --json >"$work/read.json" 2>"$work/read.err"; then
		t_eq "detail: layers equal gotracer read --json" \
			"$(jq -S -c --argjson n "$no" 'select(.no == $n) | .layers' "$work/read.json")" \
			"$(jq -S -c .detail.layers <<<"$out")"
	else
		t_skip "detail: layers equal gotracer read --json" "read: $(head -1 "$work/read.err")"
	fi
}

test_pcapng() {
	local out n file=$work/all.pcapng
	out=$(client control '{"type":"stop"}')
	t_eq "stop: every client sees running=false" "$(jq -r .state.running <<<"$out")" false
	n=$(api /api/hello | jq -r .store.packets)
	in_a curl -s -o "$file" "http://127.0.0.1:$PORT/capture.pcapng"
	t_eq "pcapng: tshark reads as many packets as the store holds" \
		"$(tshark -r "$file" 2>/dev/null | wc -l)" "$n"
	t_eq "pcapng: an interface statistics block for the veth" \
		"$(capinfos -M "$file" 2>/dev/null | grep -c 'Number of stat entries = 1')" 1
	t_eq "pcapng: tshark reads it without complaint" "$(tshark -r "$file" 2>&1 >/dev/null | grep -v 'Running as user' | wc -l)" 0
	in_a curl -s -o "$work/icmp.pcapng" "http://127.0.0.1:$PORT/capture.pcapng?filter=icmp"
	t_eq "pcapng: ?filter=icmp holds the ICMP packets only" \
		"$(tshark -r "$work/icmp.pcapng" 2>/dev/null | wc -l)" \
		"$(tshark -r "$file" -Y 'icmp && !icmpv6' 2>/dev/null | wc -l)"
	in_a curl -s -o "$work/src.pcapng" "http://127.0.0.1:$PORT/capture.pcapng?filter=icmp%20and%20src%20host%20$NETNS_B_IP"
	t_eq "pcapng: a URL-encoded filter with spaces" \
		"$(tshark -r "$work/src.pcapng" 2>/dev/null | wc -l)" \
		"$(tshark -r "$file" -Y "icmp && !icmpv6 && ip.src == $NETNS_B_IP" 2>/dev/null | wc -l)"
	t_check "pcapng: ... which matches some packets" test "$(tshark -r "$work/src.pcapng" 2>/dev/null | wc -l)" -gt 0
	t_eq "pcapng: a bad filter is 400" \
		"$(in_a curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/capture.pcapng?filter=port%20bogus")" 400
	out=$(client control '{"type":"start"}')
	t_eq "start: every client sees running=true" "$(jq -r .state.running <<<"$out")" true
}

test_filter_change() {
	local out
	client filter "udp port 7777" 4 >"$work/filter.out" &
	local cpid=$!
	for _ in $(seq 50); do grep -qs ready "$work/filter.out" && break; sleep 0.1; done
	in_b ping -c 5 -i 0.2 -q "$NETNS_A_IP" >/dev/null
	for i in 1 2 3 4 5; do in_b bash -c "echo hello$i > /dev/udp/$NETNS_A_IP/7777"; sleep 0.1; done
	wait "$cpid"
	out=$(tail -1 "$work/filter.out")
	t_eq "filter: capture_state carries the new filter" "$(jq -r .state.filter <<<"$out")" "udp port 7777"
	t_check "filter: the UDP datagrams arrive ($(jq -r .count <<<"$out"))" test "$(jq -r .count <<<"$out")" -ge 5
	t_eq "filter: only matching packets after the change" "$(jq -c .protos <<<"$out")" '["UDP"]'
	out=$(client control '{"type":"set_capture","filter":"port bogus"}')
	t_check "filter: a bad filter is refused with a reason" jqe '.error.reason | test("bad filter")' <<<"$out"
	t_eq "filter: and the old one stays" "$(jq -r .state.filter <<<"$out")" "udp port 7777"
	client control '{"type":"set_capture","filter":""}' >/dev/null
}

test_capture_controls() {
	local out
	out=$(client control '{"type":"set_capture","snaplen":128,"account":false}')
	t_eq "set_capture: snaplen broadcast" "$(jq -r .state.snaplen <<<"$out")" 128
	in_b ping -c 2 -s 1000 -q "$NETNS_A_IP" >/dev/null
	sleep 0.3
	t_eq "set_capture: big packets are cut at the snap length" \
		"$(api "/api/packets?from=1&count=1000" | jq '[.packets[] | select(.len > 1000) | .caplen] | max')" 128
	out=$(client control '{"type":"set_capture","interfaces":["nosuch0"]}')
	t_check "set_capture: unknown interface refused" jqe '.error.reason | test("unknown interface")' <<<"$out"
	t_eq "set_capture: old interfaces kept" "$(jq -c .state.interfaces <<<"$out")" "[\"$NETNS_A_IF\"]"
	out=$(client control '{"type":"set_capture","interfaces":["lo","'"$NETNS_A_IF"'"],"snaplen":2048}')
	t_eq "set_capture: new interfaces attached" "$(jq -c .state.interfaces <<<"$out")" "[\"lo\",\"$NETNS_A_IF\"]"
	t_eq "set_capture: running on them" "$(jq -r .state.running <<<"$out")" true
	out=$(client control '{"type":"set_capture","interfaces":["'"$NETNS_A_IF"'"]}')
	t_eq "set_capture: back to one interface" "$(jq -c .state.interfaces <<<"$out")" "[\"$NETNS_A_IF\"]"
}

test_origin() {
	t_eq "origin: a foreign page is refused (403)" "$(client origin http://evil.example | jq -r .status)" 403
	t_eq "origin: a foreign port is refused (403)" \
		"$(client origin "http://127.0.0.1:$((PORT + 1))" | jq -r .status)" 403
	t_eq "origin: the server's own origin connects" "$(client origin "http://127.0.0.1:$PORT" | jq -r .status)" 101
	t_eq "origin: its localhost form connects" "$(client origin "http://localhost:$PORT" | jq -r .status)" 101
}

test_garbage() {
	local out
	in_b ping -c 20 -i 0.2 -q "$NETNS_A_IP" >/dev/null &
	local ppid=$!
	out=$(client garbage 1000)
	wait "$ppid"
	t_eq "garbage: one error per bad message" "$(jq -r .errors <<<"$out")" 1000
	t_eq "garbage: the sender stays connected" "$(jq -r .bad_open <<<"$out")" true
	t_check "garbage: errors say what was wrong" \
		jqe '.reasons | any(test("over the N-byte limit")) and any(test("not valid JSON")) and any(test("unknown message type"))' <<<"$out"
	t_eq "garbage: nothing changed the capture" "$(jq -r .state_changes <<<"$out")" 0
	t_eq "garbage: the other client is answered" "$(jq -r .flows <<<"$out")" flows
	t_eq "garbage: the other client lost nothing" "$(jq -r '.good_accounting.unexplained + .good_accounting.lost' <<<"$out")" 0
	t_eq "garbage: the server still serves HTTP" "$(api /api/hello | jq -r .type)" hello
}

# One client stops reading during a burst: it loses batches (and is told exactly
# which), the other client and the capture carry on. Small TCP buffers in A make
# the stall show after a few hundred KiB instead of megabytes of socket buffer.
test_stall() {
	local out flag=$work/stall.flag last
	rm -f "$flag"
	in_a sysctl -qw net.ipv4.tcp_rmem="4096 16384 65536" net.ipv4.tcp_wmem="4096 16384 65536"
	client stall "$flag" >"$work/stall.out" &
	local cpid=$!
	for _ in $(seq 50); do grep -qs ready "$work/stall.out" && break; sleep 0.1; done
	in_b ping -i 0.002 -c 3000 -q "$NETNS_A_IP" >/dev/null
	sleep 0.5
	last=$(api /api/hello | jq -r .store.last_no)
	echo "$last" >"$flag"
	wait "$cpid"
	out=$(tail -1 "$work/stall.out")
	t_eq "stall: client ran" "$(jq -r .ok <<<"$out")" true
	t_check "stall: the reading client got the burst ($(jq -r .fast.received <<<"$out"))" \
		test "$(jq -r .fast.received <<<"$out")" -ge 6000
	t_eq "stall: the reading client lost nothing" "$(jq -r '.fast.lost + .fast.unexplained + .fast.gaps' <<<"$out")" 0
	t_check "stall: the stalled client is told of its loss ($(jq -r .lost_msg.count <<<"$out"))" \
		test "$(jq -r .lost_msg.count <<<"$out")" -gt 0
	t_eq "stall: the loss is reported as slow_client" "$(jq -r .lost_msg.reason <<<"$out")" slow_client
	t_eq "stall: every number it missed is in a lost report" "$(jq -r .stalled.unexplained <<<"$out")" 0
	[ "$(jq -r .stalled.unexplained <<<"$out")" = 0 ] || echo "    stalled client: $(jq -c .stalled <<<"$out")"
	t_check "stall: stats carry its loss" test "$(jq -r .stats_client.lost <<<"$out")" -gt 0
}

test_job_ping() {
	local out
	out=$(client job '{"host":"'"$NETNS_B_IP"'","count":3,"interval_ms":200}')
	t_eq "job ping: started" "$(jq -r .started.kind <<<"$out")" ping
	t_eq "job ping: three replies" "$(jq -r '[.rows[] | select(.status == "reply" and .from == "'"$NETNS_B_IP"'")] | length' <<<"$out")" 3
	t_eq "job ping: done with 3 received" "$(jq -r '.end.type + " " + (.end.summary.received | tostring)' <<<"$out")" "job_done 3"
	out=$(client job '{"host":"10.200.0.99","count":2,"interval_ms":200,"timeout_ms":300}')
	t_eq "job ping: a silent host times out" "$(jq -r '[.rows[] | select(.status == "timeout")] | length' <<<"$out")" 2
	t_eq "job ping: 100% loss" "$(jq -r .end.summary.loss_pct <<<"$out")" 100
	out=$(client job '{"count":2}')
	t_check "job ping: missing host refused" jqe '.error.reason | test("host")' <<<"$out"
}

test_no_programs_left() {
	stop_server
	t_eq "stop: no filter left on $NETNS_A_IF ingress" "$(in_a tc filter show dev "$NETNS_A_IF" ingress | wc -l)" 0
	t_eq "stop: no filter left on $NETNS_A_IF egress" "$(in_a tc filter show dev "$NETNS_A_IF" egress | wc -l)" 0
	t_eq "stop: no XDP left on $NETNS_A_IF" "$(in_a ip -d link show "$NETNS_A_IF" | grep -c xdp)" 0
}

# Off loopback: nothing without the token (401), everything with it.
test_subscribe() {
	local out flag=$work/sub.flag
	rm -f "$flag"
	client subscribe "$flag" >"$work/sub.out" &
	local cpid=$!
	for _ in $(seq 50); do grep -qs ready "$work/sub.out" && break; sleep 0.1; done
	in_b ping -c 5 -i 0.2 -q "$NETNS_A_IP" >/dev/null
	touch "$flag"
	in_b ping -c 10 -i 0.2 -q "$NETNS_A_IP" >/dev/null &
	local ppid=$!
	wait "$cpid"
	wait "$ppid"
	out=$(tail -1 "$work/sub.out")
	t_eq "subscribe: no packets (and no losses) while off" "$(jq -r .while_off <<<"$out")" 0
	t_check "subscribe: packets again once on" test "$(jq -r .after_on <<<"$out")" -ge 1
}

# Accounting mode: nothing per packet reaches the store, the kernel still counts.
test_account() {
	local out before after k0 k1 conv
	out=$(client control '{"type":"set_capture","account":true}')
	t_eq "account: state broadcast" "$(jq -r .state.account <<<"$out")" true
	before=$(api /api/hello | jq -r .store.last_no)
	k0=$(api /api/stats | jq -r --arg i "$NETNS_A_IF" '.interfaces[] | select(.name == $i) | .in.packets')
	in_b ping -c 5 -i 0.2 -q "$NETNS_A_IP" >/dev/null
	for i in 1 2 3; do in_b bash -c "echo acct$i > /dev/udp/$NETNS_A_IP/4242"; done
	sleep 1.5	# a stats tick reads the counters
	after=$(api /api/hello | jq -r .store.last_no)
	k1=$(api /api/stats | jq -r --arg i "$NETNS_A_IF" '.interfaces[] | select(.name == $i) | .in.packets')
	t_eq "account: no packets stored" "$after" "$before"
	t_check "account: the kernel still counts them ($k0 -> $k1)" test $((k1 - k0)) -ge 8
	conv=$(client flows | jq -c '[.flows.flows[] | select(.proto == "udp" and (.a_port == 4242 or .b_port == 4242)) | .packets_ab + .packets_ba]')
	# each datagram came from a fresh source port: three flows of one packet
	t_eq "account: the UDP flows in the kernel flow map (get_flows)" "$conv" "[1,1,1]"
	out=$(client control '{"type":"set_capture","account":false}')
	t_eq "account: off again" "$(jq -r .state.account <<<"$out")" false
}

# `gotracer` alone: serve on the default-route interface, the UI on 127.0.0.1:8080.
test_default_command() {
	local log=$work/default.log out
	ip netns exec "$P-a" "$GOTRACER" >"$log" 2>&1 &
	SRV_PID=$!
	t_on_exit "kill -9 $SRV_PID"
	for _ in $(seq 100); do grep -q 'serving on' "$log" && break; sleep 0.1; done
	t_eq "default: prints the URL" "$(grep -o 'http://[^ ]*' "$log")" "http://127.0.0.1:8080/"
	out=$(in_a env GT_WS="ws://127.0.0.1:8080/ws" node "$CLIENT" hello)
	t_eq "default: captures on the default-route interface" \
		"$(jq -c '.hello.capture.interfaces' <<<"$out")" "[\"$NETNS_A_IF\"]"
	stop_server
}

test_token() {
	local log=$work/token.log url token port2=$((PORT + 1)) base
	start_server "$log" --listen "$NETNS_A_IP:$port2" || { t_fail "token: server start" "$(cat "$log")"; return; }
	url=$(grep -o 'http://[^ ]*' "$log")
	token=${url##*token=}
	base="http://$NETNS_A_IP:$port2"
	t_check "token: printed in the URL" test ${#token} -ge 32
	t_eq "token: / without it is 401" "$(in_b curl -s -o /dev/null -w '%{http_code}' "$base/")" 401
	t_eq "token: /capture.pcapng without it is 401" \
		"$(in_b curl -s -o /dev/null -w '%{http_code}' "$base/capture.pcapng")" 401
	t_eq "token: /api/hello without it is 401" "$(in_b curl -s -o /dev/null -w '%{http_code}' "$base/api/hello")" 401
	t_eq "token: /ws upgrade without it is 401" \
		"$(in_b env GT_WS="ws://$NETNS_A_IP:$port2/ws" node "$CLIENT" origin "$base" | jq -r .status)" 401
	t_eq "token: a wrong one is 401" \
		"$(in_b curl -s -o /dev/null -w '%{http_code}' "$base/api/hello?token=x$token")" 401
	t_eq "token: with it the API answers" "$(in_b curl -s "$base/api/hello?token=$token" | jq -r .type)" hello
	t_eq "token: with it /ws connects" \
		"$(in_b env GT_WS="ws://$NETNS_A_IP:$port2/ws?token=$token" node "$CLIENT" origin "$base" | jq -r .status)" 101
	t_eq "token: with it a foreign page is still refused (403)" \
		"$(in_b env GT_WS="ws://$NETNS_A_IP:$port2/ws?token=$token" node "$CLIENT" origin http://evil.example | jq -r .status)" 403
	in_b curl -s -c "$work/cookies" -o /dev/null "$base/api/stats?token=$token"
	t_eq "token: remembered in a cookie" "$(in_b curl -s -b "$work/cookies" "$base/api/hello" | jq -r .type)" hello
	t_eq "token: as a Bearer header" \
		"$(in_b curl -s -H "Authorization: Bearer $token" -o /dev/null -w '%{http_code}' "$base/capture.pcapng")" 200
	stop_server
}

# A 1 MiB store under a flood: it stays within its cap, evicts the oldest, counts them.
test_store_bounds() {
	local log=$work/bounds.log port3=$((PORT + 2)) stats first
	start_server "$log" --listen "127.0.0.1:$port3" --store-mb 1 || { t_fail "bounds: server start" "$(cat "$log")"; return; }
	in_b ping -f -c 10000 -q "$NETNS_A_IP" >/dev/null
	sleep 1.5
	stats=$(in_a curl -s "http://127.0.0.1:$port3/api/stats")
	t_check "bounds: the store stays within 1 MiB ($(jq -r .store.bytes <<<"$stats"))" \
		test "$(jq -r .store.bytes <<<"$stats")" -le 1048576
	t_check "bounds: evictions counted ($(jq -r .store.evicted <<<"$stats"))" \
		test "$(jq -r .store.evicted <<<"$stats")" -gt 0
	t_eq "bounds: held + evicted = every packet numbered" \
		"$(jq -r '.store.packets + .store.evicted' <<<"$stats")" "$(jq -r .store.last_no <<<"$stats")"
	first=$(in_a curl -s "http://127.0.0.1:$port3/api/hello" | jq -r .store.first_no)
	t_eq "bounds: an evicted packet is gone (404)" \
		"$(in_a curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port3/api/packet/$((first - 1))")" 404
	t_eq "bounds: the oldest held one is there" \
		"$(in_a curl -s "http://127.0.0.1:$port3/api/packet/$first" | jq -r .no)" "$first"
	stop_server
}

if ! start_server "$work/serve.log" --listen "127.0.0.1:$PORT" --client-queue-kb 512; then
	t_fail "server start" "$(cat "$work/serve.log")"
	t_done; exit 1
fi
if [ -n "${SERVE_TESTS:-}" ]; then	# SERVE_TESTS="stall stall": only these, in order
	for t in $SERVE_TESTS; do "test_$t"; done
	t_done; exit $?
fi
test_hello
test_stream
test_detail
test_pcapng
test_filter_change
test_capture_controls
test_origin
test_garbage
test_stall
test_job_ping
test_subscribe
test_account
test_no_programs_left
test_default_command
test_token
test_store_bounds
t_done
