#!/usr/bin/env bash
# Under a flood and at the edges of a run's life: `serve` and `capture` while the
# kernel generator ($O/bench/xdp-gen, BPF live frames) sends into gt0 as fast as
# it can; a stop signal at any moment of start-up; the instance lock files.
#   - serve keeps its event loop: stats ticks and packet batches keep coming,
#     every packet number is sent or reported lost, and SIGINT stops it;
#   - capture stops on SIGINT in the middle of the flood;
#   - nothing is left attached, whenever the signal came;
#   - a run leaves no lock file behind; stale ones are swept at the next start.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start flood
. tests/netns/capture_lib.sh

GEN=${O:-build}/bench/xdp-gen
if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null || ! command -v node >/dev/null ||
	[ ! -d tests/node/node_modules/ws ]; then
	t_skip flood "needs root, jq, node with tests/node/node_modules"
	t_done; exit
fi
# the generator is a bench tool: build it when the tree has not yet
[ -x "$GEN" ] || make -s O="${O:-build}" "$GEN" >/dev/null 2>&1

LOCKS=/run/gotracer
PORT=$((20000 + RANDOM % 20000))

netns_inode() { ip netns exec "$1" stat -L -c %i /proc/self/ns/net; }
no_lock_of() { ! ls "$LOCKS" 2>/dev/null | grep -q "^gt0@$1\.lock$"; }

# flood RATE COUNT: kernel-made frames from b into gt0, in the background (FLOOD_PID)
flood() {
	ip netns exec "$NETNS_P-b" "$GEN" gt1 "$1" "$2" >/dev/null 2>&1 &
	FLOOD_PID=$!
	t_on_exit "kill $FLOOD_PID"
}

test_serve_flood() {
	local out log=$T/serve.log ino i
	gt_topology fs || { t_fail serve_flood "no topology"; return; }
	[ -x "$GEN" ] || { t_skip serve_flood "no $GEN (make bench builds it)"; return; }
	in_a ethtool -K gt0 gro on >/dev/null	# veth passes XDP_TX frames on only with NAPI
	ino=$(netns_inode "$NETNS_P-a")
	ip netns exec "$NETNS_P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" >"$log" 2>&1 &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
	for i in $(seq 100); do grep -q 'serving on' "$log" && break; sleep 0.1; done
	ls "$LOCKS" | grep -q "gt0@$ino\.lock$" && t_ok serve_lock_while_running ||
		t_fail serve_lock_while_running "no $LOCKS/gt0@$ino.lock"
	# as fast as the kernel can, for longer than the client listens
	flood 0 100000000
	sleep 1
	out=$(in_a timeout 60 node scripts/bench/serve_rate.mjs "ws://127.0.0.1:$PORT/ws" 4)
	t_check "serve_flood: stats ticks keep coming ($(jq -c '{stats_ticks, max_tick_gap_ms}' <<<"$out"))" \
		test "$(jq -r '.stats_ticks // 0' <<<"$out")" -ge 2
	t_check "serve_flood: batches keep coming ($(jq -r '.summaries_per_s // 0' <<<"$out") summaries/s)" \
		test "$(jq -r '.batches // 0' <<<"$out")" -ge 10
	kill -INT "$GT_PID"
	gt_wait 20 && t_ok serve_flood_sigint_stops || t_fail serve_flood_sigint_stops "serve did not end on SIGINT under the flood"
	kill "$FLOOD_PID" 2>/dev/null; wait "$FLOOD_PID" 2>/dev/null
	gt_attached && t_fail serve_flood_detached "left: $(in_a tc filter show dev gt0 ingress)" ||
		t_ok serve_flood_detached
	no_lock_of "$ino" && t_ok serve_lock_removed || t_fail serve_lock_removed "$(ls "$LOCKS" | grep "$ino")"
}

test_capture_flood() {
	local ino
	gt_topology fc || { t_fail capture_flood "no topology"; return; }
	[ -x "$GEN" ] || { t_skip capture_flood "no $GEN (make bench builds it)"; return; }
	in_a ethtool -K gt0 gro on >/dev/null
	ino=$(netns_inode "$NETNS_P-a")
	gt_bg cflood capture -i gt0 -w "$T/flood.pcapng" || { t_fail capture_flood "did not attach: $(cat "$T/cflood.err")"; return; }
	flood 0 100000000
	sleep 2
	gt_stop INT && t_ok capture_flood_sigint_stops || t_fail capture_flood_sigint_stops "capture did not end on SIGINT under the flood"
	kill "$FLOOD_PID" 2>/dev/null; wait "$FLOOD_PID" 2>/dev/null
	grep -qE '^[0-9]+ packets captured' "$T/cflood.err" && t_ok capture_flood_summary ||
		t_fail capture_flood_summary "$(tail -3 "$T/cflood.err")"
	gt_attached && t_fail capture_flood_detached "programs left" || t_ok capture_flood_detached
	no_lock_of "$ino" && t_ok capture_lock_removed || t_fail capture_lock_removed "$(ls "$LOCKS" | grep "$ino")"
}

# A stop signal at any point of start-up: before, during and after the attach.
test_serve_early_signal() {
	local d pid left=0 hung=0 ino
	gt_topology fe || { t_fail early_signal "no topology"; return; }
	ino=$(netns_inode "$NETNS_P-a")
	for d in 0 0 0 0.005 0.01 0.02 0.03 0.05 0.1 0.2 0.5; do
		ip netns exec "$NETNS_P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
		pid=$!
		# TERM, not INT: a script's background job starts with SIGINT ignored
		# until gotracer installs its handler, and an ignored signal is gone
		for _ in $(seq 500); do
			[ "$(cat /proc/$pid/comm 2>/dev/null)" = gotracer ] && break
			sleep 0.002
		done
		sleep "$d"
		kill -TERM "$pid" 2>/dev/null
		GT_PID=$pid
		gt_wait 10 || [ $? -ne 124 ] || hung=$((hung + 1))
		gt_attached && { left=$((left + 1)); gotracer_cleanup; }
	done
	t_eq "early_signal: runs that hung" "$hung" 0
	t_eq "early_signal: runs that left programs attached" "$left" 0
	no_lock_of "$ino" && t_ok early_signal_no_lock || t_fail early_signal_no_lock "$(ls "$LOCKS" | grep "$ino")"
}

gotracer_cleanup() { in_a "$GOTRACER" cleanup -i gt0 >/dev/null 2>&1; }

# Lock files nobody holds: swept at the next start, unless a clsact note may
# still be needed (its namespace is alive); a held one is never touched.
test_stale_locks() {
	local ino gone=1 plain note_dead note_alive held
	gt_topology fl || { t_fail stale_locks "no topology"; return; }
	ino=$(netns_inode "$NETNS_P-a")
	mkdir -p "$LOCKS"
	# inode 1 is no namespace's (nsfs numbers them from 4026531835 on)
	plain=$LOCKS/gtstale$$@$gone.lock
	note_dead=$LOCKS/gtnote$$@$gone.lock
	note_alive=$LOCKS/gtnote$$@$ino.lock
	printf '12345\n' >"$plain"
	printf '12345\nclsact\n' >"$note_dead"
	printf '12345\nclsact\n' >"$note_alive"
	t_on_exit "rm -f $plain $note_dead $note_alive"
	# held by a live process: must survive the sweep
	exec {held}>"$LOCKS/gtheld$$@$gone.lock"
	flock -x "$held"
	t_on_exit "rm -f $LOCKS/gtheld$$@$gone.lock"
	gt_bg locks capture -i gt0 || { t_fail stale_locks "did not attach: $(cat "$T/locks.err")"; return; }
	gt_stop INT
	[ ! -e "$plain" ] && t_ok stale_lock_swept || t_fail stale_lock_swept "$plain is still there"
	[ ! -e "$note_dead" ] && t_ok stale_note_of_gone_namespace_swept || t_fail stale_note_of_gone_namespace_swept "$note_dead is still there"
	[ -e "$note_alive" ] && t_ok stale_note_of_live_namespace_kept || t_fail stale_note_of_live_namespace_kept "$note_alive was removed"
	[ -e "$LOCKS/gtheld$$@$gone.lock" ] && t_ok held_lock_kept || t_fail held_lock_kept "a held lock file was removed"
	exec {held}>&-
	# two at once on one interface: the second is still refused
	gt_bg first capture -i gt0 || { t_fail second_refused "first did not attach"; return; }
	local first=$GT_PID
	in_a "$GOTRACER" capture -i gt0 -c 1 >/dev/null 2>"$T/second.err"
	[ $? -ne 0 ] && grep -q 'already captured' "$T/second.err" && t_ok second_refused ||
		t_fail second_refused "$(cat "$T/second.err")"
	GT_PID=$first
	gt_stop INT
	no_lock_of "$ino" && t_ok lock_removed_after_refusal || t_fail lock_removed_after_refusal "$(ls "$LOCKS" | grep "$ino")"
}

# Python's http.server writes its response headers and body apart: the body's
# segment completes the HTTP response (reassembled in capture order, as tshark
# does), so serve's row of it names the response and the headers' row is a TCP
# segment of it; the detail of the body's segment, dissected alone, says so.
test_serve_reassembly() {
	local log=$T/sr.log i rows no detail
	gt_topology fr || { t_fail reassembly "no topology"; return; }
	ip netns exec "$NETNS_P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" >"$log" 2>&1 &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
	for i in $(seq 100); do grep -q 'serving on' "$log" && break; sleep 0.1; done
	in_b /usr/bin/python3 -m http.server --bind "$NETNS_B_IP" 8000 >/dev/null 2>&1 &
	t_on_exit "kill $!"
	wait_port 8000 || { t_fail reassembly "no HTTP server"; return; }
	in_a curl -s -o /dev/null "http://$NETNS_B_IP:8000/"
	sleep 0.5
	rows=$(in_a curl -s "http://127.0.0.1:$PORT/api/packets?from=1&count=1000")
	no=$(jq -r '[.packets[] | select(.proto == "HTTP" and (.info | startswith("HTTP/1.0 200 OK")))][0].no // empty' <<<"$rows")
	[ -n "$no" ] && t_ok reassembly_response_row || { t_fail reassembly_response_row "no HTTP response row: $(jq -c '[.packets[] | [.no, .proto, .info[:40]]]' <<<"$rows")"; return; }
	t_eq reassembly_headers_row_is_a_segment \
		"$(jq -r --argjson n "$no" '[.packets[] | select(.no < $n and .proto == "TCP" and (.info | contains("[TCP segment of a reassembled PDU]")))] | length' <<<"$rows")" 1
	detail=$(in_a curl -s "http://127.0.0.1:$PORT/api/packet/$no")
	t_eq reassembly_detail_segment_alone "$(jq -r .segment_alone <<<"$detail")" true
	t_eq reassembly_detail_keeps_row "$(jq -r '.proto + " " + .info' <<<"$detail")" \
		"$(jq -r --argjson n "$no" '.packets[] | select(.no == $n) | .proto + " " + .info' <<<"$rows")"
	t_eq reassembly_other_detail "$(in_a curl -s "http://127.0.0.1:$PORT/api/packet/1" | jq -r .segment_alone)" false
	kill -INT "$GT_PID"; gt_wait 10
}

test_serve_flood
test_serve_reassembly
test_capture_flood
test_serve_early_signal
test_stale_locks
t_done
