// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * GoTracer's own banner rules (used when nmap's fingerprints are absent), and
 * nmap-service-probes parsing and templates on a small file of real lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/runner.h"
#include "scan/internal.h"
#include "scan/nmap_probes.h"

static struct scan_result named(const char *banner, size_t len, uint16_t port, bool *ok)
{
	struct scan_result r = { 0 };

	*ok = service_name_banner((const unsigned char *)banner, len, port, &r);
	return r;
}

TEST(scan_banner_rules)
{
	/* MySQL 8's greeting: length 0x4a, sequence 0, protocol 10, version, NUL, ... */
	static const char mysql[] = "\x4a\x00\x00\x00\x0a" "8.0.36\0\x08\x00\x00\x00xyz";
	struct scan_result r;
	bool ok;

	r = named("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 32, 22, &ok);
	CHECK(ok);
	CHECK_STR(r.service, "ssh");
	CHECK_STR(r.product, "OpenSSH_9.2p1 Debian-2");
	r = named(mysql, sizeof(mysql) - 1, 3306, &ok);
	CHECK(ok);
	CHECK_STR(r.service, "mysql");
	CHECK_STR(r.version, "8.0.36");
	r = named("220 mail.example ESMTP Postfix\r\n", 32, 25, &ok);
	CHECK(ok);
	CHECK_STR(r.service, "smtp");
	CHECK_STR(r.extra, "mail.example ESMTP Postfix");
	r = named("220 (vsFTPd 3.0.3)\r\n", 20, 2121, &ok);
	CHECK(ok);
	CHECK_STR(r.service, "ftp");
	r = named("+OK Dovecot ready.\r\n", 20, 110, &ok);
	CHECK(ok);
	CHECK_STR(r.service, "pop3");
	r = named("* OK IMAP4rev1 ready\r\n", 22, 143, &ok);
	CHECK(ok);
	CHECK_STR(r.service, "imap");
	/* not MySQL: the length field says far less than arrived */
	r = named("\x01\x00\x00\x00\x0a" "garbage and more garbage", 29, 3306, &ok);
	CHECK(!ok);
	r = named("hello\n", 6, 9999, &ok);
	CHECK(!ok);
}

TEST(scan_nmap_probe_file_matches_and_templates)
{
	char path[] = "/tmp/gt-probes-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct nmap_match m;
	static const char banner[] = "SSH-2.0-dropbear_2022.83\r\n";
	static const char http[] = "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n\r\n";

	CHECK(f);
	fputs("# lines as nmap-service-probes has them\n"
	      "Probe TCP NULL q||\n"
	      "match ftp m|^220 pyftpdlib ([\\w._-]+) ready\\.\\r\\n| p/pyftpdlib/ v/$1/ cpe:/a:giampaolo_rodola:pyftpdlib/\n"
	      "match ssh m|^SSH-2\\.0-dropbear_([-\\w.]+)\\r?\\n| p/Dropbear sshd/ v/$1/ i/protocol 2.0/ o/Linux/ cpe:/a:matt_johnston:dropbear_ssh_server:$1/ cpe:/o:linux:linux_kernel/a\n"
	      "softmatch ssh m|^SSH-|\n"
	      "Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
	      "match http m|^HTTP/1\\.[01] \\d\\d\\d .*\\r\\nServer: SimpleHTTP/([\\d.]+) Python/([\\d.]+)\\r\\n|s p/SimpleHTTPServer/ v/$1/ i/Python $2/\n"
	      "match broken m|unclosed\n", f);
	fclose(f);
	nmap_probes_reset();
	CHECK(nmap_probes_load(path));
	unlink(path);
	CHECK_INT(nmap_probes_count(NMAP_PROBE_NULL), 2);
	CHECK_INT(nmap_probes_count(NMAP_PROBE_GET), 1);
	CHECK(nmap_probes_match(NMAP_PROBE_NULL, (const unsigned char *)banner, sizeof(banner) - 1, &m));
	CHECK_STR(m.service, "ssh");
	CHECK_STR(m.product, "Dropbear sshd");
	CHECK_STR(m.version, "2022.83");
	CHECK_STR(m.info, "protocol 2.0");
	CHECK(nmap_probes_match(NMAP_PROBE_GET, (const unsigned char *)http, sizeof(http) - 1, &m));
	CHECK_STR(m.service, "http");
	CHECK_STR(m.version, "0.6");
	CHECK_STR(m.info, "Python 3.11.2");
	CHECK(!nmap_probes_match(NMAP_PROBE_NULL, (const unsigned char *)"nothing", 7, &m));
	nmap_probes_reset();
}
