// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Service detection on an open port, bounded in time: read the banner a server
 * volunteers (SSH, SMTP, FTP, MySQL, ...); if it says nothing, try a TLS
 * handshake (OpenSSL: protocol version and certificate subject, then HTTP
 * inside), then a plain HTTP request, then Redis' PING on its port. Responses
 * are named by nmap's fingerprints when nmap is installed, and by GoTracer's
 * own small rules otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "internal.h"
#include "nmap_probes.h"

#define CONNECT_TIMEOUT_MS 3000
#define BANNER_WAIT_MS 2000	/* servers that speak first do so at once */
#define RESPONSE_WAIT_MS 3000
#define RESPONSE_MAX 4096

static const char http_get[] = "GET / HTTP/1.0\r\n\r\n";

static int connect_timeout(uint32_t addr, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = addr };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct pollfd pfd;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -1;
	/* no TIME_WAIT left behind here either */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) && errno != EINPROGRESS)
		goto fail;
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	if (poll(&pfd, 1, CONNECT_TIMEOUT_MS) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* reads what arrives within wait_ms (until the peer closes or the buffer fills) */
static size_t read_for(int fd, unsigned char *buf, size_t cap, int wait_ms)
{
	uint64_t end = scan_now_us() + (uint64_t)wait_ms * 1000;
	size_t n = 0;

	while (n < cap) {
		uint64_t now = scan_now_us();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;

		if (now >= end || poll(&pfd, 1, (int)((end - now) / 1000) + 1) != 1)
			break;
		got = recv(fd, buf + n, cap - n, 0);
		if (got <= 0)
			break;
		n += (size_t)got;
		/* a line-based greeting is complete at its line end: stop waiting */
		if (buf[n - 1] == '\n' && n > 4 && memcmp(buf, "HTTP", 4))
			break;
	}
	return n;
}

static bool send_all(int fd, const void *data, size_t len)
{
	return send(fd, data, len, MSG_NOSIGNAL) == (ssize_t)len;
}

/* the first line, printable bytes only */
static void first_line(const unsigned char *buf, size_t len, char *out, size_t out_len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && buf[i] != '\r' && buf[i] != '\n' && o + 1 < out_len; i++)
		if (buf[i] >= 0x20 && buf[i] < 0x7f)
			out[o++] = (char)buf[i];
	out[o] = 0;
}

static void set(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

/* GoTracer's own rules for a banner, when nmap's fingerprints are not installed or miss */
bool service_name_banner(const unsigned char *b, size_t len, uint16_t port, struct scan_result *r)
{
	char line[128];

	first_line(b, len, line, sizeof(line));
	if (len >= 4 && !memcmp(b, "SSH-", 4)) {
		const char *soft = strchr(line + 4, '-');

		set(r->service, sizeof(r->service), "ssh");
		if (soft)
			set(r->product, sizeof(r->product), soft + 1);
		return true;
	}
	if (len > 5 && b[3] == 0 && b[4] == 0x0a &&
	    (size_t)(b[0] | b[1] << 8 | b[2] << 16) + 4 >= len) {
		/* MySQL's initial handshake: 3-byte length, sequence 0, protocol 10, version */
		size_t n = 0;

		set(r->service, sizeof(r->service), "mysql");
		for (size_t i = 5; i < len && b[i] && n + 1 < sizeof(r->version); i++)
			if (b[i] >= 0x20 && b[i] < 0x7f)
				r->version[n++] = (char)b[i];
		r->version[n] = 0;
		return true;
	}
	if (!strncmp(line, "220", 3)) {
		bool ftp = strcasestr(line, "ftp") || port == 21;

		set(r->service, sizeof(r->service), ftp ? "ftp" : "smtp");
		set(r->extra, sizeof(r->extra), line + (line[3] ? 4 : 3));
		return true;
	}
	if (!strncmp(line, "+OK", 3)) {
		set(r->service, sizeof(r->service), "pop3");
		set(r->extra, sizeof(r->extra), line);
		return true;
	}
	if (!strncmp(line, "* OK", 4)) {
		set(r->service, sizeof(r->service), "imap");
		set(r->extra, sizeof(r->extra), line);
		return true;
	}
	return false;
}

/* the Server header of an HTTP response, if any */
static void http_server(const unsigned char *b, size_t len, char *out, size_t out_len)
{
	char text[RESPONSE_MAX + 1];
	char *h;

	memcpy(text, b, len);
	text[len] = 0;
	*out = 0;
	h = strcasestr(text, "\r\nServer:");
	if (!h)
		return;
	h += 9;
	while (*h == ' ')
		h++;
	snprintf(out, out_len, "%.*s", (int)strcspn(h, "\r\n"), h);
}

static bool name_response(enum nmap_probe probe, const unsigned char *b, size_t len,
			  uint16_t port, struct scan_result *r)
{
	struct nmap_match m;

	if (nmap_probes_match(probe, b, len, &m)) {
		set(r->service, sizeof(r->service), m.service);
		set(r->product, sizeof(r->product), m.product);
		set(r->version, sizeof(r->version), m.version);
		set(r->extra, sizeof(r->extra), m.info);
		return true;
	}
	if (probe == NMAP_PROBE_NULL)
		return service_name_banner(b, len, port, r);
	if (len >= 5 && !memcmp(b, "HTTP/", 5)) {
		set(r->service, sizeof(r->service), "http");
		http_server(b, len, r->product, sizeof(r->product));
		return true;
	}
	return false;
}

static SSL_CTX *tls_ctx;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_init(void)
{
	tls_ctx = SSL_CTX_new(TLS_client_method());
	if (!tls_ctx)
		return;
	/* we look, we do not trust: any certificate is shown, none is verified */
	SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_min_proto_version(tls_ctx, TLS1_VERSION);
}

/* TLS: version and certificate subject, then whatever HTTP says inside */
static bool try_tls(uint32_t addr, uint16_t port, struct scan_result *r)
{
	unsigned char buf[RESPONSE_MAX];
	struct timeval tv = { .tv_sec = RESPONSE_WAIT_MS / 1000 };
	bool ok = false;
	SSL *ssl = NULL;
	int fd;

	pthread_once(&tls_once, tls_init);
	if (!tls_ctx)
		return false;
	fd = connect_timeout(addr, port);
	if (fd < 0)
		return false;
	/* the handshake runs blocking, bounded by socket timeouts */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	ssl = SSL_new(tls_ctx);
	if (!ssl)
		goto out;
	SSL_set_fd(ssl, fd);
	if (SSL_connect(ssl) == 1) {
		X509 *cert = SSL_get1_peer_certificate(ssl);
		char subject[128] = "";
		size_t n = 0;
		int got;

		if (cert) {
			X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
			X509_free(cert);
		}
		snprintf(r->extra, sizeof(r->extra), "%s%s%s", SSL_get_version(ssl),
			 *subject ? " subject=" : "", subject);
		set(r->service, sizeof(r->service), "ssl/unknown");
		if (SSL_write(ssl, http_get, sizeof(http_get) - 1) > 0)
			while (n < sizeof(buf) &&
			       (got = SSL_read(ssl, buf + n, (int)(sizeof(buf) - n))) > 0)
				n += (size_t)got;
		if (n >= 5 && !memcmp(buf, "HTTP/", 5)) {
			set(r->service, sizeof(r->service), "ssl/http");
			http_server(buf, n, r->product, sizeof(r->product));
		}
		ok = true;
	}
out:
	ERR_clear_error();
	SSL_free(ssl);
	close(fd);
	return ok;
}

/* sends request on a new connection; the answer, up to RESPONSE_MAX bytes */
static size_t ask(uint32_t addr, uint16_t port, const void *req, size_t req_len,
		  unsigned char *buf)
{
	int fd = connect_timeout(addr, port);
	size_t n = 0;

	if (fd < 0)
		return 0;
	if (send_all(fd, req, req_len))
		n = read_for(fd, buf, RESPONSE_MAX, RESPONSE_WAIT_MS);
	close(fd);
	return n;
}

static bool detect(struct scan_opts *o, uint32_t addr, uint16_t port, struct scan_result *r)
{
	unsigned char buf[RESPONSE_MAX];
	size_t n = 0;
	int fd;

	/* 1. the banner: wait for the server to speak first */
	fd = connect_timeout(addr, port);
	if (fd < 0)
		return false;
	n = read_for(fd, buf, sizeof(buf), BANNER_WAIT_MS);
	close(fd);
	if (n) {
		if (!name_response(NMAP_PROBE_NULL, buf, n, port, r)) {
			set(r->service, sizeof(r->service), scan_service_name(port));
			first_line(buf, n, r->extra, sizeof(r->extra));
		}
		return true;
	}
	if (scan_cancelled(o))
		return false;
	/* 2. TLS */
	if (try_tls(addr, port, r))
		return true;
	if (scan_cancelled(o))
		return false;
	/* 3. HTTP */
	n = ask(addr, port, http_get, sizeof(http_get) - 1, buf);
	if (n && name_response(NMAP_PROBE_GET, buf, n, port, r))
		return true;
	/* 4. Redis answers PING with +PONG (or -NOAUTH) */
	if (port == 6379) {
		n = ask(addr, port, "PING\r\n", 6, buf);
		if (n && (buf[0] == '+' || buf[0] == '-')) {
			set(r->service, sizeof(r->service), "redis");
			first_line(buf, n, r->extra, sizeof(r->extra));
			return true;
		}
	}
	/* 5. PostgreSQL answers an SSLRequest with one byte, S or N */
	if (port == 5432) {
		static const unsigned char ssl_request[] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };

		n = ask(addr, port, ssl_request, sizeof(ssl_request), buf);
		if (n == 1 && (buf[0] == 'S' || buf[0] == 'N')) {
			set(r->service, sizeof(r->service), "postgresql");
			return true;
		}
	}
	return false;
}

void scan_service_detect(struct scan_opts *o, uint32_t addr, uint16_t port)
{
	struct scan_result r = { .type = SCAN_R_SERVICE, .addr = addr, .port = port };

	if (detect(o, addr, port, &r)) {
		r.method = "probed";
	} else {
		set(r.service, sizeof(r.service), scan_service_name(port));
		r.method = "table";
	}
	if (!scan_cancelled(o))
		scan_emit(o, &r);
}
