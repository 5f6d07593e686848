#!/usr/bin/env bash
# Browser end-to-end for the Devices view and Tools → Port scan: the scan suites' LAN
# (tests/scan/topology.sh: hosts with MACs from known registries, real listeners,
# ports dropped and rejected by nftables, pings dropped on h4), the real
# `gotracer serve` on the scanner host's eth0 listening on 127.0.0.1 inside that
# namespace, and Chromium there too, driven by playwright-core (devices.mjs).
# tcpdump on the scanner's interface checks afterwards that only the targets the page
# gave were probed. Screenshots land in $O/test-output/e2e-devices/.
set -u
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
source scripts/netns.sh
source tests/scan/topology.sh
source tests/e2e/lib.sh
t_start e2e-devices

O=${O:-build}
OUT=$PWD/$O/test-output/e2e-devices
GT=$(realpath -m "${GOTRACER:-$O/gotracer}")
PORT=8080 # the namespace has its own loopback
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.pcap "$OUT"/tcpdump.log

if ! e2e_prepare "$OUT" tshark tcpdump openssl dropbear redis-server nft /usr/bin/python3; then
	t_fail "prerequisites" "missing:$E2E_MISSING"
	t_done
	exit 1
fi

P=gtdev$$
WORK=$(mktemp -d)
# last registered runs first: a second teardown catches a browser still exiting
t_on_exit "rm -rf $WORK"
t_on_exit "sleep 1; netns_teardown $P"
t_on_exit "netns_teardown $P"
t_on_exit "rm -rf /etc/netns/$P-s"
if ! scan_lan "$P"; then
	t_fail "topology" "cannot build the scan LAN"
	t_done
	exit 1
fi
# scan_lan's ping to h4 left h4 an entry for the scanner in DELAY: 5 s later h4 would
# probe it with an ARP request, which puts h4 in the scanner's neighbour table, and an
# ARP sweep after that moment says "neighbour table" for h4 too. When that is depends
# on the machine's speed: forget the hosts' entries (no probe comes), then the
# scanner's (in case one came already)
for h in h1 h2 h3 h4 s; do in_ns "$h" ip neigh flush dev eth0; done
# scan_start_servers waits for its listeners, but briefly: give a loaded machine longer
scan_start_servers "$WORK" 2>/dev/null
if ! why=$(e2e_wait_listen "$P-h1" 21 22 25 80 443 2>&1) || ! why=$(e2e_wait_listen "$P-h2" 6379 8080 2>&1); then
	t_fail "servers" "the test servers did not start: $why"
fi
scan_drop h1 8081
in_ns h1 nft add rule inet scantest input tcp dport 8082 reject with icmp type host-unreachable
scan_drop h4 icmp
# a neighbour the kernel knows that does not answer: the Devices view marks its source
in_ns s ip neigh replace 10.210.0.25 lladdr 00:50:56:00:00:25 dev eth0 nud permanent
# Chromium's own lookups stay on the namespace's loopback
mkdir -p "/etc/netns/$P-s"
echo "nameserver 127.0.0.1" >"/etc/netns/$P-s/resolv.conf"

# every probe the scanner host sends, for the "only the targets" check at the end
in_ns s tcpdump -i eth0 -nn -U -w "$OUT/wire.pcap" 'arp or icmp or tcp' >/dev/null 2>"$OUT/tcpdump.log" &
DUMP_PID=$!
t_on_exit "kill $DUMP_PID"
# it says "listening on" once its capture is open: from then on it sees every probe
end=$((SECONDS + E2E_WAIT))
until grep -qs "listening on" "$OUT/tcpdump.log" || [ "$SECONDS" -ge "$end" ] || ! kill -0 "$DUMP_PID" 2>/dev/null; do
	sleep 0.1
done
grep -qs "listening on" "$OUT/tcpdump.log" || t_fail "tcpdump captures" "$(tr '\n' ' ' <"$OUT/tcpdump.log")"

if ! e2e_serve "$P-s" "$PORT" "$OUT/serve.log" serve -i eth0 --listen "127.0.0.1:$PORT" --web-root "$OUT/dist"; then
	t_done
	exit 1
fi

export GT_URL="http://127.0.0.1:$PORT/" GT_OUT="$OUT" GT_NS_PREFIX="$P"
e2e_browser in_ns s timeout 600 node tests/e2e/devices.mjs

sleep 0.5
kill "$DUMP_PID" 2>/dev/null
wait "$DUMP_PID" 2>/dev/null
# The page asked for: ARP sweeps of 10.210.0.0/24, of 10.210.0.11-14,10.210.0.20 and
# of 10.210.0.0/16 (cancelled), a ping sweep of 10.210.0.11-14,10.210.0.20, port
# scans of 10.210.0.11-12, 10.210.0.11 and 10.210.0.20-30 (cancelled).
fields() { tshark -r "$OUT/wire.pcap" -Y "$1" -T fields -e "$2" 2>/dev/null | sort -u; }
syn_dst=$(fields '!icmp && ip.src == 10.210.0.1 && tcp.flags.syn == 1 && tcp.flags.ack == 0' ip.dst)
t_eq "port scans probed only their targets" \
	"$(echo "$syn_dst" | grep -Ev '^10\.210\.0\.(1[12]|2[0-9]|30)$' | tr '\n' ' ')" ""
t_check "port scans reached both hosts" grep -qx 10.210.0.12 <<<"$syn_dst"
# (10.210.0.20 is a target too, but nobody answers its ARP: no echo leaves for it)
t_eq "the ping sweep asked exactly its targets that exist" \
	"$(fields 'ip.src == 10.210.0.1 && icmp.type == 8' ip.dst | tr '\n' ' ')" "10.210.0.11 10.210.0.12 10.210.0.13 10.210.0.14 "
t_eq "ARP sweeps asked only inside 10.210.0.0/16" \
	"$(fields 'arp.opcode == 1 && arp.src.proto_ipv4 == 10.210.0.1' arp.dst.proto_ipv4 | grep -v '^10\.210\.' | tr '\n' ' ')" ""
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
t_eq "no program left on the scanner's eth0 (bpftool net)" \
	"$(in_ns s bpftool -j net show dev eth0 2>&1)" '[{"xdp":[],"tc":[],"flow_dissector":[]}]'

t_done
