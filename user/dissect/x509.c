// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * X.509 issuer and subject names from DER (RFC 5280 section 4.1, X.690 DER), for
 * the TLS Certificate message. Every element's length is checked against its
 * parent's end before it is entered, and the walk has a fixed depth.
 */
#include <stdio.h>
#include <string.h>

#include "x509.h"

#define MAX_ATTRS 16

struct der {
	uint8_t tag;
	uint32_t at;		/* index of the content */
	uint32_t len;		/* content length */
	uint32_t end;		/* index past the element */
};

/* The element at i, which must end by end; false when its header is bad. */
static bool der_read(const struct dx_buf *b, uint32_t i, uint32_t end, struct der *d)
{
	uint32_t l, h = 2;

	if (i >= end || end - i < 2 || !dx_buf_has(b, i, 2))
		return false;
	d->tag = dx_buf_u8(b, i);
	l = dx_buf_u8(b, i + 1);
	if (l & 0x80) {
		uint32_t k = l & 0x7f;

		if (k == 0 || k > 3 || end - i < 2 + k || !dx_buf_has(b, i + 2, k))
			return false;
		l = 0;
		for (uint32_t j = 0; j < k; j++)
			l = l << 8 | dx_buf_u8(b, i + 2 + j);
		h += k;
	}
	if (l > end - i - h)
		return false;
	d->at = i + h;
	d->len = l;
	d->end = i + h + l;
	return true;
}

struct attr {
	const char *field;	/* Wireshark's field name for the value */
	const char *label;	/* "CN", "O", ... */
	uint32_t at, len;
};

struct oid_name {
	uint8_t len;
	uint8_t oid[9];
	const char *label;
	const char *field;	/* NULL: by the string type */
};

static const struct oid_name oid_names[] = {
	{ 3, { 0x55, 0x04, 0x03 }, "CN", NULL },
	{ 3, { 0x55, 0x04, 0x06 }, "C", "x509sat.CountryName" },
	{ 3, { 0x55, 0x04, 0x07 }, "L", NULL },
	{ 3, { 0x55, 0x04, 0x08 }, "ST", NULL },
	{ 3, { 0x55, 0x04, 0x0a }, "O", NULL },
	{ 3, { 0x55, 0x04, 0x0b }, "OU", NULL },
	{ 9, { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 }, "emailAddress",
	  "pkcs9.emailAddress" },
};

static const char *string_field(uint8_t tag)
{
	switch (tag) {
	case 0x0c: return "x509sat.uTF8String";
	case 0x13: return "x509sat.printableString";
	case 0x14: return "x509sat.teletexString";
	case 0x16: return "x509sat.IA5String";
	case 0x1c: return "x509sat.universalString";
	case 0x1e: return "x509sat.bmpString";
	default: return NULL;
	}
}

/* The attributes of a Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
static uint32_t name_attrs(const struct dx_buf *b, const struct der *name, struct attr *a,
			   uint32_t max)
{
	uint32_t n = 0;
	struct der set, atv, oid, val;

	for (uint32_t i = name->at; i < name->end && n < max; i = set.end) {
		if (!der_read(b, i, name->end, &set) || set.tag != 0x31)
			break;
		for (uint32_t j = set.at; j < set.end && n < max; j = atv.end) {
			const struct oid_name *on = NULL;
			const uint8_t *o;

			if (!der_read(b, j, set.end, &atv) || atv.tag != 0x30)
				return n;
			if (!der_read(b, atv.at, atv.end, &oid) || oid.tag != 0x06 ||
			    !der_read(b, oid.end, atv.end, &val))
				continue;
			o = dx_buf_ptr(b, oid.at, oid.len);
			for (size_t k = 0; o && k < sizeof(oid_names) / sizeof(oid_names[0]); k++)
				if (oid_names[k].len == oid.len &&
				    memcmp(oid_names[k].oid, o, oid.len) == 0)
					on = &oid_names[k];
			a[n].field = on && on->field ? on->field : string_field(val.tag);
			a[n].label = on ? on->label : "?";
			a[n].at = val.at;
			a[n].len = val.len;
			if (a[n].field)
				n++;
		}
	}
	return n;
}

static void show_name(const struct dx_buf *b, const char *what, const struct der *name,
		      char *cn, size_t cn_size)
{
	struct attr a[MAX_ATTRS];
	uint32_t n = name_attrs(b, name, a, MAX_ATTRS);
	char line[512], v[256];
	size_t o;

	o = (size_t)snprintf(line, sizeof(line), "%s: ", what);
	for (uint32_t k = 0; k < n && o < sizeof(line); k++) {
		dx_buf_str(b, a[k].at, a[k].len, v, sizeof(v));
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s=%s", k ? ", " : "",
				      a[k].label, v);
		if (cn && strcmp(a[k].label, "CN") == 0)
			snprintf(cn, cn_size, "%s", v);
	}
	dx_buf_text(b, name->at, name->len, "%s", line);
	dx_push(b->p);
	for (uint32_t k = 0; k < n; k++)
		dx_buf_field(b, a[k].field, a[k].at, a[k].len, "%s",
			     dx_buf_str(b, a[k].at, a[k].len, v, sizeof(v)));
	dx_pop(b->p);
}

bool dx_x509(const struct dx_buf *b, uint32_t i, uint32_t n, char *cn, size_t cn_size)
{
	struct der cert, tbs, e;
	uint32_t at;

	if (cn_size)
		cn[0] = '\0';
	if (n > UINT32_MAX - i)
		return false;
	if (!der_read(b, i, i + n, &cert) || cert.tag != 0x30 ||
	    !der_read(b, cert.at, cert.end, &tbs) || tbs.tag != 0x30)
		return false;
	at = tbs.at;
	/* [0] EXPLICIT version, absent for v1 */
	if (!der_read(b, at, tbs.end, &e))
		return false;
	if (e.tag == 0xa0 && !der_read(b, (at = e.end), tbs.end, &e))
		return false;
	if (e.tag != 0x02)	/* serialNumber */
		return false;
	if (!der_read(b, e.end, tbs.end, &e) || e.tag != 0x30)	/* signature */
		return false;
	if (!der_read(b, e.end, tbs.end, &e) || e.tag != 0x30)	/* issuer */
		return false;
	show_name(b, "Issuer", &e, NULL, 0);
	if (!der_read(b, e.end, tbs.end, &e) || e.tag != 0x30)	/* validity */
		return false;
	if (!der_read(b, e.end, tbs.end, &e) || e.tag != 0x30)	/* subject */
		return false;
	show_name(b, "Subject", &e, cn, cn_size);
	return true;
}
