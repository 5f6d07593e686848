// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The SYN cookie: real SipHash-2-4, and a different value for any change of the 4-tuple. */
#include "lib/runner.h"
#include "../bpf/scan.h"

TEST(scan_siphash_reference_vector)
{
	/* the SipHash paper's test vector: key 00..0f, message 00..0f (16 bytes) */
	CHECK(scan_siphash(0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL, 0x0706050403020100ULL,
			   0x0f0e0d0c0b0a0908ULL) == 0x3f2acc7f57c29bdbULL);
}

TEST(scan_cookie_depends_on_key_and_tuple)
{
	__u32 base = scan_cookie(1, 2, 0x0100000a, 0x0200000a, 40000, 80);

	CHECK(base != scan_cookie(1, 3, 0x0100000a, 0x0200000a, 40000, 80));
	CHECK(base != scan_cookie(1, 2, 0x0100000a, 0x0300000a, 40000, 80));
	CHECK(base != scan_cookie(1, 2, 0x0100000a, 0x0200000a, 40001, 80));
	CHECK(base != scan_cookie(1, 2, 0x0100000a, 0x0200000a, 40000, 81));
	CHECK(base == scan_cookie(1, 2, 0x0100000a, 0x0200000a, 40000, 80));
}
