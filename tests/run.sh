#!/usr/bin/env bash
# Runs every test suite and ends with one line CI reads: "total: N passed, N failed, N skipped".
# Suites: the C unit tests, the BPF program tests, then every tests/*/*.test.sh in order,
# then the fuzz corpus replay. Each suite's output is kept in $O/test-output/.
# TESTS=pattern runs only suites whose name contains the pattern.
set -u
cd "$(dirname "$0")/.."
O=${O:-build}
export O GT_SOURCE_ROOT=$PWD GOTRACER=$PWD/$O/gotracer
out=$O/test-output
mkdir -p "$out"

suites=("unit:$O/tests/unit-tests" "bpf:$O/tests/bpf-tests")
for f in $(ls tests/*/*.test.sh 2>/dev/null | sort); do
	name=${f#tests/}; name=${name%.test.sh}; suites+=("${name//\//-}:$f")
done
suites+=("fuzz:tests/fuzz/run.sh")

total_p=0; total_f=0; total_s=0
for s in "${suites[@]}"; do
	name=${s%%:*}; cmd=${s#*:}
	if [ -n "${TESTS:-}" ] && [[ $name != *"$TESTS"* ]]; then continue; fi
	echo "=== $name"
	GT_SUITE=$name "$cmd" 2>&1 | tee "$out/$name.log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out/$name.log" | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL $name: the suite ended (status $rc) without a summary line"
		total_f=$((total_f + 1)); continue
	fi
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	k=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line"); k=${k:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exit status $rc"; f=1
	fi
	total_p=$((total_p + p)); total_f=$((total_f + f)); total_s=$((total_s + k))
done
echo "total: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
