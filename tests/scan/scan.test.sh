#!/usr/bin/env bash
# gotracer scan arp|ping|tcp|syn against a LAN of namespaces on a bridge
# (tests/scan/topology.sh): hosts with MACs from known registries, real servers,
# closed ports, and ports and pings dropped by nftables. Every scan must report
# exactly the truth the topology was built with.
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
source scripts/netns.sh
source tests/scan/topology.sh
t_start scan

P=gtscan$$
WORK=$(mktemp -d)
t_on_exit rm -rf "$WORK"
t_on_exit netns_teardown "$P"
G=$GOTRACER

if ! scan_lan "$P"; then
	t_fail "topology" "cannot build the scan LAN"
	t_done
	exit 1
fi
scan_start_servers "$WORK" || t_fail "servers" "the test servers did not start"
scan_drop h1 8081
# 8082 answers with ICMP host-unreachable: filtered too, by another reason
in_ns h1 nft add rule inet scantest input tcp dport 8082 reject with icmp type host-unreachable
scan_drop h4 icmp
# a neighbour the kernel knows that will not answer: it must show, marked
in_ns s ip neigh replace 10.210.0.25 lladdr 00:50:56:00:00:25 dev eth0 nud permanent

# -oX against nmap's own DTD and stylesheet, when nmap is installed. The DTD allows only
# scanner="nmap"; ours says "gotracer", so that one attribute is swapped before validating.
NMAP_DTD=/usr/share/nmap/nmap.dtd
NMAP_XSL=/usr/share/nmap/nmap.xsl
check_nmap_dtd() {
	local name=$1 file=$2
	if [ ! -r "$NMAP_DTD" ]; then
		t_skip "$name: valid against nmap.dtd" "nmap is not installed"
		return
	fi
	sed 's/scanner="gotracer"/scanner="nmap"/' "$file" >"$file.nmap"
	t_check "$name: valid against nmap.dtd" xmlstarlet val -q -e -d "$NMAP_DTD" "$file.nmap"
}

# jq -r over JSON lines, one field per matching object
jq_lines() { jq -r "$1" "$2" | sort | tr '\n' ' ' | sed 's/ $//'; }

test_arp() {
	local dump
	in_ns s "$G" scan arp 10.210.0.0/24 -i eth0 --json >"$WORK/arp.json" 2>"$WORK/arp.err"
	t_eq "arp: exit status" "$?" 0
	t_eq "arp: hosts that answered" \
		"$(jq_lines 'select(.replied) | .addr + "=" + .mac' "$WORK/arp.json")" \
		"10.210.0.11=00:1b:21:0a:0b:01 10.210.0.12=00:50:56:0a:0b:02 10.210.0.13=0a:11:22:33:44:55 10.210.0.14=70:b3:d5:f2:f0:04"
	t_eq "arp: vendors from ieee-data" \
		"$(jq_lines 'select(.replied) | .addr + "=" + (.vendor // "none")' "$WORK/arp.json")" \
		"10.210.0.11=Intel Corporate 10.210.0.12=VMware, Inc. 10.210.0.13=none 10.210.0.14=TELEPLATFORMS"
	t_eq "arp: locally administered MAC flagged" \
		"$(jq_lines 'select(.local_mac) | .addr' "$WORK/arp.json")" "10.210.0.13"
	t_eq "arp: neighbour-table entry included and marked" \
		"$(jq_lines 'select(.neighbor and (.replied | not)) | .addr + "=" + .mac + "=" + .vendor' "$WORK/arp.json")" \
		"10.210.0.25=00:50:56:00:00:25=VMware, Inc."
	# a narrower sweep: the wire must carry requests for those addresses only
	in_ns s tcpdump -i eth0 -nn -U -w "$WORK/arp3.pcap" arp >/dev/null 2>&1 &
	dump=$!
	sleep 0.5
	in_ns s "$G" scan arp 10.210.0.11-12,10.210.0.20 -i eth0 --no-neigh --retries 1 --json >"$WORK/arp2.json"
	sleep 0.3
	kill "$dump"; wait "$dump" 2>/dev/null
	t_eq "arp: only the given targets are asked" \
		"$(tshark 2>/dev/null -r "$WORK/arp3.pcap" -Y 'arp.opcode == 1 && arp.src.proto_ipv4 == 10.210.0.1' -T fields -e arp.dst.proto_ipv4 | sort -u | tr '\n' ' ')" \
		"10.210.0.11 10.210.0.12 10.210.0.20 "
	t_eq "arp: the silent address is retried, then given up (1 + 1 requests)" \
		"$(tshark 2>/dev/null -r "$WORK/arp3.pcap" -Y 'arp.opcode == 1 && arp.dst.proto_ipv4 == 10.210.0.20' | wc -l)" 2
	t_eq "arp: range result" "$(jq_lines '.addr' "$WORK/arp2.json")" "10.210.0.11 10.210.0.12"
	# no CIDR, no -i: the subnet of the default-route interface
	in_ns s ip route add default via 10.210.0.11 dev eth0
	in_ns s "$G" scan arp --no-neigh --json >"$WORK/arp-default.json"
	in_ns s ip route del default
	t_eq "arp: bare 'scan arp' sweeps the default-route interface's subnet" \
		"$(jq_lines '.addr' "$WORK/arp-default.json")" "10.210.0.11 10.210.0.12 10.210.0.13 10.210.0.14"
	in_ns s "$G" scan arp 10.210.0.0/24 -i eth0 -oX "$WORK/arp.xml" >/dev/null 2>&1
	t_check "arp: -oX is valid XML" xmlstarlet val -q -e "$WORK/arp.xml"
	check_nmap_dtd "arp: -oX" "$WORK/arp.xml"
	t_eq "arp: -oX mac address and vendor" \
		"$(xmlstarlet sel -t -v '/nmaprun/host[address[@addr="10.210.0.11"]]/address[@addrtype="mac"]/@vendor' "$WORK/arp.xml")" \
		"Intel Corporate"
}

test_ping() {
	in_ns s "$G" scan ping 10.210.0.11-14,10.210.0.20 --retries 1 --timeout 300 --json \
		-oX "$WORK/ping.xml" >"$WORK/ping.json"
	t_eq "ping: exit status" "$?" 0
	t_eq "ping: reachable hosts" "$(jq_lines 'select(.replied) | .addr' "$WORK/ping.json")" \
		"10.210.0.11 10.210.0.12 10.210.0.13"
	t_eq "ping: silent hosts (echo dropped, nobody there)" \
		"$(jq_lines 'select(.replied | not) | .addr' "$WORK/ping.json")" "10.210.0.14 10.210.0.20"
	t_eq "ping: an RTT for every reachable host" \
		"$(jq -r 'select(.replied) | .rtt_ms > 0' "$WORK/ping.json" | sort -u)" "true"
	check_nmap_dtd "ping: -oX" "$WORK/ping.xml"
	t_eq "ping: -oX hosts up" "$(xmlstarlet sel -t -v '/nmaprun/runstats/hosts/@up' -o ' of ' -v '/nmaprun/runstats/hosts/@total' "$WORK/ping.xml")" "3 of 5"
	# a whole /24: most addresses are silent, their probes pile up waiting for ARP
	# until the kernel says ENOBUFS; the sweep must go on, not fail
	in_ns s "$G" scan ping 10.210.0.0/24 --retries 0 --timeout 300 --json >"$WORK/ping24.json"
	t_eq "ping: a /24 of mostly silent addresses completes" "$?" 0
	t_eq "ping: a /24 finds the reachable hosts" \
		"$(jq_lines 'select(.replied) | .addr' "$WORK/ping24.json")" "10.210.0.1 10.210.0.11 10.210.0.12 10.210.0.13"
}

PORTS=21,22,25,80,81,443,8081,8082
# the truth on h1: open servers, 81 closed, 8081 dropped and 8082 rejected (ICMP) by
# nftables; h3 has nothing open
EXPECT_H1="21=open 22=open 25=open 80=open 81=closed 443=open 8081=filtered 8082=filtered"
EXPECT_H3="21=closed 22=closed 25=closed 80=closed 81=closed 443=closed 8081=closed 8082=closed"
# why each filtered port is filtered
EXPECT_WHY="8081=no-response 8082=host-unreach"

filtered_reasons() { jq -r "select(.type == \"port\" and .state == \"filtered\") | \"\(.port)=\(.reason)\"" "$1" | sort -n | tr '\n' ' ' | sed 's/ $//'; }

port_states() { jq -r "select(.type == \"port\" and .addr == \"$1\") | \"\(.port)=\(.state)\"" "$2" | sort -n | tr '\n' ' ' | sed 's/ $//'; }

test_tcp_connect() {
	in_ns s "$G" scan tcp 10.210.0.11,10.210.0.13 -p $PORTS --retries 1 --timeout 500 \
		--no-service --json >"$WORK/tcp.json"
	t_eq "tcp: exit status" "$?" 0
	t_eq "tcp: states on h1" "$(port_states 10.210.0.11 "$WORK/tcp.json")" "$EXPECT_H1"
	t_eq "tcp: states on h3" "$(port_states 10.210.0.13 "$WORK/tcp.json")" "$EXPECT_H3"
	t_eq "tcp: why filtered" "$(filtered_reasons "$WORK/tcp.json")" "$EXPECT_WHY"
	t_eq "tcp: no TIME_WAIT left behind" "$(in_ns s ss -Htan state time-wait | wc -l)" 0
	in_ns s "$G" scan tcp 10.210.0.12 --top-ports 20 --no-service --json >"$WORK/top.json"
	t_eq "tcp: --top-ports 20 probes 20 ports" "$(jq -r 'select(.type == "port") | .port' "$WORK/top.json" | wc -l)" 20
	t_eq "tcp: --top-ports includes http" "$(jq -r 'select(.type == "port" and .port == 80) | .state' "$WORK/top.json")" closed
}

# programs at tcx ingress of the scanner's eth0 (this run's own namespace: other runs
# and the unit tests' loaded-but-unattached programs do not count)
tcx_programs() { in_ns s /usr/bin/python3 tests/scan/tcx_count.py eth0; }

test_syn() {
	local rsts_before rsts_after
	rsts_before=$(in_ns s nstat -az TcpOutRsts | awk '/TcpOutRsts/ {print $2}')
	in_ns h1 tcpdump -i eth0 -nn -U -w "$WORK/syn.pcap" 'tcp and src host 10.210.0.1' >/dev/null 2>&1 &
	local dump=$!
	sleep 0.5
	in_ns s "$G" scan syn 10.210.0.11,10.210.0.13 -p $PORTS --retries 1 --timeout 500 \
		--no-service --json -oX "$WORK/syn.xml" >"$WORK/syn.json"
	t_eq "syn: exit status" "$?" 0
	sleep 0.3
	kill "$dump"; wait "$dump" 2>/dev/null
	rsts_after=$(in_ns s nstat -az TcpOutRsts | awk '/TcpOutRsts/ {print $2}')
	t_eq "syn: states on h1" "$(port_states 10.210.0.11 "$WORK/syn.json")" "$EXPECT_H1"
	t_eq "syn: states on h3" "$(port_states 10.210.0.13 "$WORK/syn.json")" "$EXPECT_H3"
	t_eq "syn: why filtered (ICMP unreachable taken in the kernel too)" \
		"$(filtered_reasons "$WORK/syn.json")" "$EXPECT_WHY"
	t_eq "syn: replies come from the kernel hook (reason syn-ack/reset)" \
		"$(jq -r 'select(.state != "filtered") | .reason' "$WORK/syn.json" | sort -u | tr '\n' ' ')" "reset syn-ack "
	t_eq "syn: the scanner's kernel sent no reset (replies dropped at ingress)" \
		"$((rsts_after - rsts_before))" 0
	t_eq "syn: each open port got exactly one reset, ours" \
		"$(tshark 2>/dev/null -r "$WORK/syn.pcap" -Y 'tcp.flags.reset == 1' -T fields -e tcp.dstport | sort -n | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')" \
		"21x1 22x1 25x1 80x1 443x1 "
	t_eq "syn: the probes carry no two equal sequence numbers" \
		"$(tshark 2>/dev/null -r "$WORK/syn.pcap" -Y 'tcp.flags.syn == 1' -T fields -o tcp.relative_sequence_numbers:FALSE -e tcp.seq | sort | uniq -d | wc -l)" 0
	t_eq "syn: the reply program is gone after the scan" "$(tcx_programs)" 0
	t_check "syn: -oX is valid XML" xmlstarlet val -q -e "$WORK/syn.xml"
	t_eq "syn: -oX has nmap's structure" \
		"$(xmlstarlet sel -t -m '/nmaprun/host[address/@addr="10.210.0.11"]/ports/port' -v '@portid' -o '=' -v 'state/@state' -o ' ' "$WORK/syn.xml" | sed 's/ $//')" \
		"$EXPECT_H1"
	check_nmap_dtd "syn: -oX" "$WORK/syn.xml"
	if [ -r "$NMAP_XSL" ]; then
		xmlstarlet tr "$NMAP_XSL" "$WORK/syn.xml" >"$WORK/syn.html" 2>/dev/null
		t_check "syn: nmap's stylesheet renders our -oX" grep -q '<td>open</td>' "$WORK/syn.html"
	else
		t_skip "syn: nmap's stylesheet renders our -oX" "nmap is not installed"
	fi
	t_eq "syn: -oX scaninfo" "$(xmlstarlet sel -t -v '/nmaprun/scaninfo/@type' -o ' ' -v '/nmaprun/scaninfo/@services' "$WORK/syn.xml")" "syn $PORTS"
	if command -v nmap >/dev/null; then
		in_ns s nmap -n -Pn -sS -p $PORTS --max-retries 1 -oX "$WORK/nmap.xml" 10.210.0.11 10.210.0.13 >/dev/null 2>&1
		local ours theirs
		for h in 10.210.0.11 10.210.0.13; do
			ours=$(xmlstarlet sel -t -m "/nmaprun/host[address/@addr='$h']/ports/port" -v '@portid' -o '=' -v 'state/@state' -o ' ' "$WORK/syn.xml")
			theirs=$(xmlstarlet sel -t -m "/nmaprun/host[address/@addr='$h']/ports/port" -v '@portid' -o '=' -v 'state/@state' -o ' ' "$WORK/nmap.xml")
			t_eq "syn: same port states as nmap -sS on $h" "$ours" "$theirs"
		done
	else
		t_skip "syn: same port states as nmap -sS" "nmap is not installed"
	fi
}

# the same scan with the reply program at XDP (chosen by hand: a veth gets TC by default)
xdp_on_eth0() { in_ns s ip link show eth0 | grep -c 'prog/xdp'; }
test_syn_xdp() {
	local rsts_before rsts_after pid i
	rsts_before=$(in_ns s nstat -az TcpOutRsts | awk '/TcpOutRsts/ {print $2}')
	ip netns exec "$SCAN_P-s" "$G" scan syn 10.210.0.11,10.210.0.13 -p $PORTS --retries 1 \
		--timeout 500 --no-service --json --hook xdp -v >"$WORK/xdp.json" 2>"$WORK/xdp.err" &
	pid=$!
	t_on_exit kill -9 "$pid"
	for i in $(seq 50); do [ "$(xdp_on_eth0)" -ge 1 ] && break; sleep 0.05; done
	t_eq "syn at XDP: the program is attached at XDP while scanning" "$(xdp_on_eth0)" 1
	wait "$pid"
	t_eq "syn at XDP: exit status" "$?" 0
	rsts_after=$(in_ns s nstat -az TcpOutRsts | awk '/TcpOutRsts/ {print $2}')
	t_check "syn at XDP: it says where" grep -q 'replies taken at XDP' "$WORK/xdp.err"
	t_eq "syn at XDP: states on h1" "$(port_states 10.210.0.11 "$WORK/xdp.json")" "$EXPECT_H1"
	t_eq "syn at XDP: states on h3" "$(port_states 10.210.0.13 "$WORK/xdp.json")" "$EXPECT_H3"
	t_eq "syn at XDP: why filtered" "$(filtered_reasons "$WORK/xdp.json")" "$EXPECT_WHY"
	t_eq "syn at XDP: the scanner's kernel sent no reset" "$((rsts_after - rsts_before))" 0
	t_eq "syn at XDP: nothing left attached" "$(xdp_on_eth0) $(tcx_programs)" "0 0"

	# XDP already held by another program (here a copy of the scan object, loaded by ip
	# with no key: it passes everything): the scan takes its replies at TC instead and
	# leaves that program alone
	local other
	if in_ns s ip link set dev eth0 xdp obj "${O:-build}/bpf/scan.bpf.o" sec xdp 2>/dev/null; then
		other=$(in_ns s ip link show eth0 | grep -o 'prog/xdp id [0-9]*')
		in_ns s "$G" scan syn 10.210.0.11 -p 80,81 --no-service --json --hook xdp \
			>"$WORK/xdp2.json" 2>"$WORK/xdp2.err"
		t_check "syn at XDP, device taken: falls back to TC and says so" \
			grep -q 'XDP is taken.*using TC' "$WORK/xdp2.err"
		t_eq "syn at XDP, device taken: states" "$(port_states 10.210.0.11 "$WORK/xdp2.json")" "80=open 81=closed"
		t_eq "syn at XDP, device taken: the other program stays, ours is gone" \
			"$(in_ns s ip link show eth0 | grep -o 'prog/xdp id [0-9]*') $(tcx_programs)" "$other 0"
		in_ns s ip link set dev eth0 xdp off
	else
		t_skip "syn at XDP, device taken" "ip cannot load an XDP object here"
	fi
}

test_syn_all_ports() {
	in_ns s "$G" scan syn 10.210.0.11 -p 1-65535 --rate 50000 --no-service --json -v \
		>"$WORK/syn-all.json" 2>"$WORK/syn-all.err"
	t_eq "syn: all 65535 ports of h1, the truth" \
		"$(jq -r 'select(.state != "closed") | "\(.port)=\(.state)"' "$WORK/syn-all.json" | sort -n | tr '\n' ' ')" \
		"21=open 22=open 25=open 80=open 443=open 8081=filtered 8082=filtered "
	t_eq "syn: all 65535 ports settled" "$(jq -r .port "$WORK/syn-all.json" | sort -u | wc -l)" 65535
	# every answer (all but the dropped port) was taken by the kernel program
	t_check "syn: the kernel program took 65534 replies, none forged, ring never full" \
		grep -qz 'matched = 65534.*forged = 0.*ring-full = 0' "$WORK/syn-all.err"
}

test_syn_kill9_leaves_nothing() {
	local hook pid i count
	for hook in tc xdp; do
		[ $hook = tc ] && count=tcx_programs || count=xdp_on_eth0
		# a slow scan, killed without a chance to clean up: the link dies with it.
		# ip netns exec execs the command, so $! is gotracer itself (in_ns adds a subshell)
		ip netns exec "$SCAN_P-s" "$G" scan syn 10.210.0.13 -p 1-5000 --rate 20 --hook $hook \
			--no-service --json >/dev/null 2>&1 &
		pid=$!
		t_on_exit kill -9 "$pid"
		for i in $(seq 50); do [ "$($count)" -ge 1 ] && break; sleep 0.1; done
		t_eq "syn ($hook): the reply program is attached while scanning" "$($count)" 1
		kill -9 "$pid"; wait "$pid" 2>/dev/null
		for i in $(seq 50); do [ "$($count)" -eq 0 ] && break; sleep 0.1; done
		t_eq "syn ($hook): kill -9 leaves no program behind" "$($count)" 0
	done
}

# the scan's hook runs ahead of GoTracer's capture programs on the same device: both work
test_syn_beside_capture() {
	ip netns exec "$SCAN_P-s" timeout 15 "$G" capture -i eth0 --json 'tcp and host 10.210.0.11' \
		>"$WORK/cap.json" 2>"$WORK/cap.err" &
	local cap=$! i
	t_on_exit kill "$cap"
	for i in $(seq 50); do grep -q 'ingress on' "$WORK/cap.err" 2>/dev/null && break; sleep 0.1; done
	if ! kill -0 "$cap" 2>/dev/null; then
		t_skip "syn beside a capture" "gotracer capture does not run here: $(head -1 "$WORK/cap.err")"
		return
	fi
	in_ns s "$G" scan syn 10.210.0.11 -p 80,81 --no-service --json >"$WORK/cap-syn.json"
	sleep 0.5
	kill -INT "$cap"; wait "$cap" 2>/dev/null
	t_eq "syn beside a capture: states" "$(port_states 10.210.0.11 "$WORK/cap-syn.json")" "80=open 81=closed"
	t_eq "syn beside a capture: the capture saw our probes and our reset go out" \
		"$(jq -r 'select(.dir == "out") | .info' "$WORK/cap.json" | grep -oE '→ [0-9]+ \[(SYN|RST)\]' | sort | tr '\n' ' ')" \
		"→ 80 [RST] → 80 [SYN] → 81 [SYN] "
	t_eq "syn beside a capture: the scan program is gone, the capture's too" \
		"$(tcx_programs) $(in_ns s tc filter show dev eth0 ingress | grep -c bpf)" "0 0"
}

test_loopback_fallback() {
	in_ns s /usr/bin/python3 -m http.server 18080 --bind 127.0.0.1 >/dev/null 2>&1 &
	local i
	for i in $(seq 50); do in_ns s ss -Hltn | grep -q ':18080' && break; sleep 0.1; done
	in_ns s "$G" scan syn 127.0.0.1 -p 18080,18081 --no-service --json >"$WORK/lo.json" 2>"$WORK/lo.err"
	t_eq "syn on loopback falls back to connect" "$(port_states 127.0.0.1 "$WORK/lo.json")" \
		"18080=open 18081=closed"
	t_check "syn on loopback says it fell back" grep -q "connect scan" "$WORK/lo.err"
	# every port of the namespace's loopback: exactly its one listener, even where a
	# connect from an ephemeral port meets itself
	in_ns s "$G" scan tcp 127.0.0.1 -p 1-65535 --rate 100000 --no-service --json >"$WORK/all.json"
	t_eq "tcp: all 65535 ports of loopback, only the listener open" \
		"$(jq -r .state "$WORK/all.json" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" \
		"closed=65534 open=1 "
	# fewer descriptors than sockets it would open: it slows down, it does not fail
	in_ns s bash -c "ulimit -n 24; exec $G scan tcp 127.0.0.1 -p 18000-18300 --no-service --json" \
		>"$WORK/fd.json" 2>"$WORK/fd.err"
	t_eq "tcp: out of descriptors, every port still answered" \
		"$(jq -r .state "$WORK/fd.json" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')" \
		"closed=300 open=1 "
}

test_services() {
	in_ns s "$G" scan tcp 10.210.0.11,10.210.0.12 -p 21,22,25,80,443,6379,8080 --json >"$WORK/svc.json"
	t_eq "service: exit status" "$?" 0
	svc() { jq -r "select(.type == \"service\" and .addr == \"$1\" and .port == $2) | .$3 // \"\"" "$WORK/svc.json"; }
	t_eq "service: ftp on 21" "$(svc 10.210.0.11 21 service)" ftp
	t_eq "service: ssh on 22" "$(svc 10.210.0.11 22 service)" ssh
	t_check "service: dropbear named on 22" grep -qi dropbear <<<"$(svc 10.210.0.11 22 product)"
	t_check "service: smtp on 25" grep -q '^smtp' <<<"$(svc 10.210.0.11 25 service)"
	t_eq "service: http on 80" "$(svc 10.210.0.11 80 service)" http
	t_check "service: python's server named on 80" grep -qi simplehttp <<<"$(svc 10.210.0.11 80 product)"
	t_eq "service: https on 443" "$(svc 10.210.0.11 443 service)" ssl/http
	t_check "service: TLS version and certificate subject on 443" \
		grep -q 'TLSv1.3 subject=/CN=scan-test.gotracer' <<<"$(svc 10.210.0.11 443 extra)"
	t_eq "service: http on h2's 8080" "$(svc 10.210.0.12 8080 service)" http
	t_eq "service: redis on h2's 6379" "$(svc 10.210.0.12 6379 service)" redis
	t_eq "service: only open ports are probed" \
		"$(jq -r 'select(.type == "service") | "\(.addr):\(.port)"' "$WORK/svc.json" | sort | tr '\n' ' ')" \
		"10.210.0.11:21 10.210.0.11:22 10.210.0.11:25 10.210.0.11:443 10.210.0.11:80 10.210.0.12:6379 10.210.0.12:8080 "
	t_eq "service: no TIME_WAIT left behind" "$(in_ns s ss -Htan state time-wait | wc -l)" 0
	# without nmap's fingerprints (NMAPDIR names an empty place) GoTracer's own rules name them
	NMAPDIR=$WORK/no-nmap in_ns s "$G" scan syn 10.210.0.11,10.210.0.12 -p 21,22,25,80,443,6379 --json >"$WORK/svc2.json"
	t_eq "service without nmap: names" \
		"$(jq -r 'select(.type == "service") | "\(.port)=\(.service)"' "$WORK/svc2.json" | sort -n | tr '\n' ' ')" \
		"21=ftp 22=ssh 25=smtp 80=http 443=ssl/http 6379=redis "
	t_eq "service without nmap: server software from the answers" \
		"$(jq -r 'select(.type == "service" and .addr == "10.210.0.11" and (.port == 22 or .port == 80)) | "\(.port)=\(.product)"' "$WORK/svc2.json" | sort -n | tr '\n' ' ')" \
		"22=dropbear_$(dropbear -V 2>&1 | sed -n 's/.*v\([0-9.]*\).*/\1/p') 80=SimpleHTTP/0.6 Python/$(/usr/bin/python3 -c 'import platform; print(platform.python_version())') "
}

test_table_output() {
	in_ns s "$G" scan tcp 10.210.0.11 -p 80,81 --no-service >"$WORK/table.txt" 2>"$WORK/table.err"
	t_check "table: open port row" grep -Eq '^80/tcp +open +http' "$WORK/table.txt"
	t_check "table: closed port row" grep -Eq '^81/tcp +closed' "$WORK/table.txt"
	t_eq "table: no progress bar when stderr is not a terminal" "$(wc -c <"$WORK/table.err")" 0
	# on a terminal (script(1) gives it one) the bar shows, on stderr
	in_ns s script -qec "$G scan ping 10.210.0.11-14 --retries 0 --timeout 300 >/dev/null" \
		/dev/null >"$WORK/tty.out" 2>&1
	t_check "progress bar on a terminal" grep -q '4/4 100%' "$WORK/tty.out"
}

test_bad_input() {
	local out rc
	for args in "scan tcp 10.0.0.300 -p 80" "scan tcp 10.210.0.11 -p 0" "scan tcp 10.210.0.11 -p 70000" \
		"scan tcp 10.210.0.11" "scan nope 10.210.0.11" "scan arp" "scan tcp 10.0.0.0/8 -p 80" \
		"scan ping 10.210.0.11 --rate 0" "scan syn 10.210.0.11 -p 80 --bogus" \
		"scan syn 10.210.0.0/16 -p 1-1000" "scan tcp 10.210.0.11 -p 80,,81" \
		"scan syn 10.210.0.11 -p 80 --hook ebpf"; do
		out=$(in_ns s "$G" $args 2>&1 >/dev/null); rc=$?
		if [ "$rc" -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && [ -n "$out" ]; then
			t_ok "bad input: '$args' -> one line, exit 2"
		else
			t_fail "bad input: '$args'" "exit $rc, stderr: $out"
		fi
	done
	out=$(in_ns s "$G" scan arp -i nosuchif 2>&1 >/dev/null); rc=$?
	t_eq "bad input: unknown interface is one line, non-zero" "$([ $rc -ne 0 ] && wc -l <<<"$out")" 1
}

test_arp
test_ping
test_tcp_connect
test_syn
test_syn_xdp
test_syn_all_ports
test_syn_kill9_leaves_nothing
test_syn_beside_capture
test_loopback_fallback
test_services
test_table_output
test_bad_input
t_done
