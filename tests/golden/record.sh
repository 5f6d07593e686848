#!/usr/bin/env bash
# Records the golden captures: real clients against real servers in two network
# namespaces (scripts/netns.sh), captured by tcpdump, the reference recorder.
#   tests/golden/record.sh [OUTDIR] [CASE...]   (default: tests/golden/captures, all cases)
# Cases: dns http tls12 tls13 icmp (Ethernet, pcap), and any (the ping and DNS
# cases again on tcpdump's "any" device: Linux cooked v2 with directions).
# Each case writes OUTDIR/CASE.pcap; "pcapng" also converts http to pcapng.
# Needs root. Sends traffic only between the namespaces it creates.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/netns.sh

out=${1:-tests/golden/captures}
shift || true
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(dns http tls12 tls13 icmp any pcapng)
mkdir -p "$out"
out=$(cd "$out" && pwd)

P=gtfrec$$
work=$(mktemp -d)
cleanup() {
	netns_teardown "$P"
	rm -rf "$work"
}
trap cleanup EXIT

netns_pair "$P" >/dev/null
SRV=$NETNS_B_IP
SRV6=$NETNS_B_IP6

# ---- servers in $P-b ----
start_servers() {
	in_b dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
		--listen-address="$SRV" --listen-address="$SRV6" --port=53 --user=root \
		--pid-file="$work/dnsmasq.pid" --local=/gt.test/ \
		--host-record=www.gt.test,10.1.2.3,fd00::1234 \
		--address=/a.gt.test/10.9.8.7 \
		--cname=alias.gt.test,www.gt.test \
		--mx-host=gt.test,mail.gt.test,10 \
		--txt-record=gt.test,"v=spf1 -all" \
		>"$work/dnsmasq.log" 2>&1 &

	mkdir -p "$work/www"
	printf 'hello from the golden server\n' >"$work/www/hello.txt"
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

# record FILE IFACE CMD...: tcpdump on IFACE in $P-a while CMD runs
record() {
	local file=$1 ifc=$2
	shift 2
	# not through in_a: $! must be tcpdump itself, for the SIGINT that stops it
	rm -f "$work/tcpdump.log"
	ip netns exec "$P-a" tcpdump -i "$ifc" -n -U --immediate-mode -s 0 --time-stamp-precision=nano -Z root \
		-w "$file" >"$work/tcpdump.log" 2>&1 &
	local pid=$! i
	for i in $(seq 50); do
		grep -qs "listening on" "$work/tcpdump.log" && break
		sleep 0.1
	done
	"$@"
	sleep 0.5
	kill -INT "$pid"
	wait "$pid" || true
	echo "record: $(basename "$file"): $(grep -o '[0-9]* packets captured' "$work/tcpdump.log")"
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

tls_one() {
	# s_server -www answers the GET and closes; -ign_eof waits for that
	printf 'GET / HTTP/1.0\r\n\r\n' | in_a timeout 10 openssl s_client -connect "$SRV:4433" \
		-servername www.gt.test -alpn h2,http/1.1 "$1" -ign_eof >/dev/null 2>&1 || true
}

ping_all() {
	in_a ping -c 3 -i 0.2 "$SRV" >/dev/null
	in_a ping -6 -c 3 -i 0.2 "$SRV6" >/dev/null
}

start_servers
for c in "${cases[@]}"; do
	case $c in
	dns) record "$out/dns.pcap" gt0 dig_all ;;
	http) record "$out/http.pcap" gt0 http_all ;;
	tls12) record "$out/tls12.pcap" gt0 tls_one -tls1_2 ;;
	tls13) record "$out/tls13.pcap" gt0 tls_one -tls1_3 ;;
	icmp) record "$out/icmp.pcap" gt0 ping_all ;;
	any) record "$out/any.pcap" any bash -c "$(declare -f in_a dig_all ping_all); NETNS_P=$P SRV=$SRV SRV6=$SRV6; dig_all; ping_all" ;;
	pcapng)
		[ -f "$out/http.pcap" ] || record "$out/http.pcap" gt0 http_all
		editcap -F pcapng "$out/http.pcap" "$out/http.pcapng"
		echo "record: http.pcapng: converted from http.pcap" ;;
	*) echo "record: unknown case $c" >&2; exit 2 ;;
	esac
done
