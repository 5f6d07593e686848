#!/usr/bin/env bash
# Installs every Debian package GoTracer needs to build, run and test.
# Idempotent: installs only what is missing, and does nothing when all is there.
set -euo pipefail

# build: BPF toolchain, libraries the gotracer binary links against
build_pkgs=(
	make gcc clang llvm pkg-config libc6-dev linux-libc-dev
	libbpf-dev libxdp-dev xdp-tools bpftool libelf-dev zlib1g-dev
	libwebsockets-dev libcjson-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	libpcap-dev libndpi-dev libfixbuf-dev ieee-data
	libssl-dev libpcre2-dev
)
# tests: real peers, reference dissector, browser, fuzzing runtime
test_pkgs=(
	iproute2 iputils-ping ethtool tshark tcpdump dnsutils dnsmasq-base curl openssl
	python3 nftables iperf3 jq netsniff-ng nfdump libclang-rt-14-dev
	chromium xmlstarlet libcmocka-dev
	dropbear-bin python3-pyftpdlib redis-server
	openssh-client python3-cryptography python3-prometheus-client
)
# bench: the tools users would otherwise pick
bench_pkgs=( nmap masscan arp-scan hyperfine )

want=("${build_pkgs[@]}")
case "${1:-all}" in
	build) ;;
	test) want+=("${test_pkgs[@]}") ;;
	all|bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
	*) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac

missing=()
# the machine image may ship Node.js from elsewhere with npm inside it; only add Debian's when absent
command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages (${missing[*]}); run as root: sudo $0" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
