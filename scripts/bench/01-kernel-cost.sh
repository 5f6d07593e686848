#!/usr/bin/env bash
# Part 1: kernel cost per packet (BPF_PROG_TEST_RUN, 1,000,000 repeats a round),
# GoTracer's programs next to an empty XDP/TC program measured in the same run.
source scripts/bench/lib.sh
bench_title "1. Kernel cost per packet (ns, median of $ROUNDS rounds of ${REPEAT:-1000000} runs)"
"$O/bench/prog-cost" "$ROUNDS" "${REPEAT:-1000000}"
