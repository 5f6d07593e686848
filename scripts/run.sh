#!/usr/bin/env bash
# make run: start gotracer serve on IFACE, or on the default-route interface.
set -eu
bin=$1; iface=${2:-}
if [ "$(id -u)" -ne 0 ]; then
	echo "make run: GoTracer loads BPF programs and needs root: sudo make run" >&2
	exit 1
fi
if [ -z "$iface" ]; then
	exec "$bin" serve
fi
exec "$bin" serve -i "$iface"
