// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Every fixture cut at every caplen: truncation is flagged (never malformed for a
 * well-formed frame), what was captured is still dissected, and the next packet
 * is unaffected.
 */
#include <limits.h>
#include <stdio.h>

#include "lib/runner.h"
#include "dissect_frames.h"
#include "file/reader.h"

static const struct {
	const uint8_t *f;
	uint32_t n;
} frames[] = {
	{ frame_dns_query, sizeof(frame_dns_query) },
	{ frame_dns_response, sizeof(frame_dns_response) },
	{ frame_dns_cname, sizeof(frame_dns_cname) },
	{ frame_dns_tcp_query, sizeof(frame_dns_tcp_query) },
	{ frame_tcp_syn, sizeof(frame_tcp_syn) },
	{ frame_icmp_unreach, sizeof(frame_icmp_unreach) },
	{ frame_icmp_rr, sizeof(frame_icmp_rr) },
	{ frame_icmpv6_na, sizeof(frame_icmpv6_na) },
	{ frame_icmpv6_mld, sizeof(frame_icmpv6_mld) },
	{ frame_arp_request, sizeof(frame_arp_request) },
	{ frame_dhcp_discover, sizeof(frame_dhcp_discover) },
};

TEST(dissect_every_caplen_is_truncated_not_malformed)
{
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		for (uint32_t cap = 0; cap < frames[i].n; cap++) {
			/* a copy of exactly cap bytes, so ASan sees any read past it */
			uint8_t *copy = malloc(cap ? cap : 1);
			struct dx_packet *p;

			memcpy(copy, frames[i].f, cap);
			p = dissect_frame(copy, cap, frames[i].n, DX_LINK_ETHERNET);
			if (!(p->flags & DX_F_TRUNCATED) || (p->flags & DX_F_MALFORMED))
				test_fail(__FILE__, __LINE__, "frame %zu caplen %u: flags 0x%x", i,
					  cap, p->flags);
			if (cap >= 12 && !field(p, "eth.src"))
				test_fail(__FILE__, __LINE__, "frame %zu caplen %u: no eth.src", i,
					  cap);
			if (cap >= 34 && frames[i].f[12] == 0x08 && frames[i].f[13] == 0 &&
			    !field(p, "ip.dst"))
				test_fail(__FILE__, __LINE__, "frame %zu caplen %u: no ip.dst", i,
					  cap);
			for (uint32_t k = 0; k < p->n_nodes; k++) {
				const struct dx_node *nd = &p->nodes[k];

				if (nd->off + nd->len > cap)
					test_fail(__FILE__, __LINE__,
						  "frame %zu caplen %u: node %s past caplen", i, cap,
						  nd->name ? nd->name : "(text)");
			}
			free(p);
			free(copy);
		}
		struct dx_packet *whole = dissect_frame(frames[i].f, frames[i].n, frames[i].n,
							DX_LINK_ETHERNET);
		CHECK_INT(whole->flags & (DX_F_TRUNCATED | DX_F_MALFORMED), 0);
		free(whole);
	}
}

TEST(dissect_truncated_dns_keeps_what_was_captured)
{
	/* cut inside the answer's address: header and question are all there */
	struct dx_packet *p = dissect_frame(frame_dns_response, 89,
					    sizeof(frame_dns_response), DX_LINK_ETHERNET);

	CHECK(p->flags & DX_F_TRUNCATED);
	CHECK_INT(p->flags & DX_F_MALFORMED, 0);
	CHECK_STR(field(p, "dns.qry.name"), "www.example.org");
	CHECK_STR(field(p, "dns.resp.type"), "1");
	CHECK(dx_find(p, "dns.a") == NULL);
	CHECK_STR(p->protocol, "DNS");
	free(p);
}

TEST(dissect_packet_reuse_is_clean)
{
	struct dx_packet *p = calloc(1, sizeof(*p));

	dx_init(p, frame_dns_query, 30, sizeof(frame_dns_query), DX_LINK_ETHERNET);
	dx_dissect(p);
	CHECK(p->flags & DX_F_TRUNCATED);
	dx_init(p, frame_arp_request, sizeof(frame_arp_request), sizeof(frame_arp_request),
		DX_LINK_ETHERNET);
	dx_dissect(p);
	CHECK_INT(p->flags & (DX_F_TRUNCATED | DX_F_MALFORMED), 0);
	CHECK(dx_find(p, "dns") == NULL);
	CHECK_STR(p->info, "Who has 10.200.0.120? Tell 10.200.0.2");
	free(p);
}

/*
 * Every frame of the reference captures (tests/fixtures/dis) at every caplen:
 * a cut frame is truncated (or, when the whole frame is malformed, may stop at the
 * same fault first), and malformed only when the whole frame is.
 */
TEST(dissect_recorded_frames_at_every_caplen)
{
	static const char *const files[] = { "base.pcap", "cooked.pcap" };
	struct dx_packet *p = calloc(1, sizeof(*p));
	long cuts = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[PATH_MAX], err[256];
		struct file_reader *r;
		struct file_packet fp;

		snprintf(path, sizeof(path), "%s/tests/fixtures/dis/%s", test_source_root(),
			 files[i]);
		CHECK_INT(file_reader_open(&r, path, err, sizeof(err)), 0);
		while (file_reader_next(r, &fp) == 1) {
			uint32_t whole_malformed;

			dx_init(p, fp.data, fp.caplen, fp.wirelen, fp.linktype);
			dx_dissect(p);
			whole_malformed = p->flags & DX_F_MALFORMED;
			for (uint32_t cap = 0; cap < fp.caplen; cap++, cuts++) {
				uint8_t *copy = malloc(cap ? cap : 1);

				memcpy(copy, fp.data, cap);
				dx_init(p, copy, cap, fp.wirelen, fp.linktype);
				dx_dissect(p);
				free(copy);
				if ((!(p->flags & DX_F_TRUNCATED) && !whole_malformed) ||
				    (p->flags & DX_F_MALFORMED) > whole_malformed) {
					test_fail(__FILE__, __LINE__, "%s: a %u-byte frame cut at %u: flags 0x%x",
						  files[i], fp.caplen, cap, p->flags);
					break;
				}
			}
		}
		file_reader_close(r);
	}
	CHECK(cuts > 10000);
	free(p);
}
