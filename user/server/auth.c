// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Access token and Origin checks (see auth.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "auth.h"

bool auth_is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (!strcasecmp(addr, "localhost"))
		return true;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

static void add_origin(struct auth_policy *p, const char *host, uint16_t port)
{
	bool v6 = strchr(host, ':') != NULL;

	if (p->n_origins >= AUTH_MAX_ORIGINS)
		return;
	snprintf(p->origins[p->n_origins++], AUTH_ORIGIN_MAX, "http://%s%s%s:%u",
		 v6 ? "[" : "", host, v6 ? "]" : "", port);
}

static int make_token(char *buf)
{
	unsigned char raw[24];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++)
		sprintf(buf + 2 * i, "%02x", raw[i]);
	return 0;
}

int auth_policy_init(struct auth_policy *p, const char *host, uint16_t port, const char *token,
		     const char *const *extra_origins, int n_extra, char *err, size_t errlen)
{
	bool loopback = auth_is_loopback(host);

	memset(p, 0, sizeof(*p));
	add_origin(p, host, port);
	if (loopback) {
		add_origin(p, "localhost", port);
		add_origin(p, "127.0.0.1", port);
		add_origin(p, "::1", port);
	}
	for (int i = 0; i < n_extra; i++) {
		size_t n = strlen(extra_origins[i]);

		while (n && extra_origins[i][n - 1] == '/')
			n--;
		if (!n || n >= AUTH_ORIGIN_MAX || p->n_origins >= AUTH_MAX_ORIGINS ||
		    (strncmp(extra_origins[i], "http://", 7) && strncmp(extra_origins[i], "https://", 8))) {
			snprintf(err, errlen, "bad --allow-origin '%s': give http(s)://HOST[:PORT]",
				 extra_origins[i]);
			return -1;
		}
		memcpy(p->origins[p->n_origins++], extra_origins[i], n);
	}
	if (token) {
		size_t n = strlen(token);

		if (n < 8 || n > AUTH_TOKEN_MAX || strspn(token, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~") != n) {
			snprintf(err, errlen, "bad --token: 8 to %d characters of [A-Za-z0-9-_.~]",
				 AUTH_TOKEN_MAX);
			return -1;
		}
		memcpy(p->token, token, n + 1);
		p->need_token = true;
	} else if (!loopback) {
		if (make_token(p->token)) {
			snprintf(err, errlen, "cannot generate an access token");
			return -1;
		}
		p->need_token = true;
	}
	return 0;
}

/* Compare in time independent of where the strings differ. */
static bool token_equal(const char *want, const char *got, size_t got_len)
{
	size_t n = strlen(want);
	unsigned char diff = got_len != n;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)want[i] ^ (unsigned char)(i < got_len ? got[i] : 0);
	return diff == 0;
}

static bool cookie_has_token(const struct auth_policy *p, const char *cookies)
{
	const size_t name_len = strlen(AUTH_COOKIE);
	const char *c = cookies;

	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		const char *end = strchr(c, ';');
		size_t len = end ? (size_t)(end - c) : strlen(c);

		if (len > name_len && !strncmp(c, AUTH_COOKIE, name_len) && c[name_len] == '=' &&
		    token_equal(p->token, c + name_len + 1, len - name_len - 1))
			return true;
		c = end;
	}
	return false;
}

bool auth_request_ok(const struct auth_policy *p, const char *query_token,
		     const char *cookie_header, const char *authorization)
{
	if (!p->need_token)
		return true;
	if (query_token && token_equal(p->token, query_token, strlen(query_token)))
		return true;
	if (cookie_header && cookie_has_token(p, cookie_header))
		return true;
	if (authorization && !strncasecmp(authorization, "Bearer ", 7) &&
	    token_equal(p->token, authorization + 7, strlen(authorization + 7)))
		return true;
	return false;
}

bool auth_origin_ok(const struct auth_policy *p, const char *origin, const char *host)
{
	if (!origin || !*origin)
		return true;
	for (int i = 0; i < p->n_origins; i++)
		if (!strcasecmp(p->origins[i], origin))
			return true;
	return p->need_token && host && *host && !strncasecmp(origin, "http://", 7) &&
	       !strcasecmp(origin + 7, host);
}
