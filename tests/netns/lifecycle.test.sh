#!/usr/bin/env bash
# Attach and detach: every ingress hook (auto, tc, xdp, xdp-generic) sees the
# traffic and leaves nothing behind; a clsact someone else made survives us;
# SIGTERM and a closed pipe detach cleanly; after kill -9 the next start replaces
# the leftovers, and `gotracer cleanup` removes them; ifaces reports all of it.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/shell.sh
. scripts/netns.sh
t_start lifecycle
. tests/netns/capture_lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v jq >/dev/null; then
	t_skip lifecycle "needs root and jq"
	t_done; exit
fi

xdp_mode() {
	# "xdp" (native), "xdpgeneric", or "" as ip(8) shows it
	in_a ip -j link show gt0 | jq -r '.[0].xdp.mode // empty | if . == 1 then "xdp" elif . == 2 then "xdpgeneric" else tostring end'
}

has_clsact() { in_a tc qdisc show dev gt0 | grep -q clsact; }

test_hooks() {
	gt_topology lh || { t_fail hooks "no topology"; return; }
	local hook want mode
	for hook in auto tc xdp xdp-generic; do
		case $hook in
		auto | tc) want=tc mode= ;;
		xdp) want=xdp mode=xdp ;;
		xdp-generic) want=xdp-generic mode=xdpgeneric ;;
		esac
		gt_bg "hook-$hook" capture -i gt0 --hook "$hook" --json -c 2 icmp ||
			{ t_fail "hook_$hook" "did not attach: $(cat "$T/hook-$hook.err")"; continue; }
		grep -q "gt0: ingress on $want (" "$T/hook-$hook.err" && t_ok "hook_${hook}_reported" ||
			t_fail "hook_${hook}_reported" "$(cat "$T/hook-$hook.err")"
		t_eq "hook_${hook}_xdp_mode" "$(xdp_mode)" "$mode"
		in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
		gt_wait 10 || { t_fail "hook_$hook" "capture did not end"; continue; }
		t_eq "hook_${hook}_sees_both_ways" "$(jq -r .dir "$T/hook-$hook.out" | sort | tr '\n' ' ')" "in out "
		gt_attached && t_fail "hook_${hook}_detached" "left: $(in_a tc filter show dev gt0 ingress; in_a ip link show gt0)" ||
			t_ok "hook_${hook}_detached"
		has_clsact && t_fail "hook_${hook}_clsact_removed" "the clsact we made is still there" || t_ok "hook_${hook}_clsact_removed"
	done
}

test_foreign_clsact_kept() {
	gt_topology lq || { t_fail clsact "no topology"; return; }
	in_a tc qdisc add dev gt0 clsact
	gt_bg keep capture -i gt0 --account || { t_fail clsact "did not attach"; return; }
	gt_stop TERM && t_ok clsact_sigterm_exit || t_fail clsact_sigterm_exit "$(cat "$T/keep.err")"
	gt_attached && t_fail clsact_detached "programs left" || t_ok clsact_detached
	has_clsact && t_ok clsact_foreign_kept || t_fail clsact_foreign_kept "we removed a clsact we did not create"
}

test_closed_pipe() {
	gt_topology lp || { t_fail pipe "no topology"; return; }
	# the reader goes away after one line: gotracer must stop and detach, not die attached
	( ip netns exec "$NETNS_P-a" "$GOTRACER" capture -i gt0 icmp 2>"$T/pipe.err" | head -1 >"$T/pipe.out" ) &
	local sub=$! i
	for i in $(seq 50); do grep -qs "egress on tc" "$T/pipe.err" && break; sleep 0.1; done
	for i in $(seq 20); do
		in_a ping -c 1 -W 1 -q "$NETNS_B_IP" >/dev/null
		kill -0 $sub 2>/dev/null || break
	done
	wait $sub
	grep -q "gt0 out IP" "$T/pipe.out" && t_ok pipe_line || t_fail pipe_line "$(cat "$T/pipe.out")"
	gt_attached && t_fail pipe_detached "programs left after the pipe closed" || t_ok pipe_detached
}

test_kill9_restart() {
	gt_topology lk || { t_fail kill9 "no topology"; return; }
	gt_bg k1 capture -i gt0 --account || { t_fail kill9 "did not attach"; return; }
	kill -9 "$GT_PID"; wait "$GT_PID" 2>/dev/null
	gt_attached && t_ok kill9_leaves_programs || t_fail kill9_leaves_programs "nothing left after kill -9?"
	t_eq kill9_ifaces_leftover "$(in_a "$GOTRACER" ifaces --json | jq -r 'select(.name == "gt0") | .gotracer | "\(.tc_ingress) \(.tc_egress) \(.running)"')" "true true false"
	gt_bg k2 capture -i gt0 --json -c 2 icmp || { t_fail kill9_restart "restart did not attach: $(cat "$T/k2.err")"; return; }
	grep -q "gt0: replacing GoTracer programs left by a run that did not stop cleanly" "$T/k2.err" &&
		t_ok kill9_restart_notice || t_fail kill9_restart_notice "$(cat "$T/k2.err")"
	# exactly one filter each way: the old ones were replaced, not doubled
	t_eq kill9_one_filter "$(in_a tc filter show dev gt0 egress | grep -c gt_tc_egress)" 1
	t_eq kill9_ifaces_running "$(in_a "$GOTRACER" ifaces --json | jq -r 'select(.name == "gt0") | .gotracer | "\(.running) \(.pid)"')" "true $GT_PID"
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 && t_ok kill9_restart_captures || t_fail kill9_restart_captures "$(cat "$T/k2.err")"
	t_eq kill9_restart_packets "$(wc -l <"$T/k2.out")" 2
	gt_attached && t_fail kill9_clean_after "programs left" || t_ok kill9_clean_after
	# the killed run had made the clsact; the run that replaced it took it down
	has_clsact && t_fail kill9_clsact_removed "the killed run's clsact is still there" || t_ok kill9_clsact_removed
}

test_kill9_xdp_restart_on_tc() {
	gt_topology lx || { t_fail kill9_xdp "no topology"; return; }
	gt_bg x1 capture -i gt0 --hook xdp --account || { t_fail kill9_xdp "did not attach"; return; }
	kill -9 "$GT_PID"; wait "$GT_PID" 2>/dev/null
	t_eq kill9_xdp_left "$(xdp_mode)" xdp
	# the next run, on another hook, still takes the old XDP program off
	gt_bg x2 capture -i gt0 --hook tc --json -c 2 icmp || { t_fail kill9_xdp "restart did not attach"; return; }
	grep -q "gt0: replacing GoTracer programs" "$T/x2.err" && t_ok kill9_xdp_notice || t_fail kill9_xdp_notice "$(cat "$T/x2.err")"
	t_eq kill9_xdp_replaced "$(xdp_mode)" ""
	in_a ping -c 1 -q "$NETNS_B_IP" >/dev/null
	gt_wait 10 && t_ok kill9_xdp_restart_captures || t_fail kill9_xdp_restart_captures "$(cat "$T/x2.err")"
	gt_attached && t_fail kill9_xdp_clean_after "programs left" || t_ok kill9_xdp_clean_after
}

test_cleanup() {
	gt_topology lc || { t_fail cleanup "no topology"; return; }
	gt_bg c1 capture -i gt0 --hook xdp --account || { t_fail cleanup "did not attach"; return; }
	local out rc
	out=$(in_a "$GOTRACER" cleanup -i gt0 2>&1); rc=$?
	[ $rc -ne 0 ] && [[ $out == *"gt0: a running gotracer (pid $GT_PID) owns these programs; stop it instead"* ]] &&
		t_ok cleanup_refuses_live || t_fail cleanup_refuses_live "rc=$rc '$out'"
	kill -9 "$GT_PID"; wait "$GT_PID" 2>/dev/null
	t_eq cleanup_xdp_left "$(xdp_mode)" xdp
	out=$(in_a "$GOTRACER" cleanup 2>&1); rc=$?
	t_eq cleanup_all_ifaces "$rc $out" "0 gt0: removed 2 leftover GoTracer programs"
	t_eq cleanup_xdp_gone "$(xdp_mode)" ""
	gt_attached && t_fail cleanup_nothing_left "programs left" || t_ok cleanup_nothing_left
	has_clsact && t_fail cleanup_clsact_removed "the killed run's clsact is still there" || t_ok cleanup_clsact_removed
	out=$(in_a "$GOTRACER" cleanup -i gt0 2>&1); rc=$?
	t_eq cleanup_again "$rc $out" "0 no leftover GoTracer programs found"
	out=$(in_a "$GOTRACER" cleanup -i nosuch0 2>&1); rc=$?
	[ $rc -ne 0 ] && [ "$out" = "gotracer: no such interface 'nosuch0'" ] && t_ok cleanup_unknown_iface || t_fail cleanup_unknown_iface "rc=$rc '$out'"
}

test_ifaces() {
	gt_topology li || { t_fail ifaces "no topology"; return; }
	local line
	line=$(in_a "$GOTRACER" ifaces --json | jq -r 'select(.name == "gt0") | "\(.state) \(.mac) \(.driver) \(.physical) \(.ipv4[0]) \(.ipv6 | index("'"$NETNS_A_IP6"'/64") != null)"')
	t_eq ifaces_gt0 "$line" "up $NETNS_A_MAC veth false $NETNS_A_IP/24 true"
	t_eq ifaces_index "$(in_a "$GOTRACER" ifaces --json | jq -r 'select(.name == "gt0") | .index')" "$(in_a cat /sys/class/net/gt0/ifindex)"
	in_a "$GOTRACER" ifaces | grep -q "^[0-9]*: gt0 up $NETNS_A_MAC driver veth $NETNS_A_IP/24" && t_ok ifaces_text || t_fail ifaces_text "$(in_a "$GOTRACER" ifaces)"
}

test_hooks
test_foreign_clsact_kept
test_closed_pipe
test_kill9_restart
test_kill9_xdp_restart_on_tc
test_cleanup
test_ifaces
t_done
