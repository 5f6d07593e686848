// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * IPFIX export with libfixbuf. Two templates (IPv4, IPv6); the records are C
 * structs laid out largest field first so that the internal template needs
 * no padding but the tail. Counters are deltas: each flow_stat remembers what
 * was already exported per side (exported_*), so a long flow is reported in
 * active-timeout slices whose sum is the flow.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <fixbuf/public.h>

#include "capture/engine.h"
#include "ipfix.h"
#include "util/log.h"

#define TID_V4 0x4701
#define TID_V6 0x4702

struct ipfix_rec4 {
	uint64_t start_ms, end_ms, octets, packets;
	uint32_t src, dst;	/* host order: fixbuf encodes integers */
	uint32_t ingress;
	uint16_t sport, dport;
	uint8_t proto, direction;
	uint8_t pad[6];
};

struct ipfix_rec6 {
	uint64_t start_ms, end_ms, octets, packets;
	uint8_t src[16], dst[16];
	uint32_t ingress;
	uint16_t sport, dport;
	uint8_t proto, direction;
	uint8_t pad[2];
};

#define COMMON_HEAD                                                             \
	{ "flowStartMilliseconds", 8, 0 }, { "flowEndMilliseconds", 8, 0 },    \
	{ "octetDeltaCount", 8, 0 }, { "packetDeltaCount", 8, 0 }
#define COMMON_TAIL                                                             \
	{ "ingressInterface", 4, 0 }, { "sourceTransportPort", 2, 0 },          \
	{ "destinationTransportPort", 2, 0 }, { "protocolIdentifier", 1, 0 },   \
	{ "flowDirection", 1, 0 }

static fbInfoElementSpec_t spec_v4[] = {
	COMMON_HEAD,
	{ "sourceIPv4Address", 4, 0 }, { "destinationIPv4Address", 4, 0 },
	COMMON_TAIL,
	{ "paddingOctets", 6, 1 },	/* flag 1: internal template only */
	FB_IESPEC_NULL
};

static fbInfoElementSpec_t spec_v6[] = {
	COMMON_HEAD,
	{ "sourceIPv6Address", 16, 0 }, { "destinationIPv6Address", 16, 0 },
	COMMON_TAIL,
	{ "paddingOctets", 2, 1 },
	FB_IESPEC_NULL
};

struct ipfix_exporter {
	fbInfoModel_t *model;
	fBuf_t *buf;
	uint64_t active_timeout_ns, refresh_ns, last_templates_ns;
	uint64_t records;
	int pending;		/* records appended since the last emit */
	char dest[128];
};

int ipfix_parse_dest(const char *dest, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon = strrchr(dest, ':');
	size_t n;

	if (!colon || !colon[1] || strlen(colon + 1) >= portlen ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || atoi(colon + 1) < 1 ||
	    atoi(colon + 1) > 65535)
		return -EINVAL;
	n = (size_t)(colon - dest);
	if (n >= 2 && dest[0] == '[' && dest[n - 1] == ']') {
		dest++;
		n -= 2;
	}
	if (!n || n >= hostlen)
		return -EINVAL;
	memcpy(host, dest, n);
	host[n] = '\0';
	strcpy(port, colon + 1);
	return 0;
}

static int add_template(fbSession_t *s, fbInfoModel_t *m, fbInfoElementSpec_t *spec,
			uint16_t tid, GError **err)
{
	fbTemplate_t *internal = fbTemplateAlloc(m), *external = fbTemplateAlloc(m);

	/* flags: 0xffffffff takes every element (padding too); 0 only the exported ones */
	if (!fbTemplateAppendSpecArray(internal, spec, UINT32_MAX, err) ||
	    !fbSessionAddTemplate(s, TRUE, tid, internal, err))
		return -1;
	if (!fbTemplateAppendSpecArray(external, spec, 0, err) ||
	    !fbSessionAddTemplate(s, FALSE, tid, external, err))
		return -1;
	return 0;
}

/* libfixbuf reports through GLib's log: one plain line each, as everything else
 * (the journal reads stderr lines), and the same warning once in a row only. */
static void glib_log_line(const gchar *domain, GLogLevelFlags level, const gchar *msg,
			  gpointer user)
{
	static char last[256];

	(void)domain;
	(void)level;
	(void)user;
	if (!strncmp(last, msg, sizeof(last) - 1))
		return;
	snprintf(last, sizeof(last), "%s", msg);
	pr_warn("ipfix: %s\n", msg);
}

int ipfix_open(struct ipfix_exporter **out, const char *dest, uint64_t active_timeout_ns,
	       uint64_t template_refresh_ns)
{
	char host[100], port[8];
	struct ipfix_exporter *x;
	fbConnSpec_t conn = { .transport = FB_UDP };
	fbSession_t *session;
	fbExporter_t *exporter;
	GError *err = NULL;

	*out = NULL;
	g_log_set_default_handler(glib_log_line, NULL);
	if (ipfix_parse_dest(dest, host, sizeof(host), port, sizeof(port))) {
		pr_warn("bad --ipfix '%s': give HOST:PORT, e.g. 127.0.0.1:4739\n", dest);
		return -EINVAL;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	snprintf(x->dest, sizeof(x->dest), "%s", dest);
	x->active_timeout_ns = active_timeout_ns;
	x->refresh_ns = template_refresh_ns;
	x->model = fbInfoModelAlloc();
	session = fbSessionAlloc(x->model);
	conn.host = host;
	conn.svc = port;
	if (add_template(session, x->model, spec_v4, TID_V4, &err) ||
	    add_template(session, x->model, spec_v6, TID_V6, &err))
		goto fail_session;
	exporter = fbExporterAllocNet(&conn);
	if (!exporter) {
		pr_warn("ipfix: cannot create an exporter to %s\n", dest);
		goto fail_session;
	}
	x->buf = fBufAllocForExport(session, exporter);
	if (!fbSessionExportTemplates(session, &err) || !fBufEmit(x->buf, &err)) {
		pr_warn("ipfix: cannot send the templates to %s: %s\n", dest,
			err ? err->message : "unknown error");
		g_clear_error(&err);
		ipfix_close(x);
		return -EIO;
	}
	x->last_templates_ns = boot_now_ns();
	*out = x;
	return 0;
fail_session:
	if (err)
		pr_warn("ipfix: %s\n", err->message);
	g_clear_error(&err);
	fbSessionFree(session);
	fbInfoModelFree(x->model);
	free(x);
	return -EINVAL;
}

void ipfix_close(struct ipfix_exporter *x)
{
	GError *err = NULL;

	if (!x)
		return;
	if (x->pending && !fBufEmit(x->buf, &err))
		g_clear_error(&err);
	fBufFree(x->buf);
	fbInfoModelFree(x->model);
	free(x);
}

uint64_t ipfix_records(const struct ipfix_exporter *x)
{
	return x ? x->records : 0;
}

static uint64_t real_ms(uint64_t boot_ns)
{
	return engine_boot_to_real_ns(boot_ns) / 1000000u;
}

/* Direction of side's packets at the observation point: 0 ingress, 1 egress. */
static uint8_t side_direction(const struct flow_stat *f, int side)
{
	uint8_t first = f->val.first_dir == GT_DIR_OUT;

	return side == f->val.first_side ? first : !first;
}

/*
 * ICMP as collectors read it (NetFlow's habit, which nfdump follows): source
 * port 0, destination port type << 8 | code. The flow key keeps an echo
 * session's identifier as both ports: the initiator sent the requests.
 */
static void icmp_ports(const struct flow_stat *f, int side, uint16_t *sport, uint16_t *dport)
{
	bool v6 = f->key.family == GT_AF_INET6;

	*sport = 0;
	if (f->key.port_a == f->key.port_b && f->key.port_a) {
		bool request = side == flow_stat_initiator(f);

		*dport = v6 ? (request ? 128 : 129) << 8 : (request ? 8 : 0) << 8;
	} else {
		*dport = ntohs(side ? f->key.port_b : f->key.port_a);
	}
}

static int append(struct ipfix_exporter *x, const struct flow_stat *f, int side,
		  uint64_t packets, uint64_t octets, uint64_t start_ns, uint64_t end_ns)
{
	const uint8_t *src = side ? f->key.addr_b : f->key.addr_a;
	const uint8_t *dst = side ? f->key.addr_a : f->key.addr_b;
	uint16_t sport = ntohs(side ? f->key.port_b : f->key.port_a);
	uint16_t dport = ntohs(side ? f->key.port_a : f->key.port_b);
	GError *err = NULL;
	gboolean ok;

	if (f->key.proto == IPPROTO_ICMP || f->key.proto == IPPROTO_ICMPV6)
		icmp_ports(f, side, &sport, &dport);

	if (f->key.family == GT_AF_INET6) {
		struct ipfix_rec6 r = {
			.start_ms = real_ms(start_ns), .end_ms = real_ms(end_ns),
			.octets = octets, .packets = packets, .ingress = f->key.ifindex,
			.sport = sport, .dport = dport, .proto = f->key.proto,
			.direction = side_direction(f, side),
		};

		memcpy(r.src, src, 16);
		memcpy(r.dst, dst, 16);
		ok = fBufSetInternalTemplate(x->buf, TID_V6, &err) &&
		     fBufSetExportTemplate(x->buf, TID_V6, &err) &&
		     fBufAppend(x->buf, (uint8_t *)&r, sizeof(r), &err);
	} else {
		struct ipfix_rec4 r = {
			.start_ms = real_ms(start_ns), .end_ms = real_ms(end_ns),
			.octets = octets, .packets = packets, .ingress = f->key.ifindex,
			.sport = sport, .dport = dport, .proto = f->key.proto,
			.direction = side_direction(f, side),
		};
		uint32_t a, b;

		memcpy(&a, src, 4);
		memcpy(&b, dst, 4);
		r.src = ntohl(a);
		r.dst = ntohl(b);
		ok = fBufSetInternalTemplate(x->buf, TID_V4, &err) &&
		     fBufSetExportTemplate(x->buf, TID_V4, &err) &&
		     fBufAppend(x->buf, (uint8_t *)&r, sizeof(r), &err);
	}
	if (!ok) {
		pr_warn("ipfix: export to %s failed: %s\n", x->dest, err ? err->message : "?");
		g_clear_error(&err);
		return -EIO;
	}
	x->records++;
	x->pending++;
	return 0;
}

int ipfix_export_flow(struct ipfix_exporter *x, struct flow_stat *f, uint64_t end_boot_ns)
{
	uint64_t start = f->export_start_ns > f->val.first_seen_ns ? f->export_start_ns :
								      f->val.first_seen_ns;
	int err = 0;

	(void)end_boot_ns;
	for (int side = 0; side < 2; side++) {
		uint64_t p = f->val.packets[side] - f->exported_packets[side];
		uint64_t b = f->val.bytes[side] - f->exported_bytes[side];

		if (!p)
			continue;
		if (append(x, f, side, p, b, start, f->val.last_seen_ns))
			err = -EIO;
		f->exported_packets[side] = f->val.packets[side];
		f->exported_bytes[side] = f->val.bytes[side];
	}
	f->export_start_ns = f->val.last_seen_ns + 1;
	return err;
}

void ipfix_on_flow_end(void *user, const struct flow_stat *f, enum flow_end_reason why)
{
	struct flow_stat copy = *f;

	(void)why;
	ipfix_export_flow(user, &copy, copy.val.last_seen_ns);
}

int ipfix_tick(struct ipfix_exporter *x, struct flow_table *t, uint64_t now_boot_ns)
{
	GError *err = NULL;
	fbSession_t *session = fBufGetSession(x->buf);

	/* templates first: a collector that just started can read this very message */
	if (x->refresh_ns && now_boot_ns - x->last_templates_ns >= x->refresh_ns) {
		if (!fbSessionExportTemplates(session, &err))
			goto fail;
		x->last_templates_ns = now_boot_ns;
		x->pending++;
	}
	for (size_t i = 0; t && i < t->n; i++) {
		struct flow_stat *f = &t->v[i];

		if (x->active_timeout_ns && now_boot_ns - f->export_start_ns >= x->active_timeout_ns &&
		    flow_stat_packets(f) > f->exported_packets[0] + f->exported_packets[1])
			ipfix_export_flow(x, f, now_boot_ns);
	}
	if (x->pending) {
		if (!fBufEmit(x->buf, &err))
			goto fail;
		x->pending = 0;
	}
	return 0;
fail:
	pr_warn("ipfix: sending to %s failed: %s\n", x->dest, err ? err->message : "?");
	g_clear_error(&err);
	return -EIO;
}
