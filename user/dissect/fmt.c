// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Address and byte formatting shared by the dissectors, as tshark -T fields prints them. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto.h"

void dx_fmt_mac(char *buf, size_t size, struct dx_packet *p, uint32_t off)
{
	uint8_t m[6] = { 0 };

	if (dx_has(p, off, 6))
		memcpy(m, p->data + off, 6);
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
		 m[5]);
}

void dx_fmt_ipv4(char *buf, size_t size, struct dx_packet *p, uint32_t off)
{
	uint8_t a[4] = { 0 };

	if (dx_has(p, off, 4))
		memcpy(a, p->data + off, 4);
	snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void dx_fmt_ipv6(char *buf, size_t size, struct dx_packet *p, uint32_t off)
{
	uint8_t a[16] = { 0 };
	char tmp[INET6_ADDRSTRLEN];

	if (dx_has(p, off, 16))
		memcpy(a, p->data + off, 16);
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

void dx_fmt_hex(char *buf, size_t size, struct dx_packet *p, uint32_t off, uint32_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	if (size == 0)
		return;
	for (uint32_t i = 0; i < len && o + 2 < size; i++) {
		if (!dx_has(p, off + i, 1))
			break;
		buf[o++] = digits[p->data[off + i] >> 4];
		buf[o++] = digits[p->data[off + i] & 0xf];
	}
	buf[o] = '\0';
}
