// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * SSH, QUIC and unclaimed payload ("data") on the recorded captures: the SSH
 * version exchange and KEXINIT (OpenSSH client against a banner server), a
 * QUIC v1 Initial protected per RFC 9001, then what real traffic does not show:
 * SSH after NEWKEYS, QUIC on another port, damaged QUIC headers.
 */
#include "dissect_app.h"

/* The client's KEXINIT: the held first segment and the one that completes it. */
static bool client_kexinit(const struct app_capture *cap, int *held, int *kex)
{
	*kex = app_frame_info(cap, "Client: Key Exchange Init", 1);
	*held = 0;
	for (int i = *kex - 1; i >= 1 && !*held; i--)
		if (strstr(cap->pkts[i - 1]->info, "[TCP segment of a reassembled PDU]"))
			*held = i;
	return *kex > 0 && *held > 0;
}

TEST(ssh_banner_and_kexinit_rebuilt)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	int client, held, kex;

	CHECK_INT(app_load(cap, "ssh.pcap", true), 0);
	client = app_frame_info(cap, "Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6)",
				1);
	CHECK(client > 0);
	CHECK_STR(app_field(cap, client, "ssh.protocol"), "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6");
	CHECK_STR(app_field(cap, client, "ssh.direction"), "0");
	CHECK(app_frame_info(cap, "Server: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)", 1));
	/* KEXINIT spans two segments: the first is held, the second shows it */
	CHECK(client_kexinit(cap, &held, &kex));
	CHECK_STR(cap->pkts[held - 1]->protocol, "TCP");
	CHECK(cap->pkts[kex - 1]->flags & DX_F_REASSEMBLED);
	CHECK_STR(app_field(cap, kex, "ssh.message_code"), "20");
	CHECK(strstr(app_field(cap, kex, "ssh.kex_algorithms"), "curve25519-sha256") != NULL);
	CHECK(!(cap->pkts[kex - 1]->flags & DX_F_ENCRYPTED));
	app_free(cap);
	free(cap);
}

TEST(ssh_encrypted_after_new_keys)
{
	/* NEWKEYS: length 12, padding 10, code 21, 10 padding bytes */
	static const uint8_t newkeys[] = { 0, 0, 0, 12, 10, 21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t sealed[] = { 0x9f, 0x11, 0x42, 0x07, 0xaa, 0xbb, 0xcc, 0xdd,
					  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_streams *s = dx_streams_new();
	const struct app_frame *h, *k;
	uint8_t frame[2048];
	struct dx_packet *p;
	uint32_t n, kex_end;
	int held, kex;

	CHECK_INT(app_load(cap, "ssh.pcap", true), 0);
	CHECK(client_kexinit(cap, &held, &kex));
	for (int i = 0; i < kex; i++)
		free(app_one(s, cap->frames[i].data, cap->frames[i].caplen,
			     cap->frames[i].wirelen));
	/* the client's next segments, after its KEXINIT */
	h = &cap->frames[held - 1];
	k = &cap->frames[kex - 1];
	kex_end = (h->caplen - app_payload_off(h)) + (k->caplen - app_payload_off(k));
	n = app_craft(frame, h, newkeys, sizeof(newkeys), kex_end);
	p = app_one(s, frame, n, n);
	CHECK_STR(p->info, "Client: New Keys");
	CHECK(!(p->flags & DX_F_ENCRYPTED));
	free(p);
	n = app_craft(frame, h, sealed, sizeof(sealed), kex_end + (uint32_t)sizeof(newkeys));
	p = app_one(s, frame, n, n);
	CHECK_STR(p->protocol, "SSHv2");
	CHECK_STR(p->info, "Client: Encrypted packet (len=16)");
	CHECK(p->flags & DX_F_ENCRYPTED);
	free(p);
	dx_streams_free(s);
	app_free(cap);
	free(cap);
}

TEST(quic_initial_header)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_packet *p;

	CHECK_INT(app_load(cap, "quic.pcap", true), 0);
	p = cap->pkts[0];
	CHECK_STR(p->protocol, "QUIC");
	CHECK(p->flags & DX_F_ENCRYPTED);
	CHECK_STR(app_field(cap, 1, "quic.long.packet_type"), "0");
	CHECK_STR(app_field(cap, 1, "quic.version"), "0x00000001");
	CHECK_STR(app_field(cap, 1, "quic.dcid"), "8394c8f03e515708");
	CHECK(!strncmp(p->info, "Initial, DCID=8394c8f03e515708, SCID=", 37));
	app_free(cap);
	free(cap);
}

TEST(quic_by_heuristic_and_damaged_headers)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct app_frame *f;
	uint8_t frame[2048], payload[1500];
	uint32_t hdr, plen, n;
	struct dx_packet *p;

	CHECK_INT(app_read(cap, "quic.pcap"), 0);
	f = &cap->frames[0];
	hdr = app_payload_off(f);
	plen = f->caplen - hdr;
	CHECK(plen <= sizeof(payload));
	memcpy(payload, f->data + hdr, plen);
	/* on another port, found by its long header and version */
	n = app_craft(frame, f, payload, plen, 0);
	frame[14 + 20 + 2] = 0x11;	/* destination port 4444 */
	frame[14 + 20 + 3] = 0x5c;
	p = app_one(NULL, frame, n, n);
	CHECK_STR(p->protocol, "QUIC");
	free(p);
	/* a DCID length of 200: malformed */
	payload[5] = 200;
	n = app_craft(frame, f, payload, plen, 0);
	p = app_one(NULL, frame, n, n);
	CHECK(p->flags & DX_F_MALFORMED);
	free(p);
	/* captured short: truncated, not malformed */
	memcpy(payload, f->data + hdr, plen);
	n = app_craft(frame, f, payload, plen, 0);
	for (uint32_t cut = hdr + 1; cut < n; cut += 5) {
		p = app_one(NULL, frame, cut, n);
		CHECK(!(p->flags & DX_F_MALFORMED));
		CHECK(p->flags & DX_F_TRUNCATED);
		free(p);
	}
	app_free(cap);
	free(cap);
}

TEST(data_shows_unclaimed_payload)
{
	static const char payload[] = "\x01hello, world\xff";
	struct app_capture *cap = calloc(1, sizeof(*cap));
	uint8_t frame[2048];
	struct dx_packet *p;
	uint32_t n;
	bool ascii = false;
	int get;

	CHECK_INT(app_load(cap, "http.pcap", true), 0);
	get = app_frame_with(cap, "http.request.uri", "/index.html", 1);
	CHECK(get > 0);
	n = app_craft(frame, &cap->frames[get - 1], payload, sizeof(payload) - 1, 0);
	frame[14 + 20 + 2] = 0x27;	/* destination port 10000: nobody's */
	frame[14 + 20 + 3] = 0x10;
	p = app_one(NULL, frame, n, n);
	CHECK_STR(dx_value(p, dx_find(p, "data.data")), "0168656c6c6f2c20776f726c64ff");
	CHECK_STR(dx_value(p, dx_find(p, "data.len")), "14");
	for (uint32_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].kind == DX_NODE_TEXT &&
		    !strcmp(dx_value(p, &p->nodes[i]), "ASCII: .hello, world."))
			ascii = true;
	CHECK(ascii);
	free(p);
	app_free(cap);
	free(cap);
}

TEST(ssh_real_server_kex_then_encrypted)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	int reply, newkeys, sealed = 0;

	CHECK_INT(app_load(cap, "ssh-kex.pcap", true), 0);
	reply = app_frame_with(cap, "ssh.host_key.type", "ssh-ed25519", 1);
	CHECK(reply > 0);
	CHECK(strstr(app_field(cap, reply, "ssh.message_code"), "31") != NULL);
	newkeys = app_frame_info(cap, "Client: New Keys", 1);
	CHECK(newkeys > 0);
	CHECK(!(cap->pkts[newkeys - 1]->flags & DX_F_ENCRYPTED));
	for (int i = newkeys; i < cap->n && !sealed; i++)
		if (!strncmp(cap->pkts[i]->info, "Client: Encrypted packet (len=", 30))
			sealed = i + 1;
	CHECK(sealed > newkeys);
	CHECK(cap->pkts[sealed - 1]->flags & DX_F_ENCRYPTED);
	CHECK_STR(cap->pkts[sealed - 1]->protocol, "SSHv2");
	app_free(cap);
	free(cap);
}
