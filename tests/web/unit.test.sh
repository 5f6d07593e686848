#!/usr/bin/env bash
# The web UI's unit tests (Vitest: stores, colouring, hex/field mapping, rates),
# summed up in the runner's format: "web-unit: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
O=${O:-build}
out=$O/test-output
mkdir -p "$out"
report=$PWD/$out/web-unit.json
rm -f "$report"

if [ ! -f web/node_modules/.package-lock.json ]; then
	(cd web && npm ci --no-audit --no-fund --loglevel=error) || {
		echo "FAIL web-unit: npm ci in web/ failed"
		echo "web-unit: 0 passed, 1 failed, 0 skipped"
		exit 1
	}
fi

(cd web && npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$report" 2>&1)
rc=$?

if [ ! -s "$report" ]; then
	echo "FAIL web-unit: vitest wrote no report (exit $rc)"
	echo "web-unit: 0 passed, 1 failed, 0 skipped"
	exit 1
fi
# a file that failed to load has no tests in the counts: count it as a failure
read -r passed failed skipped < <(node -e '
	const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
	console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
' "$report")
echo "web-unit: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
