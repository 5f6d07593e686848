# The scan suites' LAN: a bridge in its own namespace and hosts on it with MACs
# from known registries. Source after tests/lib/shell.sh and scripts/netns.sh.
#
#   scan_lan P     $P-s   scanner  10.210.0.1   00:16:3e:00:00:01  (Xensource, MA-L)
#                  $P-h1  host     10.210.0.11  00:1b:21:0a:0b:01  (Intel Corporate, MA-L)
#                  $P-h2  host     10.210.0.12  00:50:56:0a:0b:02  (VMware, MA-L)
#                  $P-h3  host     10.210.0.13  0a:11:22:33:44:55  (locally administered)
#                  $P-h4  host     10.210.0.14  70:b3:d5:f2:f0:04  (TELEPLATFORMS, MA-S inside an MA-L)
#                  10.210.0.20-30 are unused: nobody answers there.
SCAN_NET=10.210.0
SCAN_HOSTS="s:1:00:16:3e:00:00:01 h1:11:00:1b:21:0a:0b:01 h2:12:00:50:56:0a:0b:02 h3:13:0a:11:22:33:44:55 h4:14:70:b3:d5:f2:f0:04"

scan_lan() {
	local p=$1 spec name octet mac
	SCAN_P=$p
	ip netns add "$p-sw" || return 1
	ip -n "$p-sw" link add br0 type bridge || return 1
	ip -n "$p-sw" link set br0 up
	ip -n "$p-sw" link set lo up
	for spec in $SCAN_HOSTS; do
		name=${spec%%:*}; spec=${spec#*:}; octet=${spec%%:*}; mac=${spec#*:}
		ip netns add "$p-$name" || return 1
		ip -n "$p-$name" link set lo up
		ip link add eth0 netns "$p-$name" address "$mac" type veth peer name "p-$name" netns "$p-sw" || return 1
		ip -n "$p-sw" link set "p-$name" master br0 up
		ip -n "$p-$name" addr add "$SCAN_NET.$octet/24" dev eth0
		ip -n "$p-$name" link set eth0 up
	done
	local i
	for i in $(seq 50); do
		ip netns exec "$p-s" ping -c1 -W1 -q "$SCAN_NET.14" >/dev/null 2>&1 && break
		sleep 0.1
	done
	# the probe above taught the scanner one neighbour; start from a clean table
	ip -n "$p-s" neigh flush dev eth0
}

in_ns() { local n=$1; shift; ip netns exec "$SCAN_P-$n" "$@"; }
# real servers: on h1 ftp 21 (pyftpdlib), ssh 22 (dropbear), smtp 25 (Python smtpd),
# http 80 (python3 -m http.server), https 443 (openssl s_server); on h2 http 8080 and
# redis 6379 (redis-server).
# $1 = a scratch directory for keys.
scan_start_servers() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=scan-test.gotracer -days 1 \
		-keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1 || return 1
	dropbearkey -t ed25519 -f "$d/dropbear_key" >/dev/null 2>&1 || return 1
	in_ns h1 /usr/bin/python3 -m http.server 80 --bind 10.210.0.11 >/dev/null 2>&1 &
	in_ns h1 openssl s_server -quiet -www -accept 443 -cert "$d/cert.pem" -key "$d/key.pem" >/dev/null 2>&1 &
	in_ns h1 dropbear -F -E -s -r "$d/dropbear_key" -p 10.210.0.11:22 -P "$d/dropbear.pid" >/dev/null 2>&1 &
	in_ns h1 /usr/bin/python3 -W ignore -m smtpd -n -c DebuggingServer 10.210.0.11:25 >/dev/null 2>&1 &
	in_ns h1 /usr/bin/python3 -m pyftpdlib -i 10.210.0.11 -p 21 >/dev/null 2>&1 &
	in_ns h2 /usr/bin/python3 -m http.server 8080 --bind 10.210.0.12 >/dev/null 2>&1 &
	in_ns h2 redis-server --bind 10.210.0.12 --port 6379 --save '' --appendonly no \
		--protected-mode no --dir "$d" >/dev/null 2>&1 &
	# wait for the listeners without connecting (a connection would leave TIME_WAIT)
	local i
	for i in $(seq 100); do
		[ "$(in_ns h1 ss -Hltn | wc -l)" -ge 5 ] && [ "$(in_ns h2 ss -Hltn | wc -l)" -ge 2 ] && return 0
		sleep 0.1
	done
	echo "scan_start_servers: the servers did not start" >&2
	return 1
}

# nftables on a host: drop TCP to the given port, or all ICMP echo with "icmp"
scan_drop() {
	local host=$1 what=$2
	in_ns "$host" nft list table inet scantest >/dev/null 2>&1 || {
		in_ns "$host" nft add table inet scantest
		in_ns "$host" nft add chain inet scantest input '{ type filter hook input priority 0; }'
	}
	if [ "$what" = icmp ]; then
		in_ns "$host" nft add rule inet scantest input icmp type echo-request drop
	else
		in_ns "$host" nft add rule inet scantest input tcp dport "$what" drop
	fi
}
