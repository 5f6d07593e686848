// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * From a pcap-filter expression to kernel rules (struct gt_rule): a small
 * recursive-descent parser for the part of the language the rules can say
 * (host, net, port, portrange with src/dst, tcp/udp/icmp/icmp6, ip/ip6,
 * inbound/outbound, and/or (equal precedence, left to right, as libpcap),
 * parentheses, tcpdump's inherited qualifiers as in
 * "port 80 or 443"), building an OR of ANDs. Anything else gives up: no rules,
 * userspace filters everything. The expression has already been checked by
 * libpcap, so giving up is the only answer to what we do not know.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

#define MAX_TOKENS 256
#define MAX_DEPTH 16

/* An OR of rules; fail: the expression cannot be said with rules at all. */
struct dnf {
	struct gt_rule r[GT_MAX_RULES];
	uint32_t n;
	bool fail;
};

/* The qualifiers of the last primitive, inherited by a bare identifier. */
struct quals {
	int proto_family;	/* GT_AF_* from ip/ip6/icmp/icmp6, 0 none */
	int l4;			/* IPPROTO_* from tcp/udp/icmp/icmp6, 0 none */
	int side;		/* GT_SEL_*, 0 = none given (either) */
	enum { Q_NONE, Q_HOST, Q_NET, Q_PORT, Q_PORTRANGE } type;
};

struct parser {
	char tok[MAX_TOKENS][64];
	int n, pos;
	int depth;
	bool fail;
	struct quals last;
	uint32_t max;
};

static int tokenize(struct parser *ps, const char *s)
{
	while (*s) {
		int len = 0;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (ps->n >= MAX_TOKENS)
			return -1;
		if (*s == '(' || *s == ')' || *s == '!')
			len = 1;
		else if ((s[0] == '&' && s[1] == '&') || (s[0] == '|' && s[1] == '|'))
			len = 2;
		else
			while (s[len] && !isspace((unsigned char)s[len]) && !strchr("()!&|", s[len]))
				len++;
		if (len == 0 || len >= (int)sizeof(ps->tok[0]))
			return -1;
		memcpy(ps->tok[ps->n], s, len);
		ps->tok[ps->n][len] = '\0';
		ps->n++;
		s += len;
	}
	return 0;
}

static const char *peek(struct parser *ps)
{
	return ps->pos < ps->n ? ps->tok[ps->pos] : "";
}

static bool take(struct parser *ps, const char *word)
{
	if (ps->pos < ps->n && !strcmp(ps->tok[ps->pos], word)) {
		ps->pos++;
		return true;
	}
	return false;
}

/* ---- merging two rules under AND ---- */

enum merge_result { MERGE_OK, MERGE_EMPTY, MERGE_FAIL };

static int n_addrs(const struct gt_rule *r)
{
	return !!(r->match & GT_M_ADDR0) + !!(r->match & GT_M_ADDR1);
}

static enum merge_result merge(struct gt_rule *out, const struct gt_rule *a,
			       const struct gt_rule *b)
{
	*out = *a;
	if (b->match & GT_M_DIR) {
		if ((a->match & GT_M_DIR) && a->dir != b->dir)
			return MERGE_EMPTY;
		out->match |= GT_M_DIR;
		out->dir = b->dir;
	}
	if (b->match & GT_M_PROTO) {
		if ((a->match & GT_M_PROTO) && a->proto != b->proto)
			return MERGE_EMPTY;
		out->match |= GT_M_PROTO;
		out->proto = b->proto;
	}
	if (b->match & GT_M_FAMILY) {
		if ((a->match & GT_M_FAMILY) && a->family != b->family)
			return MERGE_EMPTY;
		out->match |= GT_M_FAMILY;
		out->family = b->family;
	}
	if (b->match & GT_M_PORT) {
		/* one port condition a rule: "src port 1 and dst port 2" cannot be said */
		if ((a->match & GT_M_PORT) &&
		    (a->port_side != b->port_side || a->port_lo != b->port_lo ||
		     a->port_hi != b->port_hi))
			return MERGE_FAIL;
		out->match |= GT_M_PORT;
		out->port_side = b->port_side;
		out->port_lo = b->port_lo;
		out->port_hi = b->port_hi;
	}
	/* a rule for non-IP frames (see primitive_id) cannot ask for IP things */
	if ((out->match & GT_M_FAMILY) && out->family == GT_AF_NONE &&
	    (out->match | b->match) & (GT_M_PROTO | GT_M_PORT | GT_M_ADDR0 | GT_M_ADDR1))
		return MERGE_EMPTY;
	for (int i = 0; i < n_addrs(b); i++) {
		const struct gt_addr_match *m = &b->addr[i];
		int have = n_addrs(out);
		bool dup = false;

		for (int j = 0; j < have; j++)
			dup |= !memcmp(&out->addr[j], m, sizeof(*m));
		if (dup)
			continue;
		if (have == 2)
			return MERGE_FAIL;
		out->addr[have] = *m;
		out->match |= have ? GT_M_ADDR1 : GT_M_ADDR0;
	}
	return MERGE_OK;
}

/* Append r unless the same rule is there already ("host a or b": one non-IP rule). */
static bool dnf_add(struct parser *ps, struct dnf *d, const struct gt_rule *r)
{
	for (uint32_t i = 0; i < d->n; i++)
		if (!memcmp(&d->r[i], r, sizeof(*r)))
			return true;
	if (d->n >= ps->max)
		return false;
	d->r[d->n++] = *r;
	return true;
}

static void dnf_and(struct parser *ps, struct dnf *acc, const struct dnf *rhs)
{
	struct dnf *res = calloc(1, sizeof(*res));

	if (!res || acc->fail || rhs->fail) {
		acc->fail = true;
		free(res);
		return;
	}
	for (uint32_t i = 0; i < acc->n && !res->fail; i++) {
		for (uint32_t j = 0; j < rhs->n; j++) {
			struct gt_rule m;
			enum merge_result mr = merge(&m, &acc->r[i], &rhs->r[j]);

			if (mr == MERGE_EMPTY)
				continue;
			if (mr == MERGE_FAIL || !dnf_add(ps, res, &m)) {
				res->fail = true;
				break;
			}
		}
	}
	*acc = *res;
	free(res);
}

static void dnf_or(struct parser *ps, struct dnf *acc, const struct dnf *rhs)
{
	if (acc->fail || rhs->fail) {
		acc->fail = true;
		return;
	}
	for (uint32_t i = 0; i < rhs->n; i++) {
		if (!dnf_add(ps, acc, &rhs->r[i])) {
			acc->fail = true;
			return;
		}
	}
}

/* ---- primitives ---- */

static bool parse_u16(const char *s, uint16_t *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

static void set_l4(struct gt_rule *r, const struct quals *q)
{
	if (q->proto_family) {
		r->match |= GT_M_FAMILY;
		r->family = (uint8_t)q->proto_family;
	}
	if (q->l4) {
		r->match |= GT_M_PROTO;
		r->proto = (uint8_t)q->l4;
	}
}

/* A service name's port for one protocol ("domain", "tcp"), or -1. */
static int service_port(const char *name, const char *proto)
{
	struct servent *se = getservbyname(name, proto);

	return se ? ntohs((uint16_t)se->s_port) : -1;
}

/*
 * "port NAME", as libpcap resolves it: the TCP and UDP ports of the name; a
 * protocol without the name is left out. Returns false when neither has it.
 */
static bool port_by_name(const struct quals *q, const char *name, uint8_t side,
			 struct dnf *out)
{
	static const struct {
		int proto;
		const char *name;
	} protos[] = { { IPPROTO_TCP, "tcp" }, { IPPROTO_UDP, "udp" } };
	int ports[2];

	out->n = 0;
	for (int i = 0; i < 2; i++) {
		ports[i] = q->l4 && q->l4 != protos[i].proto ? -1 :
							   service_port(name, protos[i].name);
		if (ports[i] < 0)
			continue;
		struct gt_rule *r = &out->r[out->n++];

		*r = (struct gt_rule){ .match = GT_M_PORT | GT_M_PROTO, .proto = (uint8_t)protos[i].proto,
				       .port_side = side, .port_lo = (uint16_t)ports[i],
				       .port_hi = (uint16_t)ports[i] };
		set_l4(r, q);
	}
	/* the same port for both: one rule for any protocol, as for a number */
	if (out->n == 2 && ports[0] == ports[1]) {
		out->n = 1;
		out->r[0].match &= ~(uint32_t)GT_M_PROTO;
		set_l4(&out->r[0], q);
	}
	return out->n > 0;
}

/* "10.0.0.1", "fd00::1", and for nets "10.1/16", "10.1" (as libpcap: /16), "fd00::/64" */
static bool parse_addr(const char *s, bool is_net, struct gt_addr_match *m)
{
	char buf[64], *slash;
	long plen = -1;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		if (!is_net)
			return false;
		*slash = '\0';
		plen = strtol(slash + 1, &end, 10);
		if (*end || slash[1] == '\0' || plen < 0)
			return false;
	}
	memset(m, 0, sizeof(*m));
	if (strchr(buf, ':')) {
		if (inet_pton(AF_INET6, buf, m->addr) != 1 || plen > 128)
			return false;
		m->family = GT_AF_INET6;
		m->prefix_len = plen < 0 ? 128 : (uint8_t)plen;
		return true;
	}
	/* IPv4: dotted, possibly partial for nets ("10.1" is 10.1.0.0/16) */
	int parts = 0;
	char *p = buf;

	while (*p) {
		char *end;
		unsigned long v;

		if (parts == 4 || !isdigit((unsigned char)*p))
			return false;
		v = strtoul(p, &end, 10);
		if (v > 255 || (*end && *end != '.'))
			return false;
		m->addr[parts++] = (uint8_t)v;
		p = *end ? end + 1 : end;
		if (*end == '.' && !*p)
			return false;
	}
	if (parts == 0 || (parts < 4 && (!is_net || plen >= 0)) || plen > 32)
		return false;
	m->family = GT_AF_INET;
	m->prefix_len = plen < 0 ? (uint8_t)(parts * 8) : (uint8_t)plen;
	return true;
}

/* The identifier after the qualifiers q, as one rule. */
static void primitive_id(struct parser *ps, const struct quals *q, const char *id,
			 struct dnf *out)
{
	struct gt_rule *r = &out->r[0];
	uint8_t side = q->side ? (uint8_t)q->side : GT_SEL_EITHER;

	memset(r, 0, sizeof(*r));
	out->n = 1;
	set_l4(r, q);
	switch (q->type) {
	case Q_NONE:
	case Q_HOST:
	case Q_NET:
		if (!parse_addr(id, q->type == Q_NET, &r->addr[0]))
			goto fail;
		r->addr[0].side = side;
		r->match |= GT_M_ADDR0;
		/*
		 * libpcap's host and net without ip/ip6 also match ARP and RARP
		 * addresses, which rules cannot look at: let all non-IP frames
		 * through to the userspace filter.
		 */
		if (!q->proto_family && !q->l4) {
			out->r[1] = (struct gt_rule){ .match = GT_M_FAMILY, .family = GT_AF_NONE };
			out->n = 2;
		}
		return;
	case Q_PORT:
		if (!parse_u16(id, &r->port_lo)) {
			if (!port_by_name(q, id, side, out))
				goto fail;
			return;
		}
		r->port_hi = r->port_lo;
		break;
	case Q_PORTRANGE: {
		char lo[16], hi[16];
		const char *dash = strchr(id, '-');

		if (!dash || dash - id >= (long)sizeof(lo) || strlen(dash + 1) >= sizeof(hi))
			goto fail;
		snprintf(lo, sizeof(lo), "%.*s", (int)(dash - id), id);
		snprintf(hi, sizeof(hi), "%s", dash + 1);
		if (!parse_u16(lo, &r->port_lo) || !parse_u16(hi, &r->port_hi))
			goto fail;
		if (r->port_lo > r->port_hi) {
			uint16_t t = r->port_lo;

			r->port_lo = r->port_hi;
			r->port_hi = t;
		}
		break;
	}
	}
	/* ports: libpcap means tcp, udp or sctp; the kernel checks any L4 with ports */
	r->match |= GT_M_PORT;
	r->port_side = side;
	return;
fail:
	out->fail = true;
}

static bool is_keyword(const char *t)
{
	static const char *const words[] = {
		"and", "or", "not", "&&", "||", "!", "(", ")", "",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(t, words[i]))
			return true;
	return false;
}

static void parse_expr(struct parser *ps, struct dnf *out);

static void parse_primitive(struct parser *ps, struct dnf *out)
{
	struct quals q = { 0 };
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (take(ps, "(")) {
		if (++ps->depth > MAX_DEPTH) {
			out->fail = true;
			return;
		}
		parse_expr(ps, out);
		ps->depth--;
		if (!take(ps, ")"))
			out->fail = true;
		return;
	}
	if (take(ps, "inbound") || take(ps, "outbound")) {
		out->n = 1;
		out->r[0].match = GT_M_DIR;
		out->r[0].dir = !strcmp(ps->tok[ps->pos - 1], "inbound") ? GT_DIR_IN : GT_DIR_OUT;
		return;
	}
	/* protocol qualifier */
	if (take(ps, "ip"))
		q.proto_family = GT_AF_INET, any = true;
	else if (take(ps, "ip6"))
		q.proto_family = GT_AF_INET6, any = true;
	else if (take(ps, "tcp"))
		q.l4 = IPPROTO_TCP, any = true;
	else if (take(ps, "udp"))
		q.l4 = IPPROTO_UDP, any = true;
	else if (take(ps, "icmp"))
		q.l4 = IPPROTO_ICMP, q.proto_family = GT_AF_INET, any = true;
	else if (take(ps, "icmp6"))
		q.l4 = IPPROTO_ICMPV6, q.proto_family = GT_AF_INET6, any = true;
	/* direction qualifier; "src or dst" is the default, "src and dst" is not said */
	if (take(ps, "src"))
		q.side = GT_SEL_SRC, any = true;
	else if (take(ps, "dst"))
		q.side = GT_SEL_DST, any = true;
	if (q.side && (!strcmp(peek(ps), "or") || !strcmp(peek(ps), "and")) &&
	    ps->pos + 1 < ps->n && (!strcmp(ps->tok[ps->pos + 1], "src") ||
				    !strcmp(ps->tok[ps->pos + 1], "dst"))) {
		out->fail = true;
		return;
	}
	/* type */
	if (take(ps, "host"))
		q.type = Q_HOST, any = true;
	else if (take(ps, "net"))
		q.type = Q_NET, any = true;
	else if (take(ps, "port"))
		q.type = Q_PORT, any = true;
	else if (take(ps, "portrange"))
		q.type = Q_PORTRANGE, any = true;

	if (!any) {
		/* a bare identifier: the last primitive's qualifiers ("port 80 or 443") */
		if (is_keyword(peek(ps)) || (!ps->last.type && !ps->last.side)) {
			out->fail = true;
			return;
		}
		q = ps->last;
	}
	if (q.type || q.side) {
		/* an identifier must follow */
		if (is_keyword(peek(ps))) {
			out->fail = true;
			return;
		}
		ps->last = q;
		if (q.type == Q_NET && ps->pos + 1 < ps->n && !strcmp(ps->tok[ps->pos + 1], "mask")) {
			out->fail = true;
			return;
		}
		primitive_id(ps, &q, ps->tok[ps->pos++], out);
		return;
	}
	/* a protocol alone: "tcp", "ip6" ("ip proto 1", "tcp[13]" are not ours) */
	if (!is_keyword(peek(ps))) {
		out->fail = true;
		return;
	}
	out->n = 1;
	set_l4(&out->r[0], &q);
}

/* pcap-filter's "and" and "or" have equal precedence, left to right */
static void parse_expr(struct parser *ps, struct dnf *out)
{
	struct dnf *rhs = calloc(1, sizeof(*rhs));

	if (!rhs) {
		out->fail = true;
		return;
	}
	parse_primitive(ps, out);
	while (!out->fail) {
		if (take(ps, "and") || take(ps, "&&")) {
			parse_primitive(ps, rhs);
			dnf_and(ps, out, rhs);
		} else if (take(ps, "or") || take(ps, "||")) {
			parse_primitive(ps, rhs);
			dnf_or(ps, out, rhs);
		} else {
			break;
		}
	}
	free(rhs);
}

uint32_t filter_translate(const char *expr, struct gt_rule *rules, uint32_t max)
{
	struct parser *ps = calloc(1, sizeof(*ps));
	struct dnf *d = calloc(1, sizeof(*d));
	uint32_t n = 0;

	if (!ps || !d || !expr || max == 0)
		goto out;
	ps->max = max < GT_MAX_RULES ? max : GT_MAX_RULES;
	if (tokenize(ps, expr) || ps->n == 0)
		goto out;
	parse_expr(ps, d);
	if (d->fail || ps->pos != ps->n)
		goto out;
	/* a rule without conditions matches everything: then rules filter nothing */
	for (uint32_t i = 0; i < d->n; i++)
		if (!d->r[i].match)
			goto out;
	memcpy(rules, d->r, d->n * sizeof(d->r[0]));
	n = d->n;
out:
	free(ps);
	free(d);
	return n;
}

static const char *side_str(uint8_t side)
{
	return side == GT_SEL_SRC ? "src " : side == GT_SEL_DST ? "dst " : "";
}

void filter_rule_str(const struct gt_rule *r, char *buf, size_t len)
{
	size_t used = 0;

#define ADD(...)                                                                 \
	do {                                                                     \
		if (used < len)                                                  \
			used += (size_t)snprintf(buf + used, len - used, __VA_ARGS__); \
	} while (0)
	if (len)
		buf[0] = '\0';
	if ((r->match & GT_M_FAMILY) && r->family == GT_AF_NONE)
		ADD("%snon-ip", used ? " " : "");
	else if (r->match & GT_M_FAMILY)
		ADD("%sip%d", used ? " " : "", r->family);
	if (r->match & GT_M_PROTO)
		ADD("%sproto %u", used ? " " : "", r->proto);
	for (int i = 0; i < 2; i++) {
		const struct gt_addr_match *m = &r->addr[i];
		char a[INET6_ADDRSTRLEN];

		if (!(r->match & (i ? GT_M_ADDR1 : GT_M_ADDR0)))
			continue;
		inet_ntop(m->family == GT_AF_INET6 ? AF_INET6 : AF_INET, m->addr, a, sizeof(a));
		ADD("%s%s%s/%u", used ? " " : "", side_str(m->side), a, m->prefix_len);
	}
	if (r->match & GT_M_PORT) {
		ADD("%s%sport %u", used ? " " : "", side_str(r->port_side), r->port_lo);
		if (r->port_hi != r->port_lo)
			ADD("-%u", r->port_hi);
	}
	if (r->match & GT_M_DIR)
		ADD("%s%s", used ? " " : "", r->dir == GT_DIR_IN ? "in" : "out");
	if (r->match & GT_M_IFINDEX)
		ADD("%sifindex %u", used ? " " : "", r->ifindex);
#undef ADD
}
