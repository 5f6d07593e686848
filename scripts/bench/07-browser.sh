#!/usr/bin/env bash
# Part 7: the Capture view in headless Chromium while gotracer serve streams a flood.
# 64-byte frames from the kernel generator ($O/bench/xdp-gen) into gt0 at each
# offered rate; the page is measured by the web engineer's probe (web/dev/perf.mjs:
# packets the page received a second, frames painted a second, main-thread long
# tasks, click-to-next-frame delay). The kernel's count of what it saw comes from
# the server's /api/stats over the same window, so the two can be compared.
source scripts/bench/lib.sh
source scripts/netns.sh
SECS=${SECS:-15}
RATES=${RATES:-1000 50000}
runs=$((ROUNDS < 3 ? ROUNDS : 3))
bench_title "7. Browser (Capture view in headless Chromium, median of $runs runs of ${SECS}s)"
for need in node /usr/bin/chromium; do
	command -v "$need" >/dev/null || { bench_skip "$need is not installed"; exit 0; }
done
[ -d tests/node/node_modules/playwright-core ] || { bench_skip "playwright-core is not installed (tests/node)"; exit 0; }
[ -s web/dist/index.html ] || { bench_skip "the web UI is not built (make web)"; exit 0; }
P=gtbweb$$
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; netns_teardown $P; sleep 1; netns_teardown $P; rm -rf $tmp' EXIT
netns_pair "$P" >/dev/null || { bench_skip "cannot build the namespaces"; exit 0; }
in_a ethtool -K gt0 gro on >/dev/null	# veth passes XDP_TX frames on only with NAPI
# a private copy of the bundle, so a concurrent rebuild cannot pull it away
cp -r web/dist "$tmp/dist"
PORT=18081
kernel_in() {
	in_a curl -s --max-time 5 "127.0.0.1:$PORT/api/stats" |
		jq '[.interfaces[] | select(.name == "gt0") | .in.packets] | add // 0'
}

# one run: prints the probe's JSON line with the kernel's packets/s added
run_page() {
	local rate=$1 srv gen k0 k1 t0 t1 line i
	ip netns exec "$P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" \
		--web-root "$tmp/dist" >/dev/null 2>"$tmp/serve.log" &
	srv=$!
	for i in $(seq 100); do kernel_in >/dev/null 2>&1 && break; sleep 0.1; done
	ip netns exec "$P-b" "$O/bench/xdp-gen" gt1 "$rate" $((rate * (SECS + 30))) >/dev/null &
	gen=$!
	sleep 1
	k0=$(kernel_in); t0=$(date +%s%N)
	line=$(ip netns exec "$P-a" timeout $((SECS + 60)) node web/dev/perf.mjs \
		"http://127.0.0.1:$PORT/" "$SECS" 2>"$tmp/node.log" | tail -1)
	k1=$(kernel_in); t1=$(date +%s%N)
	kill "$gen" 2>/dev/null; wait "$gen" 2>/dev/null
	kill -INT "$srv"; wait "$srv" 2>/dev/null
	if ! jq -e . >/dev/null 2>&1 <<<"$line"; then
		echo "probe failed: $(grep -m1 -i error "$tmp/node.log")" >&2
		return
	fi
	jq -c --argjson k "$(awk -v a="$k0" -v b="$k1" -v t="$((t1 - t0))" \
		'BEGIN {printf "%.0f", (b - a) / (t / 1e9)}')" '. + {kernel_per_s: $k}' <<<"$line"
}

printf '%9s %10s %10s %9s %11s %11s %12s %10s %12s\n' offered "kernel/s" "page rx/s" "frames/s" "long tasks" "long ms/s" "click ms med" "click max" "page missed"
for rate in $RATES; do
	for ((r = 0; r < runs; r++)); do run_page "$rate"; done >"$tmp/rows"
	if [ ! -s "$tmp/rows" ]; then
		echo "$rate: no run finished"
		continue
	fi
	m() { jq -r ".$1" "$tmp/rows" | median; }
	printf '%9s %10.0f %10.0f %9.1f %11.0f %11.0f %12.1f %10.1f %12.0f\n' "$rate" "$(m kernel_per_s)" \
		"$(m received_per_s)" "$(m frames_per_s)" "$(m long_tasks)" "$(m long_task_ms_per_s)" \
		"$(m click_to_frame_ms_median)" "$(m click_to_frame_ms_max)" "$(m missed)"
done
echo "(kernel/s: packets a second the capture hook saw on gt0; page rx/s: packet summaries a"
echo " second the page received over the WebSocket; long tasks: count over the run;"
echo " click: time from a click to the next animation frame, sampled once a second;"
echo " page missed: packets the page knows it did not get, from the server's loss notices and gaps)"
