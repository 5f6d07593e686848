# The peers of the golden captures, shared by record.sh and live.test.sh. Source
# after scripts/netns.sh and netns_pair; needs $work (a scratch dir) and sets SRV/SRV6.
#   start_servers   dnsmasq (A, AAAA, CNAME, MX, TXT, NXDOMAIN; UDP and TCP),
#                   tests/golden/http_server.py on :8080, openssl s_server on :4433
#   dig_all http_all http_segmented "tls_one -tls1_2|-tls1_3" ping_all   the clients,
#                   from $NETNS_P-a
SRV=$NETNS_B_IP
SRV6=$NETNS_B_IP6

# about 3 KB of TXT answer for big.gt.test: a DNS answer that IP must fragment
big_txt_records() {
	local i
	for i in $(seq -w 1 12); do
		printf -- '--txt-record=big.gt.test,record-%s-%s ' "$i" "$(printf 'x%.0s' $(seq 230))"
	done
}

start_servers() {
	in_b dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
		--listen-address="$SRV" --listen-address="$SRV6" --port=53 --user=root \
		--pid-file="$work/dnsmasq.pid" --local=/gt.test/ \
		--host-record=www.gt.test,10.1.2.3,fd00::1234 \
		--address=/a.gt.test/10.9.8.7 \
		--cname=alias.gt.test,www.gt.test \
		--mx-host=gt.test,mail.gt.test,10 \
		--txt-record=gt.test,"v=spf1 -all" \
		$(big_txt_records) --edns-packet-max=4096 \
		>"$work/dnsmasq.log" 2>&1 &

	mkdir -p "$work/www"
	printf 'hello from the golden server\n' >"$work/www/hello.txt"
	# 333 numbered lines (18315 bytes): an HTTP body over many segments
	seq -f 'line %05g of the big golden body ....................' 1 333 | head -c 20000 \
		>"$work/www/big.txt"
	in_b /usr/bin/python3 tests/golden/http_server.py "$SRV" 8080 "$work/www" \
		>"$work/http.log" 2>&1 &

	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$work/key.pem" -out "$work/cert.pem" -days 3650 \
		-subj /CN=www.gt.test >/dev/null 2>&1
	in_b openssl s_server -quiet -accept "$SRV:4433" -cert "$work/cert.pem" \
		-key "$work/key.pem" -alpn h2,http/1.1 -www </dev/null >"$work/tls.log" 2>&1 &

	# every server answers before recording starts
	local i
	for i in $(seq 50); do
		if in_a dig +short +time=1 +tries=1 @"$SRV" www.gt.test >/dev/null 2>&1 &&
			in_a curl -s -o /dev/null "http://$SRV:8080/hello.txt" &&
			in_a bash -c "exec 3<>/dev/tcp/$SRV/4433" 2>/dev/null; then
			return 0
		fi
		sleep 0.2
	done
	echo "record: servers did not come up" >&2
	cat "$work"/*.log >&2
	return 1
}

dig_all() {
	local d="in_a dig @$SRV +nocookie +time=2 +tries=1"
	$d www.gt.test A >/dev/null
	$d www.gt.test AAAA >/dev/null
	$d alias.gt.test A >/dev/null
	$d gt.test MX >/dev/null
	$d gt.test TXT >/dev/null
	$d nx.gt.test A >/dev/null
	$d +tcp a.gt.test A >/dev/null
	in_a dig @"$SRV6" +nocookie +time=2 +tries=1 www.gt.test AAAA >/dev/null
}

http_all() {
	local c="in_a curl -sS -o /dev/null -A gotracer-golden/1.0"
	$c "http://$SRV:8080/hello.txt"
	$c -d 'name=gotracer&x=1' "http://$SRV:8080/form"
	$c -H 'Transfer-Encoding: chunked' -H 'Content-Type: text/plain' \
		--data-binary 'chunked request body' "http://$SRV:8080/upload"
	$c "http://$SRV:8080/chunked"
	$c "http://$SRV:8080/missing"
}

# HTTP bodies over MTU-sized segments (offloads off, so the capture sees the wire
# segments, not GSO/GRO super-packets): an 18315-byte GET and a 12000-byte POST
http_segmented() {
	local ns
	for ns in "$NETNS_P-a" "$NETNS_P-b"; do
		ip netns exec "$ns" ethtool -K "$([ "$ns" = "$NETNS_P-a" ] && echo gt0 || echo gt1)" \
			tso off gso off gro off >/dev/null 2>&1
	done
	in_a curl -sS -o /dev/null -A gotracer-golden/1.0 "http://$SRV:8080/big.txt"
	head -c 12000 "$work/www/big.txt" >"$work/post.txt"
	in_a curl -sS -o /dev/null -A gotracer-golden/1.0 -H 'Content-Type: text/plain' \
		--data-binary @"$work/post.txt" "http://$SRV:8080/bigpost"
	for ns in "$NETNS_P-a" "$NETNS_P-b"; do
		ip netns exec "$ns" ethtool -K "$([ "$ns" = "$NETNS_P-a" ] && echo gt0 || echo gt1)" \
			tso on gso on gro on >/dev/null 2>&1
	done
}

# pings too big for the 1500-byte MTU: IPv4 and IPv6 fragments
ping_fragmented() {
	in_a ping -c 2 -i 0.2 -s 3000 "$SRV" >/dev/null
	in_a ping -6 -c 2 -i 0.2 -s 3000 "$SRV6" >/dev/null
}

tls_one() {
	# s_server -www answers the GET and closes; -ign_eof waits for that
	printf 'GET / HTTP/1.0\r\n\r\n' | in_a timeout 10 openssl s_client -connect "$SRV:4433" \
		-servername www.gt.test -alpn h2,http/1.1 "$1" -ign_eof >/dev/null 2>&1 || true
}

ping_all() {
	# forget the neighbours first, so ARP and neighbour discovery are on the wire too
	in_a ip neigh flush dev gt0
	in_a ip -6 neigh flush dev gt0
	in_a ping -c 3 -i 0.2 "$SRV" >/dev/null
	in_a ping -6 -c 3 -i 0.2 "$SRV6" >/dev/null
}


# UDP datagrams too big for the 1500-byte MTU, rebuilt by the receiver: 4000 bytes
# over IPv4 and IPv6 (to a closed port: the port unreachable quotes the whole
# datagram's start), and a 3 KB EDNS answer from dnsmasq
udp_fragmented() {
	local dst
	for dst in "$SRV" "$SRV6"; do
		in_a /usr/bin/python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.sendto(bytes(i % 251 for i in range(4000)), (sys.argv[1], 9999))' "$dst"
		sleep 0.2
	done
	in_a dig @"$SRV" +nocookie +bufsize=4096 +ignore +time=2 +tries=1 big.gt.test TXT >/dev/null
	in_a dig @"$SRV6" +nocookie +bufsize=4096 +ignore +time=2 +tries=1 big.gt.test TXT >/dev/null
}

# Real retransmissions: the server's namespace drops, once each, the segment of
# an HTTP GET (a message in one segment) and the first segment of a TLS
# ClientHello that spans two (the server advertises a 200-byte MSS; offloads
# off, so the capture sees the wire segments); the client's kernel sends both
# again. nft's quota matches a rule's packets until their bytes reach it: sized
# for one segment, the rule drops only the first.
tcp_retransmitted() {
	in_a ethtool -K gt0 tso off gso off gro off >/dev/null 2>&1
	in_b ethtool -K gt1 tso off gso off gro off >/dev/null 2>&1
	in_b nft -f - <<-'EOF'
	table inet gtrtx {
		chain in {
			type filter hook input priority 0;
			tcp dport 8080 ip length > 100 quota until 200 bytes drop
			tcp dport 4433 ip length > 200 quota until 300 bytes drop
		}
	}
	EOF
	in_b ip route replace 10.200.0.0/24 dev gt1 advmss 200
	in_a ip route flush cache
	in_a curl -sS -o /dev/null -A gotracer-golden/1.0 "http://$SRV:8080/hello.txt"
	tls_one -tls1_3
	in_b ip route replace 10.200.0.0/24 dev gt1
	in_b nft delete table inet gtrtx
	in_a ethtool -K gt0 tso on gso on gro on >/dev/null 2>&1
	in_b ethtool -K gt1 tso on gso on gro on >/dev/null 2>&1
}
