#!/usr/bin/env bash
# Part 6: memory of gotracer serve under sustained traffic. 64-byte frames from the
# kernel generator ($O/bench/xdp-gen) at RATE frames/s for SECS seconds into gt0,
# where serve captures; peak RSS is VmHWM from /proc/PID/status (summed over the
# process and its children). Enough frames to fill the packet store, so the figure
# is the store at its cap. tshark, the live view people would otherwise use, on
# the same traffic beside it (tshark + its dumpcap child).
source scripts/bench/lib.sh
source scripts/netns.sh
SECS=${SECS:-10}
RATE=${RATE:-50000}
bench_title "6. Memory (peak RSS, median of $ROUNDS runs of ${SECS}s at $RATE frames/s)"
P=gtbmem$$
tmp=$(mktemp -d -p /dev/shm)
trap 'kill $(jobs -p) 2>/dev/null; netns_teardown $P; rm -rf $tmp' EXIT
netns_pair "$P" >/dev/null || { bench_skip "cannot build the namespaces"; exit 0; }
in_a ethtool -K gt0 gro on >/dev/null	# veth passes XDP_TX frames on only with NAPI
PORT=18080

# kB of VmHWM (or another /proc status field) over a process and its descendants
tree_status_kb() {
	local field=$1 p t=0 kids
	shift
	for p in "$@"; do
		t=$((t + $(awk -v f="$field:" '$1 == f {print $2}' /proc/"$p"/status 2>/dev/null || echo 0)))
		kids=$(pgrep -P "$p" | tr '\n' ' ')
		[ -n "$kids" ] && t=$((t + $(tree_status_kb "$field" $kids)))
	done
	echo "$t"
}
stats() { in_a curl -s --max-time 5 "127.0.0.1:$PORT/api/stats"; }

# one run: prints "idle_kB peak_kB stored_packets store_MiB cap_MiB evicted"
run_serve() {
	local pid i idle peak s
	ip netns exec "$P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" "$@" >/dev/null 2>"$tmp/log" &
	pid=$!
	for i in $(seq 100); do stats >/dev/null && break; sleep 0.1; done
	if ! kill -0 "$pid" 2>/dev/null; then echo "error $(grep -m1 . "$tmp/log")"; return; fi
	idle=$(tree_status_kb VmRSS "$pid")
	in_b "$O/bench/xdp-gen" gt1 "$RATE" $((RATE * SECS)) >/dev/null
	sleep 1
	peak=$(tree_status_kb VmHWM "$pid")
	s=$(stats | jq -r '.store | "\(.packets) \(.bytes / 1048576) \(.cap_bytes / 1048576) \(.evicted)"')
	kill -INT "$pid"; wait "$pid" 2>/dev/null
	echo "$idle $peak $s"
}

# one run of tshark: prints "peak_kB packets"
run_tshark() {
	local pid i peak
	ip netns exec "$P-a" tshark -n -i gt0 -f "udp dst port 9" >/dev/null 2>"$tmp/log" &
	pid=$!
	for i in $(seq 100); do grep -q 'Capturing on' "$tmp/log" && break; sleep 0.1; done
	sleep 0.5
	in_b "$O/bench/xdp-gen" gt1 "$RATE" $((RATE * SECS)) >/dev/null
	sleep 1
	peak=$(tree_status_kb VmHWM "$pid")
	kill -INT "$pid"; wait "$pid" 2>/dev/null
	echo "$peak $(grep -oE '^[0-9]+ packets? captured' "$tmp/log" | awk '{print $1}')"
}

printf '%-34s %9s %9s %12s %14s %9s\n' tool "idle MiB" "peak MiB" "stored pkts" "store/cap MiB" evicted
col() { awk -v c="$1" '{print $c}' "$tmp/rows" | median; }
for store in 16 64; do
	for ((r = 0; r < ROUNDS; r++)); do run_serve --store-mb "$store"; done >"$tmp/rows"
	if grep -q '^error' "$tmp/rows"; then
		echo "gotracer serve --store-mb $store: did not start: $(grep -m1 '^error' "$tmp/rows" | cut -d' ' -f2-)"
		continue
	fi
	printf '%-34s %9.1f %9.1f %12d %14s %9d\n' "gotracer serve --store-mb $store" \
		"$(col 1 | awk '{print $1 / 1024}')" "$(col 2 | awk '{print $1 / 1024}')" "$(col 3)" \
		"$(printf '%.1f/%.0f' "$(col 4)" "$(col 5)")" "$(col 6)"
done
if command -v tshark >/dev/null; then
	for ((r = 0; r < ROUNDS; r++)); do run_tshark; done >"$tmp/rows"
	printf '%-34s %9s %9.1f %12d %14s %9s\n' "tshark -i (live text view)" - \
		"$(col 1 | awk '{print $1 / 1024}')" "$(col 2)" - -
fi
echo "(stored pkts: packets held by the store at the end; tshark: packets it dissected and kept."
echo " $((RATE * SECS)) frames were sent each run; the store holds the newest that fit its cap)"
