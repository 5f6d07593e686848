// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Bounds-checked byte copies, and the text forms the dissectors share, as
 * tshark -T fields prints them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto.h"

bool dx_copy(struct dx_packet *p, uint32_t off, void *dst, uint32_t len)
{
	if (!dx_has(p, off, len)) {
		memset(dst, 0, len);
		return false;
	}
	memcpy(dst, p->data + off, len);
	return true;
}

void dx_fmt_mac(char *buf, size_t size, struct dx_packet *p, uint32_t off)
{
	uint8_t m[6];

	dx_copy(p, off, m, sizeof(m));
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
}

void dx_fmt_ipv4(char *buf, size_t size, struct dx_packet *p, uint32_t off)
{
	uint8_t a[4];

	dx_copy(p, off, a, sizeof(a));
	snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void dx_fmt_ipv6(char *buf, size_t size, struct dx_packet *p, uint32_t off)
{
	char tmp[INET6_ADDRSTRLEN];
	uint8_t a[16];

	dx_copy(p, off, a, sizeof(a));
	/* inet_ntop follows RFC 5952, as Wireshark does */
	if (!inet_ntop(AF_INET6, a, tmp, sizeof(tmp)))
		tmp[0] = '\0';
	snprintf(buf, size, "%s", tmp);
}

void dx_fmt_time(char *buf, size_t size, int64_t secs, uint32_t nsecs)
{
	time_t t = (time_t)secs;
	char when[48];
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%b %e, %Y %H:%M:%S", &tm)) {
		snprintf(buf, size, "%lld", (long long)secs);
		return;
	}
	snprintf(buf, size, "%s.%09u UTC", when, nsecs);
}

void dx_hex_field(struct dx_packet *p, const char *name, uint32_t off, uint32_t len)
{
	char hex[2 * DX_HEX_MAX + 1];

	dx_fmt_hex(hex, sizeof(hex), p, off, len > DX_HEX_MAX ? DX_HEX_MAX : len);
	dx_field(p, name, off, len, "%s", hex);
}

void dx_fmt_hex(char *buf, size_t size, struct dx_packet *p, uint32_t off, uint32_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	if (size == 0)
		return;
	for (uint32_t i = 0; i < len && o + 2 < size; i++) {
		uint8_t b;

		if (!dx_has(p, off + i, 1))
			break;
		b = dx_u8(p, off + i);
		buf[o++] = digits[b >> 4];
		buf[o++] = digits[b & 0xf];
	}
	buf[o] = '\0';
}
