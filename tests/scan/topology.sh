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
