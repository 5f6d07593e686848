# Shared by the capture suites (capture, flows, lifecycle): run gotracer in
# namespace $NETNS_P-a in the background and talk to it. Source after
# tests/lib/shell.sh and scripts/netns.sh.
#
#   gt_topology NAME        a fresh veth pair (prefix unique to this run), torn down at exit
#   gt_bg TAG ARGS...       start "gotracer ARGS" in ns a; output in $T/TAG.out/.err;
#                           returns once it has attached (GT_PID set), 1 if it did not
#   gt_wait [SECONDS]       wait for GT_PID to end by itself (default 10 s); 1 on timeout
#   gt_stop [SIG]           send SIG (INT) and wait; returns its exit status
#   gt_attached             0 when any GoTracer program is on gt0 (tc or xdp)
#   quiet_link              no IPv6 chatter and no ARP on the pair: only the test's packets
#   udp_echo_server PORT    in ns b: answer one datagram in upper case
#   tcp_sink PORT           in ns b: accept one connection, read to EOF, print the byte count

T=${T:-$(mktemp -d /tmp/gt-netns.XXXXXX)}
t_on_exit "rm -rf $T"
GT_PID=

gt_topology() {
	local p=gt${1}$$
	t_on_exit "netns_teardown $p"
	netns_pair "$p" >/dev/null
}

gt_bg() {
	local tag=$1 i
	shift
	ip netns exec "$NETNS_P-a" "$GOTRACER" "$@" >"$T/$tag.out" 2>"$T/$tag.err" &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
	for i in $(seq 100); do
		grep -qs "egress on tc" "$T/$tag.err" && return 0
		kill -0 "$GT_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

gt_wait() {
	local i limit=$((${1:-10} * 10))
	for i in $(seq "$limit"); do
		if ! kill -0 "$GT_PID" 2>/dev/null; then
			wait "$GT_PID" 2>/dev/null
			local rc=$?
			# 127: not our child (started inside a pipeline), its status is unknown
			[ $rc -eq 127 ] && return 0
			return $rc
		fi
		sleep 0.1
	done
	kill -9 "$GT_PID" 2>/dev/null
	wait "$GT_PID" 2>/dev/null
	return 124
}

gt_stop() {
	kill -"${1:-INT}" "$GT_PID" 2>/dev/null
	gt_wait 10
}

gt_attached() {
	in_a tc filter show dev gt0 ingress | grep -q . && return 0
	in_a tc filter show dev gt0 egress | grep -q . && return 0
	in_a ip link show gt0 | grep -q 'prog/xdp\|xdp' && return 0
	return 1
}

udp_echo_server() {
	in_b /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(10)
d, a = s.recvfrom(2048)
s.sendto(d.upper(), a)' "$1" &
}

tcp_sink() {
	in_b /usr/bin/python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(1)
s.settimeout(10)
c, _ = s.accept()
n = 0
while True:
    d = c.recv(65536)
    if not d:
        break
    n += len(d)
print(n)' "$1"
}

# udp_send PORT TEXT: from ns a, send TEXT to ns b and print the answer
udp_send() {
	in_a /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(sys.argv[2].encode(), ("'"$NETNS_B_IP"'", int(sys.argv[1])))
print(s.recv(2048).decode())' "$1" "$2"
}

# tcp_send PORT BYTES: from ns a, send BYTES bytes to ns b and close
tcp_send() {
	in_a /usr/bin/python3 -c '
import socket, sys
s = socket.create_connection(("'"$NETNS_B_IP"'", int(sys.argv[1])), timeout=10)
s.sendall(b"x" * int(sys.argv[2]))
s.close()' "$1" "$2"
}

# wait_port PORT PROTO: until something listens on PORT in ns b
wait_port() {
	local i
	for i in $(seq 50); do
		in_b ss -lnH -"${2:-t}" "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# No IPv6 chatter (router solicitations, MLD) and no ARP (static neighbours):
# the link carries only the test's packets.
quiet_link() {
	in_a sysctl -qw net.ipv6.conf.gt0.disable_ipv6=1
	in_b sysctl -qw net.ipv6.conf.gt1.disable_ipv6=1
	in_a ip neigh replace "$NETNS_B_IP" lladdr "$NETNS_B_MAC" dev gt0 nud permanent
	in_b ip neigh replace "$NETNS_A_IP" lladdr "$NETNS_A_MAC" dev gt1 nud permanent
}

# pid of the gotracer running in ns a (when started inside a pipeline)
gt_pid_in_a() {
	local p
	for p in $(ip netns pids "$NETNS_P-a"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = gotracer ] && { echo "$p"; return 0; }
	done
	return 1
}
