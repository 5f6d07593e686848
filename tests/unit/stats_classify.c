// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Application classification from captured packets: the recorded captures of
 * tests/fixtures/app (real clients and servers) go through the classifier as
 * the capture path feeds it, and each flow must be named by what it carries,
 * not by its port (the HTTP server listens on 8000, which no port table says).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/runner.h"
#include "dissect/dissect.h"
#include "file/reader.h"
#include "stats/app.h"
#include "stats/classify.h"

/* The direction-normalised key of an IPv4 TCP/UDP Ethernet frame, as the kernel builds it. */
static bool key_of(const uint8_t *f, uint32_t len, struct gt_flow_key *k)
{
	uint8_t end_a[6], end_b[6];
	uint32_t ihl;

	if (len < 34 || f[12] != 0x08 || f[13] != 0x00)
		return false;
	ihl = (f[14] & 0x0f) * 4u;
	if ((f[23] != 6 && f[23] != 17) || len < 14 + ihl + 4)
		return false;
	memset(k, 0, sizeof(*k));
	memcpy(end_a, f + 26, 4), memcpy(end_a + 4, f + 14 + ihl, 2);
	memcpy(end_b, f + 30, 4), memcpy(end_b + 4, f + 14 + ihl + 2, 2);
	if (memcmp(end_a, end_b, 6) > 0) {
		uint8_t t[6];

		memcpy(t, end_a, 6), memcpy(end_a, end_b, 6), memcpy(end_b, t, 6);
	}
	memcpy(k->addr_a, end_a, 4), memcpy(&k->port_a, end_a + 4, 2);
	memcpy(k->addr_b, end_b, 4), memcpy(&k->port_b, end_b + 4, 2);
	k->proto = f[23];
	k->family = GT_AF_INET;
	return true;
}

/* Feed a capture; return the app of the flow whose server port is port. */
static struct app_guess classify_file(struct classifier *c, const char *name, uint16_t port,
				      int *flows)
{
	char path[512], err[256];
	struct file_reader *r;
	struct file_packet pkt;
	struct dx_packet *dx = calloc(1, sizeof(*dx));
	struct gt_flow_key k, found = {};
	struct app_guess g = { NULL, false };

	*flows = 0;
	snprintf(path, sizeof(path), "%s/tests/fixtures/app/%s", test_source_root(), name);
	if (!dx || file_reader_open(&r, path, err, sizeof(err))) {
		free(dx);
		return g;
	}
	while (file_reader_next(r, &pkt) > 0) {
		struct gt_event ev = { .cap_len = pkt.caplen, .wire_len = pkt.wirelen,
				       .ts_ns = pkt.ts_ns };

		if (!key_of(pkt.data, pkt.caplen, &k))
			continue;
		ev.flow_hash = gt_flow_hash(&k);
		dx_init(dx, pkt.data, pkt.caplen, pkt.wirelen, pkt.linktype);
		dx_dissect(dx);
		classifier_packet(c, &ev, pkt.data, dx);
		if (ntohs(k.port_a) == port || ntohs(k.port_b) == port) {
			if (memcmp(&k, &found, sizeof(k)))
				(*flows)++;
			found = k;
		}
	}
	file_reader_close(r);
	free(dx);
	return *flows ? app_of(&found) : g;
}

TEST(stats_classify_by_content)
{
	struct classifier *c = classifier_new();
	struct app_guess g;
	int flows;

	CHECK(c != NULL);
	app_notes_clear();
	g = classify_file(c, "http.pcap", 8000, &flows);
	CHECK(flows > 0);
	CHECK_STR(g.name, "HTTP");	/* port 8000: the port alone says "tcp" */
	CHECK(!g.encrypted);
	g = classify_file(c, "ssh.pcap", 22, &flows);
	CHECK_STR(g.name, "SSH");
	CHECK(g.encrypted);
	g = classify_file(c, "tls13.pcap", 4433, &flows);
	CHECK(flows > 0);
	CHECK_STR(g.name, "TLS");
	CHECK(g.encrypted);
	classifier_free(c);
}

TEST(stats_classify_without_ndpi)
{
	struct app_guess g;
	int flows;

	/* no nDPI: the dissector's protocol column names the flow */
	app_notes_clear();
	g = classify_file(NULL, "http.pcap", 8000, &flows);

	CHECK(flows > 0);
	CHECK_STR(g.name, "HTTP");
}
