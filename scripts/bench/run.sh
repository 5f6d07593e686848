#!/usr/bin/env bash
# make bench: GoTracer against the tools users would otherwise pick, in one run.
# Each part prints a table of medians and ratios; parts that need a capability not
# built yet say so and are skipped. BENCH=1,4 runs only those parts; ROUNDS=N.
# Results also go to $O/bench/results.txt (copy them into docs/benchmarks.md).
set -u
cd "$(dirname "$0")/../.."
O=${O:-build}
export O GOTRACER=$PWD/$O/gotracer
ROUNDS=${ROUNDS:-5}
export ROUNDS
out=$O/bench
mkdir -p "$out"
source scripts/bench/lib.sh

if [ "$(id -u)" -ne 0 ]; then
	echo "make bench: loads BPF programs and makes namespaces; run as root" >&2
	exit 1
fi
{
	echo "# GoTracer benchmarks, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "# machine: $(uname -r), $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "# command: make bench (ROUNDS=$ROUNDS)"
	# the machine may be shared: the load says how much the figures can be trusted
	echo "# load average at start (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
	for part in scripts/bench/[0-9]*.sh; do
		n=$(basename "$part" | cut -d- -f1); n=$((10#$n))
		if [ -n "${BENCH:-}" ] && [[ ",$BENCH," != *",$n,"* ]]; then continue; fi
		echo
		bash "$part"
	done
	echo
	echo "# load average at end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg), finished $(date -u +%H:%MZ)"
} 2>&1 | tee "$out/results.txt"
