#!/usr/bin/env bash
# The packet size histogram counted in the kernel, against traffic of known
# sizes between two namespaces: UDP datagrams and pings whose frames sit on
# each side of the bucket bounds (64, 65, 256, 1025, 1519 bytes on the wire; the
# link's MTU is raised so that 1519 needs no fragment). `serve --account` sends
# no packet to userspace, yet `gotracer stats --json`, GET /metrics (checked by
# the OpenMetrics parser of python3-prometheus-client) and the stats message
# (GET /api/stats) must show exactly those frames in exactly those buckets,
# both ways. Anything else the link carried (ip -s link says how much) must
# be in the histogram too. Then a capturing serve whose filter takes none of
# these frames counts them all the same.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start sizes
. tests/netns/capture_lib.sh
. tests/accounting/lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null || ! command -v curl >/dev/null ||
	! /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	t_skip sizes "needs root, jq, curl and python3-prometheus-client"
	t_done; exit
fi

PORT=$((20000 + ($$ + 29) % 20000))

# The traffic, frame length on the wire (payload + 42 bytes of Ethernet, IPv4
# and UDP or ICMP headers) and count, as "wire count" lines per direction.
UDP_SENT="65 30
256 100
1025 50
1519 20"
PINGS=10 PING_WIRE=64	# echo requests out, replies in

# expected per-bucket counts from "wire count" lines, by the bounds written out
buckets_of() {
	awk '{ b = $1 <= 64 ? 0 : $1 <= 128 ? 1 : $1 <= 256 ? 2 : $1 <= 512 ? 3 : $1 <= 1024 ? 4 : $1 <= 1518 ? 5 : 6; n[b] += $2 }
	     END { for (i = 0; i < 7; i++) printf "%s%d", i ? " " : "", n[i]; print "" }'
}

# the size histogram of gt0 in /metrics, checked by the OpenMetrics parser:
# "DIR in: C0 .. C6 sum S count N" (per-bucket counts from the cumulative ones)
metrics_hist() {
	in_a curl -s "http://127.0.0.1:$PORT/metrics" | /usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
name = "gotracer_interface_packet_size_bytes"
text = sys.stdin.read()
# only the histogram: the rest is the 0.0.4 text form (counters named _total)
lines = [l for l in text.splitlines() if l.startswith(name) or l.split(" ")[2:3] == [name]]
fams = list(text_string_to_metric_families("\n".join(lines) + "\n# EOF\n"))
assert len(fams) == 1 and fams[0].type == "histogram", fams
got = {}
for s in fams[0].samples:
    if s.labels["interface"] != "gt0":
        continue
    d = got.setdefault(s.labels["direction"], {"le": []})
    if s.name.endswith("_bucket"):
        d["le"].append((float(s.labels["le"]), int(s.value)))
    else:
        d[s.name[len(name) + 1:]] = int(s.value)
for dir in ("in", "out"):
    le = sorted(got[dir]["le"])
    assert [b for b, _ in le] == [64, 128, 256, 512, 1024, 1518, float("inf")], le
    per = [v - (le[i - 1][1] if i else 0) for i, (_, v) in enumerate(le)]
    print(dir, " ".join(map(str, per)), "sum", got[dir]["sum"], "count", got[dir]["count"])
'
}

# "A0 .. A6" minus "B0 .. B6"
minus() { paste -d' ' <(tr ' ' '\n' <<<"$1") <(tr ' ' '\n' <<<"$2") | awk '{printf "%s%d", (NR > 1 ? " " : ""), $1 - $2} END {print ""}'; }
sum_of() { tr ' ' '\n' <<<"$1" | awk '{s += $1} END {print s + 0}'; }

# The histogram moved by exactly the known frames, plus the link's other frames
# (OTHER, from ip -s link) in any bucket: never fewer, and nothing unaccounted.
check_hist() {
	local name=$1 got=$2 want=$3 other=$4 extra
	extra=$(minus "$got" "$want")
	if [[ $got =~ ^([0-9]+\ ){6}[0-9]+$ ]] && [ "$(sum_of "$extra")" = "$other" ] && ! grep -q -- - <<<"$extra"; then
		t_ok "$name"
	else
		t_fail "$name" "got '$got', want '$want' plus $other other frames (ip -s link)"
	fi
}

send_traffic() {
	local wire n port=5100
	while read -r wire n; do
		port=$((port + 1))
		udp_burst "$port" "$n" "$((wire - 42))" || return 1
	done <<<"$UDP_SENT"
	in_a ping -c "$PINGS" -i 0.05 -s "$((PING_WIRE - 42))" -q "$NETNS_B_IP" >/dev/null
}

serve_up() {
	local tag=$1 i
	shift
	ip netns exec "$NETNS_P-a" "$GOTRACER" serve -i gt0 --listen "127.0.0.1:$PORT" "$@" >"$T/$tag.out" 2>"$T/$tag.err" &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
	for i in $(seq 100); do
		in_a curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics" && return 0
		kill -0 "$GT_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# the stats message's summed sizes once its totals have seen N packets (a tick is 1 s)
api_sizes_after() {
	local i s
	for i in $(seq 50); do
		s=$(in_a curl -s "http://127.0.0.1:$PORT/api/stats")
		[ "$(jq -r '.totals.packets' <<<"$s")" -ge "$1" ] 2>/dev/null && { echo "$s"; return 0; }
		sleep 0.1
	done
	echo "$s"
}

topology() {
	gt_topology "$1" || return 1
	quiet_link
	no_offloads
	in_a ip link set gt0 mtu 2000
	in_b ip link set gt1 mtu 2000
}

test_account_sizes() {
	topology as || { t_fail sizes "no topology"; return; }
	serve_up account --account || { t_fail sizes "serve did not start: $(cat "$T/account.err")"; return; }
	local want_out want_in s1 s2 r1 rb1 t1 tb1 r2 rb2 t2 tb2 m1 m2 j2
	want_out=$( (echo "$UDP_SENT"; echo "$PING_WIRE $PINGS") | buckets_of)
	want_in=$(echo "$PING_WIRE $PINGS" | buckets_of)
	t_eq expected_buckets "$want_out | $want_in" "10 30 100 0 0 50 20 | 10 0 0 0 0 0 0"
	in_a "$GOTRACER" stats -i gt0 --json >"$T/stats1.json" 2>"$T/stats1.err" ||
		{ t_fail sizes "stats failed: $(cat "$T/stats1.err")"; return; }
	m1=$(metrics_hist) || { t_fail sizes_metrics_parse "the OpenMetrics parser refused /metrics"; return; }
	s1=$(link_stats)
	send_traffic || { t_fail sizes "the datagrams did not all arrive"; return; }
	s2=$(link_stats)
	m2=$(metrics_hist) || { t_fail sizes_metrics_parse "the OpenMetrics parser refused /metrics"; return; }
	t_ok sizes_metrics_parse
	in_a "$GOTRACER" stats -i gt0 --json >"$T/stats2.json" 2>"$T/stats2.err" ||
		{ t_fail sizes "stats failed: $(cat "$T/stats2.err")"; return; }
	read -r r1 rb1 t1 tb1 <<<"$s1"
	read -r r2 rb2 t2 tb2 <<<"$s2"
	local tx=$((t2 - t1)) rx=$((r2 - r1)) n_out n_in
	n_out=$(sum_of "$want_out") n_in=$(sum_of "$want_in")
	# the link carried at least the test's frames; anything more is "other"
	[ "$tx" -ge "$n_out" ] && [ "$rx" -ge "$n_in" ] && t_ok link_carried_the_frames ||
		t_fail link_carried_the_frames "ip -s link: $tx out, $rx in; sent $n_out out, $n_in in"
	echo "    ip -s link: $tx frames out, $rx in ($((tx - n_out)) and $((rx - n_in)) besides the test's)"

	# gotracer stats --json (reads the running serve's kernel counters)
	local d
	for d in out in; do
		local a b want other
		a=$(jq -r ".sizes.$d | join(\" \")" "$T/stats1.json")
		b=$(jq -r ".sizes.$d | join(\" \")" "$T/stats2.json")
		[ "$d" = out ] && want=$want_out other=$((tx - n_out)) || want=$want_in other=$((rx - n_in))
		check_hist "stats_json_sizes_$d" "$(minus "$b" "$a")" "$want" "$other"
	done
	t_eq stats_json_bounds "$(jq -c .sizes.bounds "$T/stats2.json")" "[64,128,256,512,1024,1518]"
	t_eq stats_json_counts_both_ways "$(jq -c '[.sizes.in, .sizes.out] | transpose | map(add)' "$T/stats2.json")" \
		"$(jq -c .sizes.counts "$T/stats2.json")"
	t_eq stats_json_hist_is_segments "$(jq '(.sizes.counts | add) == .in.gso_segs + .out.gso_segs' "$T/stats2.json")" true
	in_a "$GOTRACER" stats -i gt0 >"$T/stats.txt" 2>/dev/null
	grep -q '^packet sizes (frames on the wire):$' "$T/stats.txt" && grep -Eq '^  >1518 +[0-9]+ in +[0-9]+ out$' "$T/stats.txt" &&
		t_ok stats_text_sizes || t_fail stats_text_sizes "$(cat "$T/stats.txt")"

	# /metrics: per-bucket deltas, _count and _sum against ip -s link
	for d in out in; do
		local a b want other link_bytes link_frames
		a=$(awk -v d=$d '$1 == d {print $2, $3, $4, $5, $6, $7, $8}' <<<"$m1")
		b=$(awk -v d=$d '$1 == d {print $2, $3, $4, $5, $6, $7, $8}' <<<"$m2")
		if [ "$d" = out ]; then
			want=$want_out other=$((tx - n_out)) link_frames=$tx link_bytes=$((tb2 - tb1))
		else
			want=$want_in other=$((rx - n_in)) link_frames=$rx link_bytes=$((rb2 - rb1))
		fi
		check_hist "metrics_buckets_$d" "$(minus "$b" "$a")" "$want" "$other"
		t_eq "metrics_count_sum_$d" \
			"$(($(awk -v d=$d '$1 == d {print $NF}' <<<"$m2") - $(awk -v d=$d '$1 == d {print $NF}' <<<"$m1"))) $(($(awk -v d=$d '$1 == d {print $10}' <<<"$m2") - $(awk -v d=$d '$1 == d {print $10}' <<<"$m1")))" \
			"$link_frames $link_bytes"
	done

	# the stats message, summed over interfaces and directions, since the attach
	j2=$(api_sizes_after "$(jq -r '.in.packets + .out.packets' "$T/stats2.json")")
	t_eq api_stats_bounds "$(jq -c .sizes.bounds <<<"$j2")" "[64,128,256,512,1024,1518]"
	t_eq api_stats_sizes_are_the_kernels "$(jq -c .sizes.counts <<<"$j2")" "$(jq -c .sizes.counts "$T/stats2.json")"
	t_eq api_stats_interface_sizes "$(jq -c '.interfaces[] | select(.name == "gt0") | [.in.sizes, .out.sizes]' <<<"$j2")" \
		"$(jq -c '[.sizes.in, .sizes.out]' "$T/stats2.json")"
	t_eq api_stats_nothing_dissected "$(jq -c '[(.protocols | length), .totals.packets > 0]' <<<"$j2")" "[0,true]"
	gt_stop INT || t_fail sizes_stop "serve did not stop"
	gt_attached && t_fail sizes_nothing_left "programs left on gt0" || t_ok sizes_nothing_left
}

# A capturing serve whose filter takes none of these frames: the histogram
# still counts every one (the old userspace histogram counted none).
test_filtered_sizes() {
	topology af || { t_fail filtered "no topology"; return; }
	serve_up filtered 'tcp port 9' || { t_fail filtered "serve did not start: $(cat "$T/filtered.err")"; return; }
	local s1 s2 r1 rb1 t1 tb1 r2 rb2 t2 tb2 j1 j2 want
	j1=$(api_sizes_after 0)
	s1=$(link_stats)
	send_traffic || { t_fail filtered "the datagrams did not all arrive"; return; }
	s2=$(link_stats)
	read -r r1 rb1 t1 tb1 <<<"$s1"
	read -r r2 rb2 t2 tb2 <<<"$s2"
	want=$( (echo "$UDP_SENT"; echo "$PING_WIRE $((2 * PINGS))") | buckets_of)
	# every frame the link carried (offloads off: one packet, one frame)
	j2=$(api_sizes_after "$(($(jq -r .totals.packets <<<"$j1") + t2 - t1 + r2 - r1))")
	check_hist filtered_sizes_count_everything \
		"$(minus "$(jq -r '.sizes.counts | join(" ")' <<<"$j2")" "$(jq -r '.sizes.counts | join(" ")' <<<"$j1")")" \
		"$want" "$((t2 - t1 + r2 - r1 - $(sum_of "$want")))"
	t_eq filtered_nothing_captured "$(jq -r '([.interfaces[] | .in.filtered + .out.filtered] | add > 0), .store.packets' <<<"$j2" | tr '\n' ' ')" "true 0 "
	gt_stop INT || t_fail filtered_stop "serve did not stop"
}

test_account_sizes
test_filtered_sizes
t_done
