// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP reassembly (user/dissect/stream.c) on the real TLS 1.3 ClientHello of
 * tests/fixtures/app/tls13.pcap, cut into three segments that arrive out of
 * order and with a retransmission; the same frames are written to a pcap and
 * tshark (with out-of-order reassembly on) must agree on the rebuilt message.
 * Then the memory bounds: per flow, in total, number of flows.
 */
#include <pcap/pcap.h>
#include <unistd.h>

#include "dissect_app.h"
#include "lib/bytes.h"

#define HDR_LEN (14 + 20 + 32)	/* the capture's headers: IPv4, TCP with timestamps */

/* The 1-based number of the ClientHello frame in tls13.pcap, or 0. */
static int client_hello_frame(struct app_capture *cap)
{
	struct dx_packet *p;

	for (int i = 0; i < cap->n; i++) {
		const char *v;

		p = calloc(1, sizeof(*p));
		dx_init(p, cap->frames[i].data, cap->frames[i].caplen, cap->frames[i].wirelen,
			DX_LINK_ETHERNET);
		dx_dissect(p);
		v = dx_find(p, "tls.handshake.type") ? dx_value(p, dx_find(p, "tls.handshake.type"))
						     : "";
		if (!strcmp(v, "1")) {
			free(p);
			return i + 1;
		}
		free(p);
	}
	return 0;
}

struct crafted {
	uint8_t data[2048];
	uint32_t len;
};

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The real frame's headers with payload bytes [from, to) of it and seq moved on. */
static void segment(struct crafted *out, const struct app_frame *f, uint32_t from, uint32_t to)
{
	uint32_t hdr = HDR_LEN;
	uint32_t seq = get_be32(f->data + 14 + 20 + 4);

	memcpy(out->data, f->data, hdr);
	memcpy(out->data + hdr, f->data + hdr + from, to - from);
	out->len = hdr + to - from;
	put_be16(out->data + 14 + 2, (uint16_t)(out->len - 14));	/* IPv4 total length */
	put_be32(out->data + 14 + 20 + 4, seq + from);
}

static struct dx_packet *dissect(struct dx_streams *s, const uint8_t *data, uint32_t len)
{
	struct dx_packet *p = calloc(1, sizeof(*p));

	p->streams = s;
	dx_init(p, data, len, len, DX_LINK_ETHERNET);
	dx_dissect(p);
	return p;
}

/* tshark's value of FIELD in frame NO of PATH (reassembling out-of-order segments). */
static void tshark_field(const char *path, int no, const char *field, char *out, size_t size)
{
	char cmd[1024];
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "tshark -n -o tcp.reassemble_out_of_order:TRUE -r '%s' -Y frame.number==%d "
		 "-T fields -E occurrence=a -E aggregator=, -e %s 2>/dev/null", path, no, field);
	out[0] = '\0';
	f = popen(cmd, "r");
	if (!f)
		return;
	if (!fgets(out, (int)size, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(f);
}

TEST(stream_client_hello_split_out_of_order_retransmitted)
{
	static const char *const fields[] = {
		"tls.handshake.type", "tls.handshake.extensions_server_name",
		"tls.handshake.ciphersuite", "tls.handshake.extension.type",
		"tls.handshake.extensions_key_share_key_exchange", "tcp.segment.count",
		"tcp.reassembled.length",
	};
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct crafted seg[4];
	struct dx_packet *whole, *p[4];
	struct dx_streams *s = dx_streams_new();
	char ours[4096], want[4096], path[] = "/tmp/gt-stream-XXXXXX";
	const struct app_frame *ch;
	uint32_t payload;
	pcap_dumper_t *d;
	pcap_t *dead;
	int fd;

	int ch_no;

	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	ch_no = client_hello_frame(cap);
	CHECK(ch_no > 0);
	ch = &cap->frames[ch_no - 1];
	payload = ch->caplen - HDR_LEN;
	CHECK(payload > 200);
	whole = dissect(NULL, ch->data, ch->caplen);
	CHECK_STR(app_values(whole, "tls.handshake.extensions_server_name", ours, sizeof(ours)),
		  "example.org");

	/* handshake first, then: A [0,100), C [200,end), B [100,200), B again */
	for (int i = 0; i < ch_no - 1; i++)
		free(dissect(s, cap->frames[i].data, cap->frames[i].caplen));
	segment(&seg[0], ch, 0, 100);
	segment(&seg[1], ch, 200, payload);
	segment(&seg[2], ch, 100, 200);
	seg[3] = seg[2];
	for (int i = 0; i < 4; i++)
		p[i] = dissect(s, seg[i].data, seg[i].len);

	/* A: the start, held */
	CHECK(dx_find(p[0], "tls") == NULL);
	CHECK_STR(p[0]->protocol, "TCP");
	/* TLS looked at it first: only the reassembly note, as in Wireshark */
	CHECK_STR(p[0]->info, "[TCP segment of a reassembled PDU]");
	/* C: ahead of a gap, kept aside: its bytes show as data */
	CHECK(dx_find(p[1], "tls") == NULL);
	CHECK_STR(app_values(p[1], "data.len", ours, sizeof(ours)), "63");
	/* B: closes the gap, the whole ClientHello appears, as in the unsplit frame */
	CHECK(dx_find(p[2], "tls") != NULL);
	CHECK(p[2]->flags & DX_F_REASSEMBLED);
	CHECK_STR(p[2]->protocol, "TLSv1");
	CHECK_STR(p[2]->info, "Client Hello");
	CHECK_STR(app_values(p[2], "tcp.segment.count", ours, sizeof(ours)), "3");
	CHECK_STR(app_values(p[2], "tcp.reassembled.length", ours, sizeof(ours)), "263");
	for (size_t k = 2; k < 5; k++) {
		char a[4096];

		CHECK_STR(app_values(p[2], fields[k], ours, sizeof(ours)),
			  app_values(whole, fields[k], a, sizeof(a)));
	}
	/* the fields read from this frame point into it, the others have length 0 */
	{
		const struct dx_node *n = dx_find(p[2], "tls.handshake.type");

		CHECK(n && n->len == 0);
		CHECK(n->off >= HDR_LEN && n->off <= seg[2].len);
	}
	/* B again: a retransmission adds nothing */
	CHECK(dx_find(p[3], "tls") == NULL);

	/* tshark on the same frames */
	if (access("/usr/bin/tshark", X_OK) == 0) {
		fd = mkstemp(path);
		CHECK(fd >= 0);
		close(fd);
		dead = pcap_open_dead(DLT_EN10MB, 65535);
		d = pcap_dump_open(dead, path);
		CHECK(d != NULL);
		for (int i = 0; i < ch_no - 1 + 4; i++) {
			const uint8_t *data = i < ch_no - 1 ? cap->frames[i].data
							   : seg[i - ch_no + 1].data;
			uint32_t len = i < ch_no - 1 ? cap->frames[i].caplen
						     : seg[i - ch_no + 1].len;
			struct pcap_pkthdr h = { .ts = { 1000 + i, 0 }, .caplen = len, .len = len };

			pcap_dump((u_char *)d, &h, data);
		}
		pcap_dump_close(d);
		pcap_close(dead);
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			tshark_field(path, ch_no + 2, fields[k], want, sizeof(want));
			app_values(p[2], fields[k], ours, sizeof(ours));
			if (strcmp(ours, want))
				fprintf(stderr, "    %s: ours \"%.100s\", tshark \"%.100s\"\n",
					fields[k], ours, want);
			CHECK_STR(ours, want);
		}
		unlink(path);
	}
	for (int i = 0; i < 4; i++)
		free(p[i]);
	free(whole);
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}

TEST(stream_stateless_segments_do_not_crash_or_pretend)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct app_frame *ch;
	struct crafted a, b;
	struct dx_packet *p;

	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	CHECK(client_hello_frame(cap) > 0);
	ch = &cap->frames[client_hello_frame(cap) - 1];
	segment(&a, ch, 0, 100);
	segment(&b, ch, 100, 200);
	/* the first part alone: the record as far as it goes, truncated, not rebuilt */
	p = dissect(NULL, a.data, a.len);
	CHECK(dx_find(p, "tls.handshake.type") != NULL);
	CHECK(!(p->flags & DX_F_REASSEMBLED));
	CHECK(p->flags & DX_F_TRUNCATED);
	free(p);
	/* the middle alone is not a record: plain data */
	p = dissect(NULL, b.data, b.len);
	CHECK(dx_find(p, "tls") == NULL);
	CHECK(dx_find(p, "data") != NULL);
	free(p);
	app_free(cap);
	free(cap);
}

/* A ClientHello start (record header claims 1000 bytes) on a new flow per port. */
static void partial_record(struct crafted *out, const struct app_frame *ch, uint16_t sport,
			   uint16_t claimed)
{
	segment(out, ch, 0, 200);
	put_be16(out->data + 14 + 20, sport);
	put_be16(out->data + HDR_LEN + 3, claimed);
}

TEST(stream_memory_is_bounded)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_streams *s = dx_streams_new_limits(4096, 8192, 8);
	struct dx_streams_stats st;
	const struct app_frame *ch;
	struct crafted c;

	CHECK(s != NULL);
	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	CHECK(client_hello_frame(cap) > 0);
	ch = &cap->frames[client_hello_frame(cap) - 1];
	/* 100 flows each hold a message start: at most 8 flows, 8 KiB stay */
	for (int i = 0; i < 100; i++) {
		partial_record(&c, ch, (uint16_t)(20000 + i), 1000);
		free(dissect(s, c.data, c.len));
		dx_streams_stats(s, &st);
		CHECK(st.flows <= 8);
		CHECK(st.bytes <= 8192);
	}
	CHECK(st.evicted_flows >= 92);
	CHECK(st.bytes > 0);
	/* a message larger than the per-flow budget is given up, not held */
	partial_record(&c, ch, 30000, 10000);
	{
		struct dx_packet *p = dissect(s, c.data, c.len);

		dx_streams_stats(s, &st);
		CHECK(st.dropped_messages >= 1);
		free(p);
	}
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}

TEST(stream_fin_and_rst_free_state)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_streams *s = dx_streams_new();
	struct dx_streams_stats st;
	const struct app_frame *ch;
	struct crafted c;
	uint64_t one_held;

	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	CHECK(client_hello_frame(cap) > 0);
	ch = &cap->frames[client_hello_frame(cap) - 1];
	partial_record(&c, ch, 40000, 1000);
	free(dissect(s, c.data, c.len));
	dx_streams_stats(s, &st);
	CHECK(st.bytes > 0);
	one_held = st.bytes;
	/* an RST on the flow (no payload): after it, nothing is held */
	segment(&c, ch, 0, 0);
	put_be16(c.data + 14 + 20, 40000);
	c.data[14 + 20 + 13] = 0x04;	/* RST */
	free(dissect(s, c.data, c.len));
	partial_record(&c, ch, 40001, 1000);	/* the next packet ends the previous one */
	free(dissect(s, c.data, c.len));
	dx_streams_stats(s, &st);
	/* the reset flow stays for its TCP numbering (tcp.seq), holding nothing */
	CHECK_INT(st.flows, 2);
	CHECK_INT(st.bytes, one_held);
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}

/* Segment [from, to) of the ClientHello on client port sport, sequence base + from. */
static void segment_at(struct crafted *out, const struct app_frame *ch, uint32_t from,
		       uint32_t to, uint16_t sport, uint32_t base)
{
	segment(out, ch, from, to);
	put_be16(out->data + 14 + 20, sport);
	put_be32(out->data + 14 + 20 + 4, base + from);
}

TEST(stream_lru_keeps_the_busy_flow)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_streams *s = dx_streams_new_limits(0, 0, 4);
	struct dx_streams_stats st;
	const struct app_frame *ch;
	struct crafted c;
	struct dx_packet *p;
	uint32_t payload;

	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	CHECK(client_hello_frame(cap) > 0);
	ch = &cap->frames[client_hello_frame(cap) - 1];
	payload = ch->caplen - HDR_LEN;
	segment_at(&c, ch, 0, 100, 20000, 7000);
	free(dissect(s, c.data, c.len));
	for (int i = 0; i < 20; i++) {
		/* an idle newcomer, then an empty ACK on the busy flow */
		partial_record(&c, ch, (uint16_t)(21000 + i), 1000);
		free(dissect(s, c.data, c.len));
		segment_at(&c, ch, 100, 100, 20000, 7000);
		free(dissect(s, c.data, c.len));
	}
	dx_streams_stats(s, &st);
	CHECK(st.evicted_flows >= 16);
	CHECK(st.flows <= 4);
	/* the busy flow kept its held start: the rest completes the ClientHello */
	segment_at(&c, ch, 100, payload, 20000, 7000);
	p = dissect(s, c.data, c.len);
	CHECK(p->flags & DX_F_REASSEMBLED);
	CHECK_STR(dx_value(p, dx_find(p, "tls.handshake.extensions_server_name")), "example.org");
	free(p);
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}

TEST(stream_sequence_numbers_wrap)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_streams *s = dx_streams_new();
	const struct app_frame *ch;
	struct crafted c;
	struct dx_packet *p;
	uint32_t payload, base = 0xffffffffu - 150;

	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	CHECK(client_hello_frame(cap) > 0);
	ch = &cap->frames[client_hello_frame(cap) - 1];
	payload = ch->caplen - HDR_LEN;
	/* three parts, the last two past 2^32; the middle one late */
	segment_at(&c, ch, 0, 100, 20000, base);
	free(dissect(s, c.data, c.len));
	segment_at(&c, ch, 200, payload, 20000, base);
	free(dissect(s, c.data, c.len));
	segment_at(&c, ch, 100, 200, 20000, base);
	p = dissect(s, c.data, c.len);
	CHECK(p->flags & DX_F_REASSEMBLED);
	CHECK_STR(dx_value(p, dx_find(p, "tcp.segment.count")), "3");
	CHECK_STR(dx_value(p, dx_find(p, "tls.handshake.extensions_server_name")), "example.org");
	free(p);
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}

TEST(stream_whole_retransmission_goes_to_no_dissector)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_streams *s = dx_streams_new();
	const struct app_frame *ch;
	struct dx_packet *p;
	char want[64];
	bool shown = false;
	int ch_no;

	CHECK_INT(app_read(cap, "tls13.pcap"), 0);
	ch_no = client_hello_frame(cap);
	CHECK(ch_no > 0);
	ch = &cap->frames[ch_no - 1];
	for (int i = 0; i < ch_no; i++)
		free(dissect(s, cap->frames[i].data, cap->frames[i].caplen));
	/*
	 * The same segment again: its bytes were all seen, so (as tshark 4.0 shows a
	 * retransmitted request) TLS never sees them; TCP says what they are.
	 */
	p = dissect(s, ch->data, ch->caplen);
	CHECK_STR(p->protocol, "TCP");
	CHECK(!dx_find(p, "tls"));
	CHECK(!dx_find(p, "data"));
	CHECK(!(p->flags & DX_F_REASSEMBLED));
	snprintf(want, sizeof(want), "Retransmitted TCP segment data (%u bytes)",
		 ch->caplen - app_payload_off(ch));
	for (uint32_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].kind == DX_NODE_TEXT && !strcmp(dx_value(p, &p->nodes[i]), want))
			shown = true;
	CHECK(shown);
	free(p);
	/* the stateless view (a stored packet's detail) still dissects it alone */
	p = dissect(NULL, ch->data, ch->caplen);
	CHECK_STR(p->info, "Client Hello");
	free(p);
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}
