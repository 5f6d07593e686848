// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The server's access token and WebSocket Origin checks. */
#include <stdio.h>
#include <string.h>

#include "lib/runner.h"
#include "server/auth.h"

TEST(auth_loopback_needs_no_token_but_checks_origin)
{
	struct auth_policy p;
	char err[128];

	CHECK_INT(auth_policy_init(&p, "127.0.0.1", 8080, NULL, NULL, 0, err, sizeof(err)), 0);
	CHECK(!p.need_token);
	CHECK(auth_request_ok(&p, NULL, NULL, NULL));
	CHECK(auth_origin_ok(&p, "http://127.0.0.1:8080", NULL));
	CHECK(auth_origin_ok(&p, "http://localhost:8080", NULL));
	CHECK(auth_origin_ok(&p, "http://[::1]:8080", NULL));
	CHECK(auth_origin_ok(&p, NULL, NULL));
	CHECK(!auth_origin_ok(&p, "http://localhost:8081", NULL));
	CHECK(!auth_origin_ok(&p, "http://evil.example", NULL));
	CHECK(!auth_origin_ok(&p, "null", NULL));
}

TEST(auth_other_address_generates_and_requires_token)
{
	const char *extra[] = { "https://ui.example.org/" };
	struct auth_policy p;
	char err[128], cookie[256], bearer[200];

	CHECK_INT(auth_policy_init(&p, "10.200.0.1", 9000, NULL, extra, 1, err, sizeof(err)), 0);
	CHECK(p.need_token);
	CHECK_INT(strlen(p.token), 48);
	CHECK(!auth_request_ok(&p, NULL, NULL, NULL));
	CHECK(!auth_request_ok(&p, "wrong", "gotracer_token=wrong", "Bearer wrong"));
	CHECK(auth_request_ok(&p, p.token, NULL, NULL));
	snprintf(cookie, sizeof(cookie), "a=1; gotracer_token=%s; b=2", p.token);
	CHECK(auth_request_ok(&p, NULL, cookie, NULL));
	snprintf(bearer, sizeof(bearer), "Bearer %s", p.token);
	CHECK(auth_request_ok(&p, NULL, NULL, bearer));
	bearer[strlen(bearer) - 1] ^= 1;
	CHECK(!auth_request_ok(&p, NULL, NULL, bearer));
	CHECK(auth_origin_ok(&p, "http://10.200.0.1:9000", NULL));
	CHECK(auth_origin_ok(&p, "https://ui.example.org", NULL));
	CHECK(!auth_origin_ok(&p, "http://localhost:9000", NULL));
	/* behind the token, the name the page reached us by is our origin */
	CHECK(auth_origin_ok(&p, "http://gotracer.lan:9000", "gotracer.lan:9000"));
	CHECK(!auth_origin_ok(&p, "http://evil.example", "gotracer.lan:9000"));
}

TEST(auth_loopback_never_trusts_host)
{
	struct auth_policy p;
	char err[128];

	/* a DNS-rebinding page sends Host and Origin of its own name */
	CHECK_INT(auth_policy_init(&p, "127.0.0.1", 8080, NULL, NULL, 0, err, sizeof(err)), 0);
	CHECK(!auth_origin_ok(&p, "http://evil.example:8080", "evil.example:8080"));
}

TEST(auth_rejects_bad_settings)
{
	const char *bad_origin[] = { "ui.example.org" };
	struct auth_policy p;
	char err[128];

	CHECK_INT(auth_policy_init(&p, "127.0.0.1", 80, "short", NULL, 0, err, sizeof(err)), -1);
	CHECK(strstr(err, "--token"));
	CHECK_INT(auth_policy_init(&p, "127.0.0.1", 80, NULL, bad_origin, 1, err, sizeof(err)), -1);
	CHECK(strstr(err, "--allow-origin"));
	CHECK_INT(auth_policy_init(&p, "127.0.0.1", 80, "s3cret-token", NULL, 0, err, sizeof(err)), 0);
	CHECK(p.need_token);
}
