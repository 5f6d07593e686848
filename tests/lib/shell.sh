# Shared by the shell test suites: results in the runner's format, and teardown.
#   source tests/lib/shell.sh; t_start SUITE
#   t_ok "name"; t_fail "name" "why"; t_skip "name" "why"; t_check "name" cmd args...
#   t_done   (prints "SUITE: N passed, N failed, N skipped", exits 1 on failures)
# Run each test in the suite as a function; register cleanup with t_on_exit.

T_PASSED=0; T_FAILED=0; T_SKIPPED=0; T_SUITE=tests; T_CLEANUPS=()
GOTRACER=${GOTRACER:-${O:-build}/gotracer}

t_start() { T_SUITE=$1; trap t_run_cleanups EXIT; }
t_ok() { echo "ok   $1"; T_PASSED=$((T_PASSED + 1)); }
t_fail() { echo "FAIL $1"; echo "    $2"; T_FAILED=$((T_FAILED + 1)); }
t_skip() { echo "skip $1"; echo "    skipped: $2"; T_SKIPPED=$((T_SKIPPED + 1)); }
# t_check NAME CMD...: passes when CMD succeeds
t_check() { local n=$1; shift; if "$@"; then t_ok "$n"; else t_fail "$n" "command failed: $*"; fi; }
# t_eq NAME GOT WANT
t_eq() { if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "got '$2', want '$3'"; fi; }
t_on_exit() { T_CLEANUPS+=("$*"); }
t_run_cleanups() {
	local i
	for ((i = ${#T_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${T_CLEANUPS[$i]}" >/dev/null 2>&1 || true; done
	T_CLEANUPS=()
}
t_done() {
	t_run_cleanups
	echo "$T_SUITE: $T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	[ "$T_FAILED" -eq 0 ]
}
