#!/usr/bin/env bash
# make run: start gotracer serve on IFACE, or on the default-route interface
# (gotracer picks it from /proc/net/route, then /proc/net/ipv6_route).
#   scripts/run.sh BIN [IFACE]
set -eu
bin=${1:?usage: scripts/run.sh BIN [IFACE]}
iface=${2:-}
if [ ! -x "$bin" ]; then
	echo "make run: $bin is not built; run make first" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "make run: GoTracer loads BPF programs and needs root: sudo make run" >&2
	exit 1
fi
if [ -z "$iface" ]; then
	echo "make run: capturing on the default-route interface (IFACE=name to choose)" >&2
	exec "$bin" serve
fi
if [ ! -e "/sys/class/net/$iface" ]; then
	echo "make run: no such interface '$iface'" >&2
	exit 1
fi
exec "$bin" serve -i "$iface"
