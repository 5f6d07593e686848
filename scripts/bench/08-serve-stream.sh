#!/usr/bin/env bash
# Part 8: what `gotracer serve` streams to one reading WebSocket client under a
# flood of 64-byte frames from the kernel generator ($O/bench/xdp-gen) into gt0.
# Per offered rate: frames/s the kernel saw (from the stats ticks), packet
# summaries/s the client received, the packets the server reported lost for it,
# stats ticks received and the longest gap between two (they should come ~1/s),
# and the server's CPU per second.
source scripts/bench/lib.sh
source scripts/netns.sh
SECS=${SECS:-8}
RATES=${RATES:-10000 50000 100000}
runs=$((ROUNDS < 3 ? ROUNDS : 3))
bench_title "8. gotracer serve streaming to a WebSocket client (64-byte frames, median of $runs runs of ${SECS}s)"
command -v node >/dev/null || { bench_skip "node is not installed"; exit 0; }
[ -d tests/node/node_modules/ws ] || { bench_skip "ws is not installed (tests/node)"; exit 0; }
P=gtbsrv$$
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; netns_teardown $P; rm -rf $tmp' EXIT
netns_pair "$P" >/dev/null || { bench_skip "cannot build the namespaces"; exit 0; }
in_a ethtool -K gt0 gro on >/dev/null	# veth passes XDP_TX frames on only with NAPI
PORT=18082

ticks() { awk '{print $14 + $15}' /proc/"$1"/stat 2>/dev/null || echo 0; }

# one run: the client's JSON line with the server's CPU share added
run_serve() {
	local rate=$1 srv gen line i t0 t1
	ip netns exec "$P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" \
		>/dev/null 2>"$tmp/serve.log" &
	srv=$!
	for i in $(seq 100); do
		in_a curl -s --max-time 1 "127.0.0.1:$PORT/api/stats" >/dev/null 2>&1 && break
		sleep 0.1
	done
	ip netns exec "$P-b" "$O/bench/xdp-gen" gt1 "$rate" $((rate * (SECS + 10))) >/dev/null &
	gen=$!
	sleep 1
	t0=$(ticks "$srv")
	line=$(ip netns exec "$P-a" timeout $((SECS + 30)) node scripts/bench/serve_rate.mjs \
		"ws://127.0.0.1:$PORT/ws" "$SECS" 2>"$tmp/node.log" | tail -1)
	t1=$(ticks "$srv")
	kill "$gen" 2>/dev/null; wait "$gen" 2>/dev/null
	kill -INT "$srv"; wait "$srv" 2>/dev/null
	if ! jq -e .ok >/dev/null 2>&1 <<<"$line"; then
		echo "client failed: $(head -1 "$tmp/node.log")" >&2
		return
	fi
	jq -c --argjson cpu "$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s="$SECS" \
		'BEGIN {printf "%.0f", t / hz / s * 100}')" '. + {server_cpu_pct: $cpu}' <<<"$line"
}

printf '%9s %10s %12s %9s %7s %12s %8s\n' offered "kernel/s" "summaries/s" "lost" ticks "max gap ms" "cpu %"
for rate in $RATES; do
	for ((r = 0; r < runs; r++)); do run_serve "$rate"; done >"$tmp/rows"
	if [ ! -s "$tmp/rows" ]; then
		echo "$rate: no run finished"
		continue
	fi
	col() { jq -r ".$1" "$tmp/rows" | median; }
	printf '%9s %10.0f %12.0f %9.0f %7.0f %12.0f %8.0f\n' "$rate" "$(col kernel_in_per_s)" \
		"$(col summaries_per_s)" "$(col lost)" "$(col stats_ticks)" "$(col max_tick_gap_ms)" \
		"$(col server_cpu_pct)"
done
echo "(one client reading as fast as it can; kernel/s from the server's stats ticks;"
echo " lost = packets the server reported lost for the client; ticks over ${SECS}s;"
echo " cpu % = user+system CPU of gotracer serve over the window, of one core)"
