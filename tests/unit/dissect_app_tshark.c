// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The application dissectors against the reference: every frame of each capture
 * in tests/fixtures/app (real clients and servers, record.sh) is dissected in
 * order through a stream store, and each field below must print exactly as
 * tshark -T fields prints it for the same frame (all occurrences, joined by ",").
 * The Protocol and Info columns must match too on frames tshark gives to an
 * application protocol.
 */
#include <stdio.h>
#include <unistd.h>

#include "dissect_app.h"

static const char *const http_fields[] = {
	"http.request.method", "http.request.uri", "http.request.version",
	"http.request.uri.path", "http.request.uri.query", "http.request.uri.query.parameter",
	"http.response.version", "http.response.code", "http.response.phrase",
	"http.response.code.desc", "http.host", "http.user_agent", "http.accept",
	"http.content_type", "http.content_length_header", "http.content_length",
	"http.server", "http.connection", "http.cookie", "http.cookie_pair", "http.date",
	"http.last_modified", "http.request.line", "http.response.line",
	"http.request.full_uri", "http.file_data", "tcp.segment.count",
	"tcp.reassembled.length", NULL,
};

static const char *const tls_fields[] = {
	"tls.record.content_type", "tls.record.opaque_type", "tls.record.version",
	"tls.record.length", "tls.handshake.type", "tls.handshake.length",
	"tls.handshake.version", "tls.handshake.random", "tls.handshake.session_id_length",
	"tls.handshake.session_id", "tls.handshake.cipher_suites_length",
	"tls.handshake.ciphersuite", "tls.handshake.comp_methods_length",
	"tls.handshake.comp_method", "tls.handshake.extensions_length",
	"tls.handshake.extension.type", "tls.handshake.extension.len",
	"tls.handshake.extensions_server_name", "tls.handshake.extensions_server_name_len",
	"tls.handshake.extensions_server_name_type", "tls.handshake.extensions_alpn_len",
	"tls.handshake.extensions_alpn_str", "tls.handshake.extensions_alpn_str_len",
	"tls.handshake.extensions.supported_version",
	"tls.handshake.extensions.supported_versions_len",
	"tls.handshake.extensions_supported_group",
	"tls.handshake.extensions_supported_groups_length", "tls.handshake.sig_hash_alg",
	"tls.handshake.sig_hash_alg_len", "tls.handshake.extensions_key_share_group",
	"tls.handshake.extensions_key_share_client_length",
	"tls.handshake.extensions_key_share_key_exchange_length",
	"tls.handshake.extensions_key_share_key_exchange",
	"tls.handshake.extensions_ec_point_format",
	"tls.handshake.extensions_reneg_info_len", "tls.handshake.certificates_length",
	"tls.handshake.certificate_length", "tls.handshake.certificate",
	"x509sat.uTF8String", "x509sat.printableString", "tls.handshake.server_curve_type",
	"tls.handshake.server_named_curve", "tls.handshake.server_point",
	"tls.handshake.sig_len", "tls.handshake.sig",
	"tls.handshake.session_ticket_lifetime_hint", "tls.handshake.session_ticket_length",
	"tls.handshake.session_ticket", "tls.change_cipher_spec", "tls.alert_message",
	"tls.alert_message.level", "tls.alert_message.desc", "tls.app_data",
	"tcp.segment.count", "tcp.reassembled.length", NULL,
};

static const char *const ssh_fields[] = {
	"ssh.protocol", "ssh.direction", "ssh.packet_length", "ssh.padding_length",
	"ssh.message_code", "ssh.cookie", "ssh.kex_algorithms_length", "ssh.kex_algorithms",
	"ssh.server_host_key_algorithms", "ssh.encryption_algorithms_client_to_server",
	"ssh.encryption_algorithms_server_to_client", "ssh.mac_algorithms_client_to_server",
	"ssh.compression_algorithms_server_to_client", "ssh.languages_client_to_server",
	"ssh.first_kex_packet_follows", "ssh.kex.reserved", "ssh.padding_string",
	"ssh.ecdh.q_c_length", "ssh.ecdh.q_c", "ssh.host_key.length", "ssh.host_key.type",
	"ssh.host_key.type_length", "ssh.ecdh.q_s_length", "ssh.ecdh.q_s", "ssh.host_sig.length",
	"tcp.segment.count", "tcp.reassembled.length", NULL,
};

static const char *const quic_fields[] = {
	"quic.header_form", "quic.fixed_bit", "quic.long.packet_type", "quic.version",
	"quic.dcil", "quic.dcid", "quic.scil", "quic.scid", "quic.token_length",
	"quic.length", NULL,
};

static const char *const chunked_fields[] = {
	"http.request.method", "http.request.uri", "http.response.code",
	"http.transfer_encoding", "http.content_type", "http.chunk_size",
	"http.response.line", "http.request.line", NULL,
};

/* Application protocols whose columns we must match. */
static bool app_protocol(const char *proto)
{
	return !strcmp(proto, "HTTP") || !strncmp(proto, "TLS", 3) || !strncmp(proto, "SSL", 3) ||
	       !strncmp(proto, "SSH", 3) || !strcmp(proto, "QUIC");
}

/* Splits line at tabs in place; returns the number of columns. */
static int split_tabs(char *line, char **cols, int max)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	while (n < max) {
		cols[n++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = '\0';
	}
	return n;
}

static void compare_with_tshark(const char *file, const char *const *fields)
{
	static char cmd[16384], ours[65536];
	struct app_capture *cap = calloc(1, sizeof(*cap));
	char path[PATH_MAX], *line = NULL, *cols[128];
	size_t cap_line = 0, o;
	int nf, mismatches = 0, checked = 0, frames = 0;
	FILE *f;

	if (access("/usr/bin/tshark", X_OK) != 0) {
		free(cap);
		SKIP("tshark not installed (scripts/install-deps.sh test)");
	}
	CHECK_INT(app_load(cap, file, true), 0);
	app_path(path, sizeof(path), file);
	o = (size_t)snprintf(cmd, sizeof(cmd),
			     "tshark -n -r '%s' -T fields -E separator=/t -E occurrence=a "
			     "-E aggregator=, -e frame.number -e _ws.col.Protocol -e _ws.col.Info",
			     path);
	for (nf = 0; fields[nf]; nf++)
		o += (size_t)snprintf(cmd + o, sizeof(cmd) - o, " -e %s", fields[nf]);
	snprintf(cmd + o, sizeof(cmd) - o, " 2>/dev/null");
	f = popen(cmd, "r");
	CHECK(f != NULL);
	while (getline(&line, &cap_line, f) > 0) {
		int n = split_tabs(line, cols, 128), no = atoi(cols[0]);
		const struct dx_packet *p;

		if (n != nf + 3 || no < 1 || no > cap->n)
			continue;
		frames++;
		p = cap->pkts[no - 1];
		for (int k = 0; k < nf; k++) {
			app_values(p, fields[k], ours, sizeof(ours));
			checked++;
			if (strcmp(ours, cols[3 + k]) == 0)
				continue;
			if (mismatches++ < 8)
				fprintf(stderr,
					"    %s frame %d %s: ours \"%.200s\", tshark \"%.200s\"\n",
					file, no, fields[k], ours, cols[3 + k]);
		}
		/* QUIC's Info lists decrypted frames: we do not decrypt. TCP's own
		 * summary ("port → port ...") is not ours; the reassembly note is */
		if ((app_protocol(cols[1]) && strcmp(cols[1], "QUIC")) ||
		    (!strcmp(cols[1], "TCP") && strstr(cols[2], "reassembled PDU") &&
		     !(cols[2][0] >= '0' && cols[2][0] <= '9'))) {
			checked += 2;
			if (!p->protocol || strcmp(p->protocol, cols[1])) {
				if (mismatches++ < 8)
					fprintf(stderr,
						"    %s frame %d protocol: ours \"%s\", tshark \"%s\"\n",
						file, no, p->protocol ? p->protocol : "", cols[1]);
			}
			/* tshark 4.0 names an encrypted SSH packet "Client: " and no more;
			 * we say "Client: Encrypted packet (len=N)" as later Wiresharks do */
			if (!strncmp(cols[1], "SSH", 3) && cols[2][0] &&
			    !strcmp(cols[2] + strlen(cols[2]) - 2, ": ") &&
			    !strncmp(p->info, cols[2], strlen(cols[2])) &&
			    strstr(p->info, "Encrypted packet"))
				continue;
			if (strcmp(p->info, cols[2]) && mismatches++ < 8)
				fprintf(stderr,
					"    %s frame %d info: ours \"%s\", tshark \"%s\"\n",
					file, no, p->info, cols[2]);
		}
	}
	free(line);
	pclose(f);
	app_free(cap);
	free(cap);
	fprintf(stderr, "    %s: %d frames, %d values compared, %d differ\n", file, frames,
		checked, mismatches);
	CHECK(frames > 0);
	CHECK_INT(mismatches, 0);
}

TEST(app_tshark_http)
{
	compare_with_tshark("http.pcap", http_fields);
}

TEST(app_tshark_ssh_kex)
{
	compare_with_tshark("ssh-kex.pcap", ssh_fields);
}

TEST(app_tshark_tls12)
{
	compare_with_tshark("tls12.pcap", tls_fields);
}

TEST(app_tshark_tls13)
{
	compare_with_tshark("tls13.pcap", tls_fields);
}

TEST(app_tshark_small_mtu_tls)
{
	compare_with_tshark("small-mtu.pcap", tls_fields);
}

TEST(app_tshark_small_mtu_http)
{
	compare_with_tshark("small-mtu.pcap", http_fields);
}

TEST(app_tshark_ssh)
{
	compare_with_tshark("ssh.pcap", ssh_fields);
}

TEST(app_tshark_ipv6_mss_tls)
{
	compare_with_tshark("ipv6-mss.pcap", tls_fields);
}

TEST(app_tshark_ipv6_mss_http)
{
	compare_with_tshark("ipv6-mss.pcap", http_fields);
}

TEST(app_tshark_tls_fragments)
{
	compare_with_tshark("tls-frag.pcap", tls_fields);
}

TEST(app_tshark_quic)
{
	compare_with_tshark("quic.pcap", quic_fields);
}

TEST(app_tshark_http_chunked)
{
	compare_with_tshark("http-chunked.pcap", chunked_fields);
}
