# Shared by the browser suites (ui.test.sh, devices.test.sh); source after
# tests/lib/shell.sh. Not a suite itself (the runner takes tests/*/*.test.sh).
#
#   e2e_prepare OUT TOOL...   checks the tools, $GT, playwright-core, and copies
#                             web/dist to OUT/dist; "missing: ..." in E2E_MISSING
#   e2e_serve NS PORT LOG ARGS...  starts $GT ARGS in namespace NS (SERVE_PID is
#                             gotracer itself), waits for 127.0.0.1:PORT to answer,
#                             and says so with t_ok, or t_fail and status 1
#   e2e_wait_listen NS PORT...  waits until something listens on every TCP or UDP
#                             PORT in namespace NS (without connecting), or status 1
#                             and the ports still missing on stderr
#
# Waits are for a condition, bounded by E2E_WAIT seconds: a loaded CI machine
# starts servers and loads BPF programs slowly, and a wait only lasts that long
# when something is broken.
E2E_WAIT=${E2E_WAIT:-60}
#   e2e_browser CMD...        runs CMD (a node script in a namespace), turns its
#                             "RESULT<TAB>ok|fail<TAB>name<TAB>why" lines into t_ok/t_fail

e2e_prepare() {
	local out=$1 tool i
	shift
	E2E_MISSING=""
	for tool in chromium node "$@"; do
		command -v "$tool" >/dev/null 2>&1 || E2E_MISSING+=" $tool"
	done
	[ -x "$GT" ] || E2E_MISSING+=" $GT (make O=$O)"
	# web/dist is shared: another make may be rewriting it this moment, so wait a
	# little, then serve a private copy (--web-root) that no rebuild can pull away
	for i in $(seq 20); do [ -f web/dist/index.html ] && break; sleep 0.5; done
	if [ -f web/dist/index.html ]; then
		rm -rf "$out/dist" && cp -r web/dist "$out/dist"
	else
		E2E_MISSING+=" web/dist (make: builds the UI)"
	fi
	if [ ! -d tests/node/node_modules/playwright-core ]; then
		(cd tests/node && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>&1 ||
			E2E_MISSING+=" tests/node/node_modules (npm ci)"
	fi
	[ -z "$E2E_MISSING" ]
}

e2e_serve() {
	local ns=$1 port=$2 log=$3 i
	shift 3
	# ip netns exec execs the program: $! is gotracer, for checks that kill it
	ip netns exec "$ns" "$GT" "$@" >"$log" 2>&1 &
	SERVE_PID=$!
	local end=$((SECONDS + E2E_WAIT))
	while [ "$SECONDS" -lt "$end" ]; do
		if ip netns exec "$ns" curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/hello"; then
			t_ok "gotracer serve answers"
			return 0
		fi
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	t_fail "gotracer serve answers" "no answer on 127.0.0.1:$port in namespace $ns: $(tail -3 "$log" | tr '\n' ' ')"
	return 1
}

e2e_wait_listen() {
	local ns=$1 end=$((SECONDS + E2E_WAIT)) p missing
	shift
	while :; do
		missing=""
		# the local address:port column of every listening TCP and UDP socket
		local socks
		socks=$(ip netns exec "$ns" ss -Hltun 2>/dev/null | awk '{ print $5 }')
		for p in "$@"; do
			grep -q ":$p\$" <<<"$socks" || missing+=" $p"
		done
		[ -z "$missing" ] && return 0
		if [ "$SECONDS" -ge "$end" ]; then
			echo "nothing listens on port$missing in namespace $ns" >&2
			return 1
		fi
		sleep 0.1
	done
}

e2e_browser() {
	local script=${*: -1} tag verdict name why
	export NODE_PATH=$PWD/tests/node/node_modules
	while IFS=$'\t' read -r tag verdict name why; do
		if [ "$tag" != RESULT ]; then
			echo "$tag${verdict:+	$verdict}${name:+	$name}${why:+	$why}"
			continue
		fi
		if [ "$verdict" = ok ]; then t_ok "$name"; else t_fail "$name" "$why"; fi
	done < <(
		"$@" 2>&1
		rc=$?
		if [ $rc -eq 0 ]; then printf 'RESULT\tok\tbrowser run ends cleanly\n'
		else printf 'RESULT\tfail\tbrowser run ends cleanly\t%s exit status %s (124: timed out)\n' "${script##*/}" $rc; fi
	)
}
