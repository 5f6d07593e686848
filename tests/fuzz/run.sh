#!/usr/bin/env bash
# Replays each libFuzzer harness's corpus under ASan/UBSan, then fuzzes briefly.
#   tests/fuzz/run.sh          replay + FUZZ_SECONDS (default 20) of new inputs per harness
#   tests/fuzz/run.sh long     FUZZ_SECONDS (default 300) per harness
set -u
cd "$(dirname "$0")/../.."
source tests/lib/shell.sh
t_start "${GT_SUITE:-fuzz}"
O=${O:-build}
secs=${FUZZ_SECONDS:-20}
shopt -s nullglob
harnesses=(tests/fuzz/*.c)
[ ${#harnesses[@]} -eq 0 ] && t_skip "fuzz" "no harnesses yet"
for src in "${harnesses[@]}"; do
	name=$(basename "$src" .c)
	bin=$O/fuzz/$name
	corpus=tests/fuzz/corpus/$name
	work=$(mktemp -d); t_on_exit rm -rf "$work"
	mkdir -p "$corpus"
	if [ ! -x "$bin" ]; then t_fail "$name" "$bin not built"; continue; fi
	if "$bin" -runs=0 "$corpus" >"$work/replay.log" 2>&1; then
		t_ok "$name replays $(ls "$corpus" | wc -l) corpus inputs"
	else
		t_fail "$name replay" "$(grep -m3 -E 'ERROR|SUMMARY' "$work/replay.log")"
		continue
	fi
	# new inputs go to a scratch dir: the committed corpus changes only by hand
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 "$work" "$corpus" \
		>"$work/fuzz.log" 2>&1; then
		t_ok "$name fuzzed ${secs}s ($(grep -oE '#[0-9]+' "$work/fuzz.log" | tail -1) runs)"
	else
		cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "${O}/" 2>/dev/null
		t_fail "$name fuzz" "$(grep -m3 -E 'ERROR|SUMMARY' "$work/fuzz.log") (inputs copied to $O/)"
	fi
done
t_done
