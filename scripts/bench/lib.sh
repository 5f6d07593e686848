# Shared by the benchmark parts: medians, timing, skip notices.

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# wall-clock seconds of a command, output discarded
time_cmd() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f\n", (b - a) / 1e9}'
}

# median wall seconds over ROUNDS runs
median_time() {
	local i
	for ((i = 0; i < ROUNDS; i++)); do time_cmd "$@"; done | median
}

bench_title() { echo "## $*"; }
bench_skip() { echo "skipped: $*"; }
