#!/usr/bin/env bash
# Browser end-to-end: the real `gotracer serve` on a veth in namespace a, real
# servers there (dnsmasq, python3 http.server, openssl s_server), real clients in
# namespace b (ping, dig, curl, openssl s_client), and Chromium in namespace a
# driven by playwright-core (tests/e2e/ui.mjs). tshark reads what the page downloads.
# Screenshots of every view land in $O/test-output/e2e-ui/.
set -u
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
source scripts/netns.sh
source tests/e2e/lib.sh
t_start e2e-ui

O=${O:-build}
OUT=$PWD/$O/test-output/e2e-ui
GT=$(realpath -m "${GOTRACER:-$O/gotracer}")
PORT=8080 # the namespace has its own loopback: no other run can hold this port
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.pcapng

if ! e2e_prepare "$OUT" tshark dig dnsmasq openssl curl /usr/bin/python3; then
	t_fail "prerequisites" "missing:$E2E_MISSING"
	t_done
	exit 1
fi

P=gtw$$
IF=$NETNS_A_IF
# cleanups run last-registered first: a second pass catches a namespace whose last
# process (the browser) was still exiting during the first
t_on_exit "sleep 1; netns_teardown $P"
t_on_exit "netns_teardown $P"
t_on_exit "rm -rf /etc/netns/$P-a"
if ! netns_pair "$P"; then
	t_fail "topology" "netns_pair $P failed"
	t_done
	exit 1
fi
# a second interface for the picker: a veth whose peer stays in namespace a without an
# address, so traffic to its subnet leaves through it and nobody answers (no dummy
# module here)
DUMMY=gt2
ip -n "$P-a" link add "$DUMMY" type veth peer name gt3
ip -n "$P-a" addr add 10.202.0.1/24 dev "$DUMMY"
ip -n "$P-a" link set gt3 up
ip -n "$P-a" link set "$DUMMY" up
ip -n "$P-a" neigh add 10.202.0.2 lladdr 02:00:00:00:02:02 dev "$DUMMY" nud permanent

# Chromium's own lookups go to the dnsmasq below over loopback, not out of the veth
mkdir -p "/etc/netns/$P-a"
echo "nameserver 127.0.0.1" >"/etc/netns/$P-a/resolv.conf"

# servers in namespace a, where gotracer captures
mkdir -p "$OUT/www"
echo "<html><body>hello from the gotracer e2e test</body></html>" >"$OUT/www/index.html"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=gotracer.test -days 1 \
	-keyout "$OUT/key.pem" -out "$OUT/cert.pem" >/dev/null 2>&1
in_a dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
	--listen-address="$NETNS_A_IP,127.0.0.1" --address=/example.org/"$NETNS_A_IP" \
	--pid-file= --user=root --log-facility=- >"$OUT/dnsmasq.log" 2>&1 &
in_a /usr/bin/python3 -m http.server 8000 --bind "$NETNS_A_IP" --directory "$OUT/www" >"$OUT/http.log" 2>&1 &
in_a openssl s_server -accept 4433 -cert "$OUT/cert.pem" -key "$OUT/key.pem" -www -quiet >"$OUT/tls.log" 2>&1 &
# the clients come later, but a loaded machine starts python and openssl slowly
if ! why=$(e2e_wait_listen "$P-a" 53 8000 4433 2>&1); then
	t_fail "test servers listen" "$why"
fi

# a small per-client queue, so the slow-page check can make the server drop for it
SERVE_ARGS="serve -i $IF --listen 127.0.0.1:$PORT --client-queue-kb 64 --web-root $OUT/dist"
# shellcheck disable=SC2086 # SERVE_ARGS is a word list, as GT_SERVE_CMD below
if ! e2e_serve "$P-a" "$PORT" "$OUT/serve.log" $SERVE_ARGS; then
	t_done
	exit 1
fi

# the browser test: one result line per check ("RESULT<TAB>ok|fail<TAB>name<TAB>why")
export GT_URL="http://127.0.0.1:$PORT/" GT_OUT="$OUT" GT_IF="$IF" GT_DUMMY="$DUMMY" GT_NS_B="$P-b" GT_A_IP="$NETNS_A_IP" GT_B_IP="$NETNS_B_IP"
export GT_SERVE_PID=$SERVE_PID GT_SERVE_CMD="$GT $SERVE_ARGS"
e2e_browser in_a timeout 600 node tests/e2e/ui.mjs

t_done
