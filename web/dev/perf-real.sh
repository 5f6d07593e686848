#!/bin/bash
# Development only (a benchmark, not a test): web/dev/perf.mjs against the real
# gotracer serve while trafgen floods it from the peer namespace. PPS=, SECS=, DUR= to tune.
cd "$(dirname "$0")/../.."
source scripts/netns.sh
P=gtwp$$; IF=gt0
trap 'kill $SRV 2>/dev/null; netns_teardown $P; sleep 1; netns_teardown $P' EXIT
netns_pair $P >/dev/null || exit 1
ip netns exec $P-a "${O:-build}"/gotracer serve -i $IF --listen 127.0.0.1:8080 > /tmp/web-perf-serve.log 2>&1 &
SRV=$!
sleep 2
cat > /tmp/web-perf.cfg <<'CFG'
{ eth(da=02:00:00:00:00:01, sa=02:00:00:00:00:02), ipv4(saddr=10.200.0.2, daddr=10.200.0.1), udp(sp=40000, dp=9), fill(0x41, 32) }
CFG
ip netns exec $P-b timeout ${SECS:-30} trafgen -o gt1 -c /tmp/web-perf.cfg -b ${PPS:-50000}pps -q >/dev/null 2>&1 &
sleep 1
ip netns exec $P-a timeout 120 node web/dev/perf.mjs http://127.0.0.1:8080/ ${DUR:-20}
ip netns exec $P-a curl -s 127.0.0.1:8080/api/stats | head -c 600; echo
