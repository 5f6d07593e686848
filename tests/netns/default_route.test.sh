#!/usr/bin/env bash
# make run's path: scripts/run.sh with no IFACE starts gotracer serve on the
# default-route interface. Inside a namespace whose default route goes through
# the veth gt0 (IPv4, then IPv6 only), it must pick gt0; with no default route
# it must refuse; and an unknown IFACE gets one clear line.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start default_route
. tests/netns/capture_lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null; then
	t_skip default_route "needs root and jq"
	t_done; exit
fi

# run_sh TAG [IFACE]: scripts/run.sh in ns a, in the background (GT_PID)
run_sh() {
	ip netns exec "$NETNS_P-a" scripts/run.sh "$GOTRACER" ${2:+"$2"} >"$T/$1.out" 2>"$T/$1.err" &
	GT_PID=$!
	t_on_exit "kill -9 $GT_PID"
}

# running_iface TAG: the interface a live gotracer holds in ns a (gotracer ifaces),
# once serve says it is serving (its stop handlers are in place from then on)
running_iface() {
	local i name
	for i in $(seq 50); do
		grep -qs "serving on" "$T/$1.err" "$T/$1.out" || { sleep 0.1; continue; }
		name=$(in_a "$GOTRACER" ifaces --json | jq -r 'select(.gotracer.running) | .name')
		[ -n "$name" ] && { echo "$name"; return 0; }
		kill -0 "$GT_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

test_ipv4_default() {
	gt_topology rv4 || { t_fail ipv4_default "no topology"; return; }
	run_sh v4
	t_eq ipv4_default_picks_gt0 "$(running_iface v4)" gt0
	gt_stop INT && t_ok ipv4_default_stops || t_fail ipv4_default_stops "$(cat "$T/v4.err")"
	gt_attached && t_fail ipv4_default_detached "programs left" || t_ok ipv4_default_detached
}

test_ipv6_only_default() {
	gt_topology rv6 || { t_fail ipv6_default "no topology"; return; }
	in_a ip route del default
	run_sh v6
	t_eq ipv6_default_picks_gt0 "$(running_iface v6)" gt0
	gt_stop INT && t_ok ipv6_default_stops || t_fail ipv6_default_stops "$(cat "$T/v6.err")"
}

test_no_default() {
	gt_topology rno || { t_fail no_default "no topology"; return; }
	in_a ip route del default
	in_a ip -6 route del default
	run_sh none
	gt_wait 10
	local rc=$?
	[ $rc -ne 0 ] && [ $rc -ne 124 ] && t_ok no_default_refused || t_fail no_default_refused "rc=$rc $(cat "$T/none.err")"
	gt_attached && t_fail no_default_nothing_attached "programs on gt0" || t_ok no_default_nothing_attached
}

test_unknown_iface() {
	gt_topology run || { t_fail unknown "no topology"; return; }
	run_sh bad nosuch0
	gt_wait 10
	local rc=$?
	[ $rc -ne 0 ] && [ "$(cat "$T/bad.err")" = "make run: no such interface 'nosuch0'" ] && t_ok run_unknown_iface ||
		t_fail run_unknown_iface "rc=$rc $(cat "$T/bad.err")"
}

test_ipv4_default
test_ipv6_only_default
test_no_default
test_unknown_iface
t_done
