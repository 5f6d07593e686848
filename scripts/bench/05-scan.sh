#!/usr/bin/env bash
# Part 5: scans against the tools people use for them, on the scan tests' LAN of
# namespaces (tests/scan/topology.sh: 4 hosts on a bridge, real servers on h1).
# Full TCP port range of h1: nmap at its usual -T4 timing, masscan and gotracer at
# the same --rate. ARP sweep of the /24: gotracer and arp-scan at the same rate.
# Wall time is the median of ROUNDS runs; each tool's accuracy (found / true) is
# shown beside it, so a fast wrong answer cannot pass unseen.
source scripts/bench/lib.sh
source scripts/netns.sh
source tests/scan/topology.sh
RATE=${RATE:-50000}
bench_title "5. Scans (median wall seconds of $ROUNDS runs; found = open ports or hosts up)"
for tool in nmap arp-scan; do
	command -v "$tool" >/dev/null || { bench_skip "$tool is not installed (make deps-bench)"; exit 0; }
done
P=gtbscan$$
work=$(mktemp -d)
trap 'netns_teardown $P; rm -rf "$work"' EXIT
scan_lan "$P" >/dev/null && scan_start_servers "$work" || { bench_skip "cannot build the scan LAN"; exit 0; }
S() { ip netns exec "$P-s" "$@"; }
TARGET=$SCAN_NET.11
H1_MAC=$(tr ' ' '\n' <<<"$SCAN_HOSTS" | sed -n 's/^h1:11://p')
# the truth: ports with a listening TCP socket on h1, hosts on the LAN but the scanner
true_ports=$(in_ns h1 ss -Hltn | awk '{n = split($4, a, ":"); print a[n]}' | sort -u | wc -l)
true_hosts=$(( $(wc -w <<<"$SCAN_HOSTS") - 1 ))

# measure PATTERN CMD...: ROUNDS runs; prints "median-seconds found" where found is
# the median count of output lines matching PATTERN (min-max when the runs differ)
measure() {
	local pat=$1 i t0 t1 n
	shift
	for ((i = 0; i < ROUNDS; i++)); do
		t0=$(date +%s%N)
		n=$("$@" 2>/dev/null | grep -cE "$pat")
		t1=$(date +%s%N)
		echo "$(( (t1 - t0) / 1000000 )) $n"
	done >"$work/m"
	awk '{print $1 / 1000}' "$work/m" | median | tr '\n' ' '
	awk '{print $2}' "$work/m" | sort -n | awk '{a[NR] = $1} END {
		m = a[int((NR + 1) / 2)]; printf "%s\n", (a[1] == a[NR] ? m : m " (" a[1] "-" a[NR] ")")}'
}
echo "h1 ($TARGET): $true_ports TCP ports open; LAN: $true_hosts hosts besides the scanner"
printf '%-46s %8s %12s %9s %10s\n' tool seconds found accuracy gotracer-x
row() {
	awk -v n="$1" -v t="$2" -v f="$3" -v truth="$4" -v base="$5" \
		'BEGIN {split(f, a, " "); printf "%-46s %8.2f %12s %8.0f%% %10.2f\n", n, t, f, a[1] * 100 / truth, t / base}'
}
# run_row NAME TRUTH BASE PATTERN CMD...; sets LAST to the median seconds
run_row() {
	local name=$1 truth=$2 base=$3 pat=$4 t f
	shift 4
	read -r t f < <(measure "$pat" "$@")
	LAST=$t
	row "$name" "$t" "$f" "$truth" "${base:-$t}"
}

open='"state":"open"|/tcp +open|^Discovered open port'
run_row "gotracer scan syn -p 1-65535 --rate $RATE" "$true_ports" "" "$open" \
	S "$GOTRACER" scan syn "$TARGET" -p 1-65535 --rate "$RATE" --no-service --json
syn=$LAST
run_row "nmap -sS -T4 -p-" "$true_ports" "$syn" "$open" \
	S nmap -n -Pn -sS -T4 -p- "$TARGET"
if command -v masscan >/dev/null; then
	# masscan answers from its own stack: give it a source port the scanner's kernel
	# drops (masscan's documented way), or the kernel resets its half-open connections
	S nft add table inet gtbench
	S nft add chain inet gtbench input '{ type filter hook input priority 0; }'
	S nft add rule inet gtbench input tcp dport 61000 drop
	run_row "masscan -p1-65535 --rate $RATE --wait 2" "$true_ports" "$syn" "$open" \
		S masscan -e eth0 --router-mac "$H1_MAC" --source-port 61000 \
		-p1-65535 --rate "$RATE" --wait 2 "$TARGET"
	S nft delete table inet gtbench
else
	bench_skip "masscan is not installed"
fi
run_row "gotracer scan tcp -p 1-65535 --rate $RATE" "$true_ports" "" "$open" \
	S "$GOTRACER" scan tcp "$TARGET" -p 1-65535 --rate "$RATE" --no-service --json
run_row "nmap -sT -T4 -p-" "$true_ports" "$LAST" "$open" \
	S nmap -n -Pn -sT -T4 -p- "$TARGET"

up='"replied":true|^10\.210\.0\.'
run_row "gotracer scan arp /24 --rate 1000" "$true_hosts" "" "$up" \
	S "$GOTRACER" scan arp "$SCAN_NET.0/24" -i eth0 --rate 1000 --no-neigh --json
run_row "arp-scan --interval=1ms /24" "$true_hosts" "$LAST" "$up" \
	S arp-scan -I eth0 --interval=1 "$SCAN_NET.0/24"
echo "(gotracer-x: the tool's time over gotracer's in the same group; > 1 means gotracer finished"
echo " that many times sooner. masscan's time includes its fixed 2 s --wait after the last probe.)"
