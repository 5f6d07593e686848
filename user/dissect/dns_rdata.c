// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DNS resource record data, by type: A, AAAA (RFC 3596), NS, CNAME, PTR, MX, TXT,
 * SOA (RFC 1035 3.3), SRV (RFC 2782), OPT options (RFC 6891), DS, DNSKEY, RRSIG
 * (RFC 4034), SVCB/HTTPS (RFC 9460), CAA (RFC 8659); others as bytes.
 */
#include <stdio.h>
#include <string.h>

#include "dns.h"

/* Up to 255 bytes as text, unprintable bytes shown as '.'. */
static void printable(struct dx_packet *p, uint32_t off, uint32_t len, char out[256])
{
	if (len > 255)
		len = 255;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t ch = dx_u8(p, off + i);

		out[i] = ch < 0x20 || ch > 0x7e ? '.' : (char)ch;
	}
	out[len] = '\0';
}

static void rdata_opt(struct dx_packet *p, uint32_t off, uint32_t end)
{
	for (int n = 0; n < DNS_MAX_RRS && off + 4 <= end && dx_has(p, off, 4); n++) {
		uint16_t code = dx_be16(p, off), len = dx_be16(p, off + 2);

		if (len > end - off - 4) {
			dx_malformed(p, off + 2, 2, "EDNS option length past the record");
			return;
		}
		dx_field(p, "dns.opt", off, 4u + len, "%s", "");
		dx_push(p);
		dx_field(p, "dns.opt.code", off, 2, "%u", code);
		dx_field(p, "dns.opt.len", off + 2, 2, "%u", len);
		dx_hex_field(p, "dns.opt.data", off + 4, len);	/* tshark: "" when empty */
		if (code == 10 && len >= 8) {
			dx_hex_field(p, "dns.opt.cookie.client", off + 4, 8);
			if (len > 8)
				dx_hex_field(p, "dns.opt.cookie.server", off + 12, len - 8u);
		} else if (code == 15 && len >= 2) {
			dx_field(p, "dns.opt.ext_error.info_code", off + 4, 2, "%u",
				 dx_be16(p, off + 4));
		}
		dx_pop(p);
		off += 4u + len;
	}
}

/* Known SvcParams (RFC 9460 7) by key; others as bytes. */
static void svc_param(struct dx_packet *p, uint16_t key, uint32_t off, uint32_t len)
{
	char a[64];

	switch (key) {
	case 0:
		for (uint32_t i = 0; i + 2 <= len; i += 2)
			dx_field(p, "dns.svcb.svcparam.mandatory.key", off + i, 2, "%u",
				 dx_be16(p, off + i));
		return;
	case 1:
		for (uint32_t i = 0; i < len;) {
			uint8_t l = dx_u8(p, off + i);
			char s[256];

			if (l > len - i - 1) {
				dx_malformed(p, off + i, 1, "ALPN length past the SvcParam");
				return;
			}
			dx_field(p, "dns.svcb.svcparam.alpn.length", off + i, 1, "%u", l);
			printable(p, off + i + 1, l, s);
			dx_field(p, "dns.svcb.svcparam.alpn", off + i + 1, l, "%s", s);
			i += 1u + l;
		}
		return;
	case 3:
		if (len == 2)
			dx_field(p, "dns.svcb.svcparam.port", off, 2, "%u", dx_be16(p, off));
		return;
	case 4:
		for (uint32_t i = 0; i + 4 <= len; i += 4) {
			dx_fmt_ipv4(a, sizeof(a), p, off + i);
			dx_field(p, "dns.svcb.svcparam.ipv4hint.ip", off + i, 4, "%s", a);
		}
		return;
	case 5:
		dx_hex_field(p, "dns.svcb.svcparam.echconfig", off, len);
		return;
	case 6:
		for (uint32_t i = 0; i + 16 <= len; i += 16) {
			dx_fmt_ipv6(a, sizeof(a), p, off + i);
			dx_field(p, "dns.svcb.svcparam.ipv6hint.ip", off + i, 16, "%s", a);
		}
		return;
	default:
		if (len)
			dx_hex_field(p, "dns.svcb.svcparam.value", off, len);
		return;
	}
}

/* RFC 4034 appendix B: the key tag of a DNSKEY RDATA. */
static uint16_t key_tag(struct dx_packet *p, uint32_t off, uint32_t len)
{
	uint32_t ac = 0;

	for (uint32_t i = 0; i < len; i++)
		ac += i & 1 ? dx_u8(p, off + i) : (uint32_t)dx_u8(p, off + i) << 8;
	ac += ac >> 16 & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

static void rdata_svcb(struct dx_packet *p, const struct dns_msg *m, uint32_t off,
		       uint32_t end, char *text, size_t size)
{
	uint32_t used;

	dx_field(p, "dns.svcb.svcpriority", off, 2, "%u", dx_be16(p, off));
	if (!dns_name_field(p, m, "dns.svcb.targetname", off + 2, text, size, &used))
		return;
	off += 2 + used;
	for (int n = 0; n < DNS_MAX_RRS && off + 4 <= end && dx_has(p, off, 4); n++) {
		uint16_t len = dx_be16(p, off + 2);

		if (len > end - off - 4) {
			dx_malformed(p, off + 2, 2, "SvcParam length past the record");
			return;
		}
		dx_field(p, "dns.svcb.svcparam", off, 4u + len, "%s", "");
		dx_push(p);
		dx_field(p, "dns.svcb.svcparam.key", off, 2, "%u", dx_be16(p, off));
		dx_field(p, "dns.svcb.svcparam.value.length", off + 2, 2, "%u", len);
		svc_param(p, dx_be16(p, off), off + 4, len);
		dx_pop(p);
		off += 4u + len;
	}
}

/* RDATA by type; info gets Wireshark's short form for the Info column. */
void dns_rdata(struct dx_packet *p, const struct dns_msg *m, uint16_t type, uint32_t off,
	       uint32_t len, char *info, size_t info_size)
{
	uint32_t end = off + len, used;
	char text[DNS_NAME_MAX * 4 + 8];
	uint16_t flags;

	info[0] = '\0';
	if (!dx_has(p, off, len)) {
		dx_mark(p, DX_F_TRUNCATED);
		return;
	}
	switch (type) {
	case 1:
		if (len != 4)
			goto bad_len;
		dx_fmt_ipv4(text, sizeof(text), p, off);
		dx_field(p, "dns.a", off, 4, "%s", text);
		snprintf(info, info_size, " %s", text);
		break;
	case 28:
		if (len != 16)
			goto bad_len;
		dx_fmt_ipv6(text, sizeof(text), p, off);
		dx_field(p, "dns.aaaa", off, 16, "%s", text);
		snprintf(info, info_size, " %s", text);
		break;
	case 2:
	case 5:
	case 12: {
		const char *f = type == 2 ? "dns.ns" : type == 5 ? "dns.cname" :
			"dns.ptr.domain_name";

		if (dns_name_field(p, m, f, off, text, sizeof(text), &used))
			snprintf(info, info_size, " %s", text);
		break;
	}
	case 15:
		if (len < 3)
			goto bad_len;
		dx_field(p, "dns.mx.preference", off, 2, "%u", dx_be16(p, off));
		if (dns_name_field(p, m, "dns.mx.mail_exchange", off + 2, text, sizeof(text), &used))
			snprintf(info, info_size, " %u %s", dx_be16(p, off), text);
		break;
	case 16:
	case 99:
		for (uint32_t o = off; o < end;) {
			uint8_t l = dx_u8(p, o);
			char s[256];

			if (l > end - o - 1) {
				dx_malformed(p, o, 1, "TXT string past the record");
				break;
			}
			dx_field(p, "dns.txt.length", o, 1, "%u", l);
			printable(p, o + 1, l, s);
			dx_field(p, "dns.txt", o + 1, l, "%s", s);
			o += 1u + l;
		}
		break;
	case 6: {
		static const char *const nums[] = { "dns.soa.serial_number",
			"dns.soa.refresh_interval", "dns.soa.retry_interval",
			"dns.soa.expire_limit", "dns.soa.minimum_ttl" };
		char mname[sizeof(text)];
		uint32_t o = off;

		if (!dns_name_field(p, m, "dns.soa.mname", o, mname, sizeof(mname), &used))
			break;
		snprintf(info, info_size, " %s", mname);
		o += used;
		if (!dns_name_field(p, m, "dns.soa.rname", o, text, sizeof(text), &used))
			break;
		o += used;
		if (o + 20 > end)
			goto bad_len;
		for (int i = 0; i < 5; i++)
			dx_field(p, nums[i], o + 4u * i, 4, "%u", dx_be32(p, o + 4u * i));
		break;
	}
	case 33:
		if (len < 7)
			goto bad_len;
		dx_field(p, "dns.srv.priority", off, 2, "%u", dx_be16(p, off));
		dx_field(p, "dns.srv.weight", off + 2, 2, "%u", dx_be16(p, off + 2));
		dx_field(p, "dns.srv.port", off + 4, 2, "%u", dx_be16(p, off + 4));
		if (dns_name_field(p, m, "dns.srv.target", off + 6, text, sizeof(text), &used))
			snprintf(info, info_size, " %u %u %u %s", dx_be16(p, off),
				 dx_be16(p, off + 2), dx_be16(p, off + 4), text);
		break;
	case 41:
		rdata_opt(p, off, end);
		break;
	case 43:
		if (len < 4)
			goto bad_len;
		dx_field(p, "dns.ds.key_id", off, 2, "0x%04x", dx_be16(p, off));
		dx_field(p, "dns.ds.algorithm", off + 2, 1, "%u", dx_u8(p, off + 2));
		dx_field(p, "dns.ds.digest_type", off + 3, 1, "%u", dx_u8(p, off + 3));
		dx_hex_field(p, "dns.ds.digest", off + 4, len - 4);
		break;
	case 48:
		if (len < 4)
			goto bad_len;
		flags = dx_be16(p, off);
		dx_field(p, "dns.dnskey.flags", off, 2, "0x%04x", flags);
		dx_push(p);
		dx_field(p, "dns.dnskey.flags.zone_key", off, 2, "%u", flags >> 8 & 1);
		dx_field(p, "dns.dnskey.flags.key_revoked", off, 2, "%u", flags >> 7 & 1);
		dx_field(p, "dns.dnskey.flags.secure_entry_point", off, 2, "%u", flags & 1);
		dx_field(p, "dns.dnskey.flags.reserved", off, 2, "0x%04x", flags & 0xfe7e);
		dx_pop(p);
		dx_field(p, "dns.dnskey.protocol", off + 2, 1, "%u", dx_u8(p, off + 2));
		dx_field(p, "dns.dnskey.algorithm", off + 3, 1, "%u", dx_u8(p, off + 3));
		dx_field(p, "dns.dnskey.key_id", off + 4, 0, "%u", key_tag(p, off, len));
		dx_hex_field(p, "dns.dnskey.public_key", off + 4, len - 4);
		break;
	case 46:
		if (len < 18)
			goto bad_len;
		dx_field(p, "dns.rrsig.type_covered", off, 2, "%u", dx_be16(p, off));
		dx_field(p, "dns.rrsig.algorithm", off + 2, 1, "%u", dx_u8(p, off + 2));
		dx_field(p, "dns.rrsig.labels", off + 3, 1, "%u", dx_u8(p, off + 3));
		dx_field(p, "dns.rrsig.original_ttl", off + 4, 4, "%u", dx_be32(p, off + 4));
		dx_fmt_time(text, sizeof(text), dx_be32(p, off + 8), 0);
		dx_field(p, "dns.rrsig.signature_expiration", off + 8, 4, "%s", text);
		dx_fmt_time(text, sizeof(text), dx_be32(p, off + 12), 0);
		dx_field(p, "dns.rrsig.signature_inception", off + 12, 4, "%s", text);
		dx_field(p, "dns.rrsig.key_tag", off + 16, 2, "%u", dx_be16(p, off + 16));
		if (!dns_name_field(p, m, "dns.rrsig.signers_name", off + 18, text, sizeof(text),
				&used))
			break;
		if (18 + used < len)
			dx_hex_field(p, "dns.rrsig.signature", off + 18 + used, len - 18 - used);
		break;
	case 64:
	case 65:
		if (len < 3)
			goto bad_len;
		rdata_svcb(p, m, off, end, text, sizeof(text));
		break;
	case 257: {
		static const char *const tags[][2] = {
			{ "issue", "dns.caa.issue" }, { "issuewild", "dns.caa.issuewild" },
			{ "iodef", "dns.caa.iodef" },
		};
		const char *field = "dns.caa.unknown";
		uint8_t tl = dx_u8(p, off + 1);
		char tag[256], value[256];

		if (len < 2 || tl > len - 2)
			goto bad_len;
		dx_field(p, "dns.caa.flags", off, 1, "0x%02x", dx_u8(p, off));
		dx_push(p);
		dx_field(p, "dns.caa.flags.issuer_critical", off, 1, "%u", dx_u8(p, off) >> 7);
		dx_pop(p);
		printable(p, off + 2, tl, tag);
		printable(p, off + 2 + tl, len - 2 - tl, value);
		for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			if (!strcmp(tag, tags[i][0]))
				field = tags[i][1];
		/* tshark names the property by its tag and gives it the value */
		dx_field(p, field, off + 1, len - 1, "%s", value);
		dx_push(p);
		dx_field(p, "dns.caa.tag_length", off + 1, 1, "%u", tl);
		dx_field(p, "dns.caa.tag", off + 2, tl, "%s", tag);
		dx_field(p, "dns.caa.value", off + 2 + tl, len - 2 - tl, "%s", value);
		dx_pop(p);
		break;
	}
	default:
		if (len)
			dx_hex_field(p, "dns.data", off, len);
		break;
	}
	return;
bad_len:
	dx_malformed(p, off, len, "DNS record data length wrong for its type");
}
