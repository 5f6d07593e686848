#!/usr/bin/env bash
# Part 4: offline dissection speed on one large file of mixed real traffic: the
# Ethernet golden captures (DNS, HTTP, TLS 1.2/1.3, ICMP, recorded from real peers)
# concatenated until the file holds about 200,000 packets.
source scripts/bench/lib.sh
bench_title "4. Offline dissection (packets/s, median of $ROUNDS runs)"
f=$O/bench/mixed.pcap
if [ ! -s "$f" ]; then
	src=()
	for c in tests/golden/captures/*.pcap; do
		capinfos -E "$c" | grep -q 'Ethernet$' && src+=("$c")
	done
	one=$O/bench/one.pcap
	mergecap -a -F pcap -w "$one" "${src[@]}" 2>/dev/null
	n1=$(capinfos -c -M "$one" | awk '/Number of packets/ {print $NF}')
	copies=$(( (200000 + n1 - 1) / n1 ))
	list=(); for ((i = 0; i < copies; i++)); do list+=("$one"); done
	mergecap -a -F pcap -w "$f" "${list[@]}"
fi
n=$(capinfos -c -M "$f" | awk '/Number of packets/ {print $NF}')
echo "file: $n packets, $(du -h "$f" | cut -f1), from tests/golden/captures/*.pcap"
printf '%-28s %12s %10s\n' tool packets/s gotracer-x
ours=$(median_time "$GOTRACER" read "$f")
ours_json=$(median_time "$GOTRACER" read --json "$f")
row() { awk -v n="$n" -v t="$2" -v base="$3" -v name="$1" 'BEGIN {printf "%-28s %12.0f %10.2f\n", name, n / t, t / base}'; }
row "gotracer read" "$ours" "$ours"
row "gotracer read --json" "$ours_json" "$ours_json"
row "tshark -r" "$(median_time tshark -n -r "$f")" "$ours"
row "tshark -r -T json" "$(median_time tshark -n -r "$f" -T json)" "$ours_json"
row "tcpdump -nn -v -r" "$(median_time tcpdump -nn -v -r "$f")" "$ours"
echo "(gotracer-x: the tool's time over gotracer's for the same output kind; > 1 means gotracer is that many times faster)"
