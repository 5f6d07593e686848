// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * SSH (RFC 4253): the protocol version exchange ("SSH-2.0-OpenSSH_9.2p1 ..."),
 * then the binary packets of the key exchange that travel in clear (KEXINIT
 * with its name-lists, the ECDH messages, NEWKEYS); every packet after a side's
 * NEWKEYS is encrypted and shown as such. KEXINIT usually spans segments:
 * stream.c rebuilds it. Field names are Wireshark's.
 */
#include <stdio.h>
#include <string.h>

#include "stream.h"

#define SSH_PORT 22
#define MSG_KEXINIT 20
#define MSG_NEWKEYS 21
#define MSG_KEX_ECDH_INIT 30
#define MSG_KEX_ECDH_REPLY 31
#define MAX_PACKET 35000	/* RFC 4253 6.1: implementations must take 35000 */

/* dx_stream_app.flags[dir] */
#define SSH_DIR_BANNER 0x01	/* this side sent its version line */
#define SSH_DIR_NEWKEYS 0x02	/* this side's packets are encrypted from now on */

struct msg_name {
	uint8_t code;
	const char *name;
};

static const struct msg_name msg_names[] = {
	{ 1, "Disconnect" }, { 2, "Ignore" }, { 3, "Unimplemented" }, { 4, "Debug" },
	{ 5, "Service Request" }, { 6, "Service Accept" }, { 7, "Extension Info" },
	{ MSG_KEXINIT, "Key Exchange Init" }, { MSG_NEWKEYS, "New Keys" },
	{ 30, "Elliptic Curve Diffie-Hellman Key Exchange Init" },
	{ 31, "Elliptic Curve Diffie-Hellman Key Exchange Reply" },
};

/* KEXINIT's name-lists, each with its length field (RFC 4253 7.1) */
static const char *const kex_lists[][2] = {
	{ "ssh.kex_algorithms_length", "ssh.kex_algorithms" },
	{ "ssh.server_host_key_algorithms_length", "ssh.server_host_key_algorithms" },
	{ "ssh.encryption_algorithms_client_to_server_length",
	  "ssh.encryption_algorithms_client_to_server" },
	{ "ssh.encryption_algorithms_server_to_client_length",
	  "ssh.encryption_algorithms_server_to_client" },
	{ "ssh.mac_algorithms_client_to_server_length", "ssh.mac_algorithms_client_to_server" },
	{ "ssh.mac_algorithms_server_to_client_length", "ssh.mac_algorithms_server_to_client" },
	{ "ssh.compression_algorithms_client_to_server_length",
	  "ssh.compression_algorithms_client_to_server" },
	{ "ssh.compression_algorithms_server_to_client_length",
	  "ssh.compression_algorithms_server_to_client" },
	{ "ssh.languages_client_to_server_length", "ssh.languages_client_to_server" },
	{ "ssh.languages_server_to_client_length", "ssh.languages_server_to_client" },
};

static const char *msg_name(uint8_t code)
{
	for (size_t i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (msg_names[i].code == code)
			return msg_names[i].name;
	return "Unknown";
}

/* 1 when this packet goes from the server (the side on port 22, else the lower port). */
static int from_server(const struct dx_conv *c)
{
	if (c->sport == SSH_PORT || c->dport == SSH_PORT)
		return c->sport == SSH_PORT;
	return c->sport < c->dport;
}

static void info_add(struct dx_packet *p, bool *started, bool server, const char *what)
{
	if (!*started)
		dx_set_info(p, "%s: %s", server ? "Server" : "Client", what);
	else
		dx_append_info(p, ", %s", what);
	*started = true;
}

static void kexinit(const struct dx_buf *b, uint32_t i, uint32_t end)
{
	char hex[33], list[DX_BUF_VALUE_MAX];

	if (i + 16 > end)
		return;
	dx_buf_field(b, "ssh.cookie", i, 16, "%s", dx_buf_hex(b, i, 16, hex, sizeof(hex)));
	i += 16;
	for (size_t k = 0; k < sizeof(kex_lists) / sizeof(kex_lists[0]); k++) {
		uint32_t len = dx_buf_be32(b, i);

		if (i + 4 > end || len > end - i - 4)
			return;
		dx_buf_field(b, kex_lists[k][0], i, 4, "%u", len);
		dx_buf_field(b, kex_lists[k][1], i + 4, len, "%s",
			     dx_buf_str(b, i + 4, len, list, sizeof(list)));
		i += 4 + len;
	}
	if (i + 5 > end)
		return;
	dx_buf_field(b, "ssh.first_kex_packet_follows", i, 1, "%u", dx_buf_u8(b, i));
	dx_buf_field(b, "ssh.kex.reserved", i + 1, 4, "%s",
		     dx_buf_hex(b, i + 1, 4, hex, sizeof(hex)));
}

/* A uint32-length string at i: its length field, then the string (hex or text). */
static uint32_t ssh_string(const struct dx_buf *b, uint32_t i, uint32_t end,
			   const char *len_name, const char *name, bool text)
{
	char out[2 * 512 + 1];
	uint32_t len = dx_buf_be32(b, i);

	if (i + 4 > end || len > end - i - 4)
		return end;
	dx_buf_field(b, len_name, i, 4, "%u", len);
	if (text)
		dx_buf_str(b, i + 4, len, out, sizeof(out));
	else
		dx_buf_hex(b, i + 4, len, out, sizeof(out));
	dx_buf_field(b, name, i + 4, len, "%s", out);
	return i + 4 + len;
}

/* ECDH key exchange (RFC 5656 4): the client's key; the server's host key, key, signature. */
static void kex_ecdh(const struct dx_buf *b, uint8_t code, uint32_t i, uint32_t end)
{
	uint32_t blob;

	if (code == MSG_KEX_ECDH_INIT) {
		ssh_string(b, i, end, "ssh.ecdh.q_c_length", "ssh.ecdh.q_c", false);
		return;
	}
	blob = dx_buf_be32(b, i);
	if (i + 4 > end || blob > end - i - 4)
		return;
	dx_buf_field(b, "ssh.host_key.length", i, 4, "%u", blob);
	ssh_string(b, i + 4, i + 4 + blob, "ssh.host_key.type_length", "ssh.host_key.type", true);
	i = ssh_string(b, i + 4 + blob, end, "ssh.ecdh.q_s_length", "ssh.ecdh.q_s", false);
	if (i + 4 <= end)
		dx_buf_field(b, "ssh.host_sig.length", i, 4, "%u", dx_buf_be32(b, i));
}

/* One binary packet at [i, i + 4 + length) (unencrypted, no MAC yet). */
static void packet(const struct dx_buf *b, uint32_t i, uint32_t plen, bool server,
		   bool *started, bool *newkeys)
{
	char hex[2 * 256 + 1];
	uint8_t pad = dx_buf_u8(b, i + 4), code = dx_buf_u8(b, i + 5);
	uint32_t end = i + 4 + plen;
	uint32_t payload_end = plen >= 1u + pad ? end - pad : i + 5;

	dx_buf_text(b, i, 4 + plen, "SSH Version 2 (packet length %u)", plen);
	dx_push(b->p);
	dx_buf_field(b, "ssh.packet_length", i, 4, "%u", plen);
	dx_buf_field(b, "ssh.padding_length", i + 4, 1, "%u", pad);
	if (plen < 2u + pad || pad < 4) {
		dx_malformed(b->p, b->frame_off, 0, "SSH padding longer than the packet");
		dx_pop(b->p);
		return;
	}
	dx_buf_field(b, "ssh.message_code", i + 5, 1, "%u", code);
	if (code == MSG_KEXINIT)
		kexinit(b, i + 6, payload_end);
	if (code == MSG_KEX_ECDH_INIT || code == MSG_KEX_ECDH_REPLY)
		kex_ecdh(b, code, i + 6, payload_end);
	if (code == MSG_NEWKEYS)
		*newkeys = true;
	dx_buf_field(b, "ssh.padding_string", payload_end, pad, "%s",
		     dx_buf_hex(b, payload_end, pad, hex, sizeof(hex)));
	dx_pop(b->p);
	info_add(b->p, started, server, msg_name(code));
}

/* The version line at i (up to and with "\n"); returns the index past it, or 0. */
static uint32_t banner(const struct dx_buf *b, uint32_t i, bool server, bool *started)
{
	const uint8_t *nl = memchr(b->data + i, '\n', b->len - i);
	char text[256], what[300];
	uint32_t end, n;

	if (!nl)
		return 0;
	end = (uint32_t)(nl - b->data) + 1;
	n = end - i - 1;
	if (n && dx_buf_u8(b, i + n - 1) == '\r')
		n--;
	dx_buf_str(b, i, n, text, sizeof(text));
	dx_buf_field(b, "ssh.protocol", i, end - i, "%s", text);
	snprintf(what, sizeof(what), "Protocol (%s)", text);
	info_add(b->p, started, server, what);
	return end;
}

static bool looks_like_banner(const struct dx_buf *b)
{
	return b->len >= 4 && memcmp(b->data, "SSH-", 4) == 0;
}

/* Is there something complete to show at the start of b? */
static bool complete_start(const struct dx_buf *b, bool encrypted)
{
	uint32_t plen;

	if (encrypted || !b->stored)
		return true;
	if (looks_like_banner(b))
		return memchr(b->data, '\n', b->len) != NULL || !dx_stream_can_hold(b->p, b, 256);
	if (b->len < 6)
		return false;
	plen = dx_buf_be32(b, 0);
	return plen > MAX_PACKET || plen <= b->len - 4 ||
	       !dx_stream_can_hold(b->p, b, 4 + (uint64_t)plen);
}

bool dx_ssh(struct dx_packet *p, const struct dx_conv *c, uint32_t off, uint32_t len)
{
	struct dx_stream_app *app = dx_stream_app(p, c);
	int dir = dx_stream_dir(p, c);
	bool server = from_server(c), started = false, newkeys = false;
	bool encrypted = app && (app->flags[dir] & SSH_DIR_NEWKEYS);
	struct dx_buf b;
	uint32_t i = 0;

	if (!dx_stream_view(p, c, off, len, &b) || b.len == 0)
		return false;
	/* without history, only a version line is surely SSH */
	if (!app && !looks_like_banner(&b) && c->sport != SSH_PORT && c->dport != SSH_PORT)
		return false;
	if (!complete_start(&b, encrypted)) {
		if (b.frame_at == 0 || b.len - b.frame_at < 6)
			dx_set_info(p, "%s", "");	/* looked at here first, as Wireshark */
		dx_stream_done(p, &b, 0, dx_ssh);	/* all of it continues later */
		return true;
	}
	if (!encrypted && !looks_like_banner(&b) && b.len >= 4)
		dx_stream_mark(p, &b, 0, 4 + dx_buf_be32(&b, 0));
	if (dx_buf_proto(&b, "ssh", 0, b.len, "SSH Protocol") < 0)
		return true;
	dx_push(p);
	dx_buf_field(&b, "ssh.direction", 0, 0, "%d", server);
	/* as Wireshark: "SSHv2" once the client's version line said 2.0 */
	p->protocol = app && app->version == 2 ? "SSHv2" : "SSH";
	if (looks_like_banner(&b)) {
		i = banner(&b, 0, server, &started);
		if (!i)
			i = b.len;	/* stateless: the line goes on past this segment */
		if (app)
			app->flags[dir] |= SSH_DIR_BANNER;
		if (app && !server && ((b.len >= 8 && !memcmp(b.data, "SSH-2.0-", 8)) ||
					(b.len >= 9 && !memcmp(b.data, "SSH-1.99-", 9))))
			app->version = 2;
	}
	while (i < b.len && !encrypted) {
		uint32_t plen = dx_buf_be32(&b, i);

		if (b.len - i >= 4 && plen > MAX_PACKET) {
			/* no sane length: the keys changed without us seeing NEWKEYS */
			encrypted = true;
			break;
		}
		if (b.len - i < 6 || plen > b.len - i - 4) {
			if (dx_stream_can_hold(p, &b, 4 + (uint64_t)plen))
				break;	/* the rest comes in later segments */
			dx_mark(p, DX_F_TRUNCATED);
			if (b.len - i >= 4)
				dx_buf_field(&b, "ssh.packet_length", i, 4, "%u", plen);
			i = b.len;
			break;
		}
		packet(&b, i, plen, server, &started, &newkeys);
		p->protocol = "SSHv2";
		i += 4 + plen;
		if (newkeys) {
			encrypted = true;
			if (app)
				app->flags[dir] |= SSH_DIR_NEWKEYS;
		}
	}
	if (encrypted && i < b.len) {
		char hex[DX_BUF_VALUE_MAX];
		char what[64];

		dx_buf_field(&b, "ssh.encrypted_packet", i, b.len - i, "%s",
			     dx_buf_hex(&b, i, b.len - i, hex, sizeof(hex)));
		/* after packets in clear, Wireshark's Info names only those */
		snprintf(what, sizeof(what), "Encrypted packet (len=%u)", b.len - i);
		if (!started)
			info_add(p, &started, server, what);
		dx_mark(p, DX_F_ENCRYPTED);
		p->protocol = "SSHv2";
		i = b.len;
	}
	dx_pop(p);
	dx_stream_done(p, &b, i, dx_ssh);
	return true;
}

/* Heuristic: a version line at the start of the payload. */
bool dx_ssh_heuristic(struct dx_packet *p, const struct dx_conv *c, uint32_t off,
		      uint32_t len)
{
	struct dx_buf b;

	dx_buf_frame(&b, p, off, len);
	if (!looks_like_banner(&b) || b.len < 9 ||
	    (memcmp(b.data + 4, "2.0-", 4) && memcmp(b.data + 4, "1.99-", 5)))
		return false;
	return dx_ssh(p, c, off, len);
}
