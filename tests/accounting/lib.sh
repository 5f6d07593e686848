# Shared by the accounting suites: known traffic and a real IPFIX collector.
# Source after tests/lib/shell.sh, scripts/netns.sh and tests/netns/capture_lib.sh.
#
#   link_stats              ip -s link of gt0 in ns a: "rx_packets rx_bytes tx_packets tx_bytes"
#   no_offloads             GSO/TSO/GRO off on both ends: the kernel counts wire frames
#   tcp_transfer PORT SIZE  SIZE bytes from ns a to a sink in ns b; 0 when all arrived
#   udp_burst PORT N LEN    N datagrams of LEN payload bytes from ns a to a sink in ns b
#                           that counts them; 0 when all N arrived
#   collector_start PORT    nfcapd on 127.0.0.1:PORT in ns a, files in a fresh $NF_DIR
#                           (nfcapd names its files by the hour: one folder per run)
#   collector_flows         stop nfcapd, print its flows: "src dst sport dport proto packets bytes"

link_stats() {
	in_a ip -s -j link show gt0 | jq -r '.[0].stats64 | "\(.rx.packets) \(.rx.bytes) \(.tx.packets) \(.tx.bytes)"'
}

no_offloads() {
	in_a ethtool -K gt0 tso off gso off gro off >/dev/null 2>&1
	in_b ethtool -K gt1 tso off gso off gro off >/dev/null 2>&1
}

tcp_transfer() {
	tcp_sink "$1" >"$T/sink.$1" &
	local sink=$!
	wait_port "$1" t
	tcp_send "$1" "$2"
	wait $sink
	[ "$(cat "$T/sink.$1")" = "$2" ]
}

udp_burst() {
	in_b /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(10)
n = 0
while n < int(sys.argv[2]):
    s.recv(65536)
    n += 1
print(n)' "$1" "$2" >"$T/udp.$1" &
	local sink=$!
	wait_port "$1" u
	in_a /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"u" * int(sys.argv[3]), ("'"$NETNS_B_IP"'", int(sys.argv[1])))
    time.sleep(0.002)' "$1" "$2" "$3"
	wait $sink
	[ "$(cat "$T/udp.$1")" = "$2" ]
}

NF_PID= NF_DIR=
collector_start() {
	NF_DIR=$(mktemp -d "$T/nf.XXXXXX")
	# ip netns exec execs nfcapd: $! is the collector itself, so TERM reaches it
	ip netns exec "$NETNS_P-a" nfcapd -b 127.0.0.1 -p "$1" -w "$NF_DIR" -t 3600 >"$NF_DIR.log" 2>&1 &
	NF_PID=$!
	t_on_exit "kill -9 $NF_PID"
	local i
	for i in $(seq 50); do
		in_a ss -lnHu "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

collector_flows() {
	kill -TERM "$NF_PID" 2>/dev/null
	wait "$NF_PID" 2>/dev/null
	# called in $(...) wait cannot reach the collector: its exit renames the
	# current file to the final one, so wait for that
	local i
	for i in $(seq 100); do
		ls "$NF_DIR"/nfcapd.current.* >/dev/null 2>&1 || break
		sleep 0.1
	done
	nfdump -R "$NF_DIR" -q -N -o 'fmt:%sa %da %sp %dp %pr %pkt %byt' 2>/dev/null | awk '{$1=$1; print}'
}
