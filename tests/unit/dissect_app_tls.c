// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TLS on the recorded TLS 1.2 and 1.3 handshakes (openssl s_client -servername
 * example.org -alpn h2,http/1.1 against s_server with a self-signed certificate
 * CN=gotracer.test, O=GoTracer): what tshark cannot be asked directly (flags,
 * byte ranges, the certificate's subject line), and damaged records.
 */
#include "dissect_app.h"

TEST(tls_client_hello_fields_and_ranges)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct dx_node *n;
	struct dx_packet *p;
	int ch;

	CHECK_INT(app_load(cap, "tls13.pcap", true), 0);
	ch = app_frame_with(cap, "tls.handshake.type", "1", 1);
	CHECK(ch > 0);
	p = cap->pkts[ch - 1];
	CHECK_STR(p->protocol, "TLSv1");
	CHECK_STR(p->info, "Client Hello");
	CHECK_STR(app_field(cap, ch, "tls.handshake.extensions_server_name"), "example.org");
	CHECK_STR(app_field(cap, ch, "tls.handshake.extensions_alpn_str"), "h2,http/1.1");
	CHECK_STR(app_field(cap, ch, "tls.handshake.extensions.supported_version"), "0x0304");
	CHECK_STR(app_field(cap, ch, "tls.record.version"), "0x0301");
	/* a field's range is the bytes of its value in the frame */
	n = dx_find(p, "tls.handshake.extensions_server_name");
	CHECK(n && n->len == 11);
	CHECK(memcmp(cap->frames[ch - 1].data + n->off, "example.org", 11) == 0);
	CHECK(!(p->flags & (DX_F_ENCRYPTED | DX_F_MALFORMED | DX_F_TRUNCATED)));
	app_free(cap);
	free(cap);
}

TEST(tls13_after_server_hello_is_encrypted)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));

	int sh, fin;

	CHECK_INT(app_load(cap, "tls13.pcap", true), 0);
	sh = app_frame_with(cap, "tls.handshake.type", "2", 1);
	CHECK(sh > 0);
	CHECK_STR(cap->pkts[sh - 1]->protocol, "TLSv1.3");
	CHECK_STR(app_field(cap, sh, "tls.handshake.extensions.supported_version"), "0x0304");
	CHECK_STR(app_field(cap, sh, "tls.handshake.ciphersuite"), "0x1302");
	CHECK(cap->pkts[sh - 1]->flags & DX_F_ENCRYPTED);
	/* the client's second flight: TLS 1.3 from the flow, not from the record */
	fin = app_frame_info(cap, "Change Cipher Spec, Application Data", 1);
	CHECK(fin > sh);
	CHECK_STR(cap->pkts[fin - 1]->protocol, "TLSv1.3");
	CHECK(cap->pkts[fin - 1]->flags & DX_F_ENCRYPTED);
	CHECK(dx_find(cap->pkts[fin - 1], "tls.record.opaque_type") != NULL);
	app_free(cap);
	free(cap);
}

TEST(tls13_stateless_knows_only_the_record)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct app_frame *f;
	uint8_t frame[2048];
	struct dx_packet *p;
	uint32_t hdr, n;
	int fin;

	CHECK_INT(app_load(cap, "tls13.pcap", true), 0);
	fin = app_frame_info(cap, "Change Cipher Spec, Application Data", 1);
	CHECK(fin > 0);
	f = &cap->frames[fin - 1];
	/* on s_server's port 4433 only a hello says TLS without the flow's history */
	p = app_one(NULL, f->data, f->caplen, f->wirelen);
	CHECK_STR(p->protocol, "TCP");
	free(p);
	/* on 443 the client's second flight is TLS, and without the ServerHello
	 * the record's version is all there is */
	hdr = app_payload_off(f);
	n = app_craft(frame, f, f->data + hdr, f->caplen - hdr, 0);
	frame[14 + 20 + 2] = 0x01;
	frame[14 + 20 + 3] = 0xbb;
	p = app_one(NULL, frame, n, n);
	CHECK_STR(p->protocol, "TLSv1.2");
	CHECK(dx_find(p, "tls.record.content_type") != NULL);
	CHECK(dx_find(p, "tls.record.opaque_type") == NULL);
	free(p);
	app_free(cap);
	free(cap);
}

TEST(tls12_certificate_subject_and_encrypted_finish)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	struct dx_packet *p;
	bool subject = false;
	int sh;

	CHECK_INT(app_load(cap, "tls12.pcap", true), 0);
	sh = app_frame_info(cap, "Server Hello, Certificate, Server Key Exchange, "
			    "Server Hello Done", 1);
	CHECK(sh > 0);
	p = cap->pkts[sh - 1];
	CHECK_STR(app_field(cap, sh, "tls.handshake.ciphersuite"), "0xc030");
	CHECK_STR(app_field(cap, sh, "x509sat.uTF8String"),
		  "gotracer.test,GoTracer,gotracer.test,GoTracer");
	for (uint32_t i = 0; i < p->n_nodes; i++)
		if (p->nodes[i].kind == DX_NODE_TEXT &&
		    !strcmp(dx_value(p, &p->nodes[i]), "Subject: CN=gotracer.test, O=GoTracer"))
			subject = true;
	CHECK(subject);
	CHECK(!(p->flags & DX_F_ENCRYPTED));
	/* after ChangeCipherSpec the Finished message is opaque */
	sh = app_frame_info(cap, "Client Key Exchange, Change Cipher Spec, "
			    "Encrypted Handshake Message", 1);
	CHECK(sh > 0);
	CHECK(cap->pkts[sh - 1]->flags & DX_F_ENCRYPTED);
	CHECK(app_frame_info(cap, "Encrypted Alert", 2) > 0);
	app_free(cap);
	free(cap);
}

TEST(tls_damaged_records_are_malformed_or_truncated_never_overread)
{
	struct app_capture *cap = calloc(1, sizeof(*cap));
	const struct app_frame *ch;
	uint8_t frame[2048], payload[1024];
	uint32_t hdr, plen, n;
	struct dx_packet *p;

	CHECK_INT(app_load(cap, "tls13.pcap", true), 0);
	n = (uint32_t)app_frame_with(cap, "tls.handshake.type", "1", 1);
	CHECK(n > 0);
	ch = &cap->frames[n - 1];
	hdr = app_payload_off(ch);
	plen = ch->caplen - hdr;
	CHECK(plen < sizeof(payload));
	/* the extensions length says more than the message holds: malformed */
	memcpy(payload, ch->data + hdr, plen);
	{
		/* record 5 + handshake 4 + version 2 + random 32 + sid */
		uint32_t at = 5 + 4 + 2 + 32;

		at += 1 + payload[at];
		at += 2 + (uint32_t)(payload[at] << 8 | payload[at + 1]);
		at += 1 + payload[at];
		payload[at] = 0xff;
		payload[at + 1] = 0xff;
	}
	n = app_craft(frame, ch, payload, plen, 0);
	p = app_one(NULL, frame, n, n);
	CHECK(p->flags & DX_F_MALFORMED);
	CHECK(dx_find(p, "_ws.malformed") != NULL);
	free(p);
	/* the same frame captured short, at every length: truncated, never malformed */
	n = app_craft(frame, ch, ch->data + hdr, plen, 0);
	for (uint32_t cut = hdr; cut < n; cut += 7) {
		p = app_one(NULL, frame, cut, n);
		CHECK(p->flags & DX_F_TRUNCATED);
		CHECK(!(p->flags & DX_F_MALFORMED));
		free(p);
	}
	app_free(cap);
	free(cap);
}
