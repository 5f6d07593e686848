/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Who may talk to the server: the access token (required off loopback) and the
 * WebSocket Origin check that keeps web pages the user visits from reading their
 * traffic through the local server. Pure functions over the request's headers.
 */
#ifndef GT_AUTH_H
#define GT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUTH_MAX_ORIGINS 16
#define AUTH_ORIGIN_MAX 128
#define AUTH_TOKEN_MAX 128
#define AUTH_COOKIE "gotracer_token"

struct auth_policy {
	bool need_token;
	char token[AUTH_TOKEN_MAX + 1];
	char origins[AUTH_MAX_ORIGINS][AUTH_ORIGIN_MAX];
	int n_origins;
};

/* 127.0.0.0/8, ::1, "localhost". */
bool auth_is_loopback(const char *addr);

/*
 * Fill the policy for a listener on host:port: its own origins (plus the
 * localhost forms on loopback) and extra ones; token NULL generates one when the
 * listener is not loopback. Returns 0, or -1 with a reason in err.
 */
int auth_policy_init(struct auth_policy *p, const char *host, uint16_t port, const char *token,
		     const char *const *extra_origins, int n_extra, char *err, size_t errlen);

/*
 * Does the request carry the token? Any of: the ?token= value, the cookie header
 * holding gotracer_token=, or "Bearer T" in Authorization (each may be NULL).
 */
bool auth_request_ok(const struct auth_policy *p, const char *query_token,
		     const char *cookie_header, const char *authorization);
/*
 * May a WebSocket with this Origin connect? NULL or "" (not a browser): yes.
 * host is the request's Host header (or NULL): behind a token, a page served by
 * this server under any name it was reached by is its own origin (a wildcard
 * listener has no one name). Without a token it is never trusted, as a DNS
 * rebinding page controls it.
 */
bool auth_origin_ok(const struct auth_policy *p, const char *origin, const char *host);

#endif /* GT_AUTH_H */
