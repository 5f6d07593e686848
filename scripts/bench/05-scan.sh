#!/usr/bin/env bash
# Part 8: scans against the tools people use for them, on the scan tests' LAN of
# namespaces (tests/scan/topology.sh: 4 hosts on a bridge, real servers on h1).
# Same packet rate for every tool; wall time is the median of ROUNDS runs, and what
# each tool found is shown beside it so a fast wrong answer cannot pass unseen.
source scripts/bench/lib.sh
source scripts/netns.sh
source tests/scan/topology.sh
bench_title "8. Scans (median wall seconds of $ROUNDS runs; found = hosts up or open ports)"
for tool in nmap arp-scan; do
	command -v "$tool" >/dev/null || { bench_skip "$tool is not installed (make deps-bench)"; exit 0; }
done
P=gtbench$$
work=$(mktemp -d)
trap 'netns_teardown $P; rm -rf "$work"' EXIT
scan_lan "$P" >/dev/null && scan_start_servers "$work" || { bench_skip "cannot build the scan LAN"; exit 0; }
S() { ip netns exec "$P-s" "$@"; }

printf '%-52s %9s %7s %10s\n' "tool" seconds found gotracer-x
row() { awk -v name="$1" -v t="$2" -v found="$3" -v base="$4" \
	'BEGIN {printf "%-52s %9.2f %7s %10.2f\n", name, t, found, t / base}'; }

# ARP sweep of the /24 at 1000 requests a second, 2 retries each
ours=$(median_time S "$GOTRACER" scan arp 10.210.0.0/24 -i eth0 --rate 1000 --no-neigh)
found=$(S "$GOTRACER" scan arp 10.210.0.0/24 -i eth0 --rate 1000 --no-neigh --json | grep -c '"replied":true')
row "gotracer scan arp /24 --rate 1000" "$ours" "$found" "$ours"
t=$(median_time S arp-scan -I eth0 --interval=1 --retry=3 10.210.0.0/24)
found=$(S arp-scan -I eth0 --interval=1 --retry=3 10.210.0.0/24 | grep -c '^10\.210\.0\.')
row "arp-scan --interval=1ms --retry=3 /24" "$t" "$found" "$ours"

# SYN scan of every port of h1 at 50000 probes a second
ours=$(median_time S "$GOTRACER" scan syn 10.210.0.11 -p 1-65535 --rate 50000 --no-service)
found=$(S "$GOTRACER" scan syn 10.210.0.11 -p 1-65535 --rate 50000 --no-service --json | grep -c '"state":"open"')
row "gotracer scan syn -p 1-65535 --rate 50000" "$ours" "$found" "$ours"
nmap_syn=(nmap -n -Pn -sS -p- --min-rate 50000 --max-rate 50000 --max-retries 2 10.210.0.11)
t=$(ROUNDS=$((ROUNDS < 3 ? ROUNDS : 3)) median_time S "${nmap_syn[@]}")
found=$(S "${nmap_syn[@]}" | grep -c '/tcp *open')
row "nmap -sS -p- --min/max-rate 50000 (<= 3 runs)" "$t" "$found" "$ours"
if command -v masscan >/dev/null; then
	mass=(masscan -e eth0 --router-mac 00:1b:21:0a:0b:01 -p1-65535 --rate 50000 --wait 2 10.210.0.11)
	t=$(median_time S "${mass[@]}")
	found=$(S "${mass[@]}" 2>/dev/null | grep -c '^Discovered open port')
	row "masscan -p1-65535 --rate 50000 --wait 2" "$t" "$found" "$ours"
fi

# connect scan of every port of h1 at 50000 a second
ours=$(median_time S "$GOTRACER" scan tcp 10.210.0.11 -p 1-65535 --rate 50000 --no-service)
found=$(S "$GOTRACER" scan tcp 10.210.0.11 -p 1-65535 --rate 50000 --no-service --json | grep -c '"state":"open"')
row "gotracer scan tcp -p 1-65535 --rate 50000" "$ours" "$found" "$ours"
nmap_connect=(nmap -n -Pn -sT -p- --min-rate 50000 --max-rate 50000 --max-retries 2 10.210.0.11)
t=$(ROUNDS=$((ROUNDS < 3 ? ROUNDS : 3)) median_time S "${nmap_connect[@]}")
found=$(S "${nmap_connect[@]}" | grep -c '/tcp *open')
row "nmap -sT -p- --min/max-rate 50000 (<= 3 runs)" "$t" "$found" "$ours"
echo "(gotracer-x: the tool's time over gotracer's; > 1 means gotracer finished that many times sooner."
echo " masscan waits a fixed --wait after its last probe; its replies are answered with RSTs by the kernel.)"
