// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The link-to-DNS/DHCP dissectors against the reference: every frame of the
 * captures in tests/fixtures/dis (real clients and servers, record.sh) is
 * dissected, and each field below must print exactly as tshark -T fields prints
 * it for the same frame (all occurrences, joined by ","). The Protocol and Info
 * columns must match too, except on TCP frames, whose Info tshark computes with
 * per-connection state (scaled window) that a stateless dissector does not have.
 * tshark runs without IP reassembly, as we dissect: each fragment on its own.
 */
#include <stdio.h>
#include <unistd.h>

#include "dissect_app.h"

#define MAX_FRAMES 256

static const char *const fields[] = {
	"frame.len", "frame.cap_len", "eth.dst", "eth.src", "eth.type", "eth.padding", "eth.trailer",
	"vlan.id", "vlan.priority", "vlan.dei", "vlan.etype", "ieee8021ad.id",
	"sll.pkttype", "sll.hatype", "sll.halen", "sll.src.eth", "sll.unused", "sll.etype",
	"sll.ifindex",
	"arp.hw.type", "arp.proto.type", "arp.opcode", "arp.src.hw_mac",
	"arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
	"ip.version", "ip.hdr_len", "ip.dsfield", "ip.dsfield.dscp", "ip.len", "ip.id",
	"ip.flags", "ip.flags.rb", "ip.flags.df", "ip.flags.mf", "ip.frag_offset", "ip.ttl",
	"ip.proto", "ip.checksum", "ip.checksum.status", "ip.src", "ip.dst", "ip.addr",
	"ip.opt.type", "ip.opt.type.copy", "ip.opt.type.class", "ip.opt.type.number",
	"ip.opt.len", "ip.opt.ptr", "ip.rec_rt", "ip.empty_rt", "ip.opt.overflow", "ip.opt.flag",
	"ip.opt.time_stamp_addr", "ip.opt.time_stamp",
	"ipv6.version", "ipv6.tclass", "ipv6.flow", "ipv6.plen", "ipv6.nxt", "ipv6.hlim",
	"ipv6.src", "ipv6.dst", "ipv6.addr", "ipv6.hopopts.nxt", "ipv6.hopopts.len_oct",
	"ipv6.opt.type", "ipv6.opt.router_alert", "ipv6.fraghdr.nxt", "ipv6.fraghdr.offset",
	"ipv6.fraghdr.more", "ipv6.fraghdr.ident",
	"icmp.type", "icmp.code", "icmp.checksum", "icmp.checksum.status", "icmp.ident",
	"icmp.seq", "icmp.seq_le", "icmp.unused", "icmp.data_time", "icmp.data_time_relative",
	"icmp.pointer", "icmp.mtu", "icmp.redir_gw", "icmp.originate_timestamp",
	"icmp.receive_timestamp", "icmp.transmit_timestamp", "icmp.address_mask",
	"icmp.num_addrs", "icmp.addr_entry_size", "icmp.lifetime", "icmpv6.length",
	"icmpv6.mtu", "icmpv6.pointer",
	"data.len",
	"icmpv6.type", "icmpv6.code", "icmpv6.checksum", "icmpv6.checksum.status",
	"icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "icmpv6.reserved",
	"icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.nd.na.flag",
	"icmpv6.opt.type", "icmpv6.opt.length", "icmpv6.opt.linkaddr",
	"icmpv6.opt.src_linkaddr", "icmpv6.opt.target_linkaddr", "icmpv6.opt.nonce",
	"icmpv6.mldr.nb_mcast_records", "icmpv6.mldr.mar.record_type",
	"icmpv6.mldr.mar.multicast_address",
	"tcp.srcport", "tcp.dstport", "tcp.port", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len",
	"tcp.flags", "tcp.flags.syn", "tcp.flags.ack", "tcp.flags.fin", "tcp.flags.reset",
	"tcp.flags.push", "tcp.flags.str", "tcp.window_size_value", "tcp.checksum",
	"tcp.urgent_pointer", "tcp.len", "tcp.payload", "tcp.option_kind", "tcp.option_len",
	"tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.wscale.multiplier",
	"tcp.options.sack_perm", "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
	"udp.srcport", "udp.dstport", "udp.port", "udp.length", "udp.checksum", "udp.payload",
	"dns.length", "dns.id", "dns.flags", "dns.flags.response", "dns.flags.opcode",
	"dns.flags.authoritative", "dns.flags.truncated", "dns.flags.recdesired",
	"dns.flags.recavail", "dns.flags.z", "dns.flags.authenticated",
	"dns.flags.checkdisable", "dns.flags.rcode", "dns.count.queries",
	"dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr", "dns.qry.name",
	"dns.qry.name.len", "dns.count.labels", "dns.qry.type", "dns.qry.class",
	"dns.resp.name", "dns.resp.type", "dns.resp.class", "dns.resp.ttl", "dns.resp.len",
	"dns.a", "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name",
	"dns.mx.preference", "dns.mx.mail_exchange", "dns.txt.length", "dns.txt",
	"dns.srv.service", "dns.srv.proto", "dns.srv.name", "dns.srv.priority",
	"dns.srv.weight", "dns.srv.port", "dns.srv.target", "dns.soa.mname", "dns.soa.rname",
	"dns.soa.serial_number", "dns.soa.refresh_interval", "dns.soa.retry_interval",
	"dns.soa.expire_limit", "dns.soa.minimum_ttl", "dns.caa.flags",
	"dns.caa.flags.issuer_critical", "dns.caa.issue", "dns.caa.tag_length", "dns.caa.tag",
	"dns.caa.value", "dns.svcb.svcpriority", "dns.svcb.targetname", "dns.svcb.svcparam.key",
	"dns.svcb.svcparam.value.length", "dns.svcb.svcparam.alpn.length",
	"dns.svcb.svcparam.alpn", "dns.svcb.svcparam.port", "dns.svcb.svcparam.ipv4hint.ip",
	"dns.ds.key_id", "dns.ds.algorithm", "dns.ds.digest_type", "dns.ds.digest",
	"dns.dnskey.flags", "dns.dnskey.flags.zone_key", "dns.dnskey.flags.secure_entry_point",
	"dns.dnskey.protocol", "dns.dnskey.algorithm", "dns.dnskey.key_id",
	"dns.dnskey.public_key", "dns.rrsig.type_covered", "dns.rrsig.algorithm",
	"dns.rrsig.labels", "dns.rrsig.original_ttl", "dns.rrsig.signature_expiration",
	"dns.rrsig.signature_inception", "dns.rrsig.key_tag", "dns.rrsig.signers_name",
	"dns.rrsig.signature",
	"dns.rr.udp_payload_size", "dns.resp.ext_rcode", "dns.resp.edns0_version",
	"dns.resp.z", "dns.resp.z.do", "dns.opt.code", "dns.opt.len", "dns.opt.data",
	"dns.opt.cookie.client",
	"dhcp.type", "dhcp.hw.type", "dhcp.hw.len", "dhcp.hops", "dhcp.id", "dhcp.secs",
	"dhcp.flags", "dhcp.flags.bc", "dhcp.ip.client", "dhcp.ip.your", "dhcp.ip.server",
	"dhcp.ip.relay", "dhcp.hw.mac_addr", "dhcp.cookie", "dhcp.option.type",
	"dhcp.option.length", "dhcp.option.value", "dhcp.option.dhcp",
	"dhcp.option.requested_ip_address", "dhcp.option.hostname",
	"dhcp.option.request_list_item", "dhcp.option.dhcp_server_id",
	"dhcp.option.ip_address_lease_time", "dhcp.option.renewal_time_value",
	"dhcp.option.rebinding_time_value", "dhcp.option.subnet_mask", "dhcp.option.router",
	"dhcp.option.domain_name_server", "dhcp.option.broadcast_address", NULL,
};

/* tshark's Info notes that need other frames: " (request in 7)", " (reply in 8)". */
static void strip_cross_frame_notes(char *info)
{
	static const char *const notes[] = { " (request in ", " (reply in ",
					     " (no response found!)" };

	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		char *at = strstr(info, notes[i]);

		if (at)
			*at = '\0';
	}
}

/*
 * Every frame of tests/fixtures/dis/FILE dissected on its own (no stream store),
 * with its capture time, as a live capture or "gotracer read" does.
 */
static int load(const char *file, struct dx_packet **pkts, uint8_t **frames, int max)
{
	char path[PATH_MAX], err[256];
	struct file_reader *r;
	struct file_packet fp;
	int n = 0;

	snprintf(path, sizeof(path), "%s/tests/fixtures/dis/%s", test_source_root(), file);
	if (file_reader_open(&r, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "    %s\n", err);
		return -1;
	}
	while (n < max && file_reader_next(r, &fp) == 1) {
		frames[n] = malloc(fp.caplen ? fp.caplen : 1);
		memcpy(frames[n], fp.data, fp.caplen);
		pkts[n] = calloc(1, sizeof(*pkts[n]));
		pkts[n]->dir = fp.dir;
		pkts[n]->ts_ns = fp.ts_ns;
		dx_init(pkts[n], frames[n], fp.caplen, fp.wirelen, fp.linktype);
		dx_dissect(pkts[n]);
		n++;
	}
	file_reader_close(r);
	return n;
}

static int next_column(char **line, char **col)
{
	if (!*line)
		return 0;
	*col = *line;
	*line = strchr(*line, '\t');
	if (*line)
		*(*line)++ = '\0';
	return 1;
}

static void compare_with_tshark(const char *file)
{
	static char cmd[16384], ours[65536];
	static struct dx_packet *pkts[MAX_FRAMES];
	static uint8_t *data[MAX_FRAMES];
	char path[PATH_MAX], *line = NULL;
	size_t cap_line = 0, o;
	int mismatches = 0, checked = 0, frames = 0, n;
	FILE *f;

	if (access("/usr/bin/tshark", X_OK) != 0)
		SKIP("tshark not installed (scripts/install-deps.sh test)");
	n = load(file, pkts, data, MAX_FRAMES);
	CHECK(n > 0);
	snprintf(path, sizeof(path), "%s/tests/fixtures/dis/%s", test_source_root(), file);
	/* times print in the local zone: make it the one we print */
	o = (size_t)snprintf(cmd, sizeof(cmd),
			     "TZ=UTC tshark -n -r '%s' -o ip.defragment:FALSE -o ipv6.defragment:FALSE "
			     "-T fields -E separator=/t -E occurrence=a -E aggregator=, "
			     "-e frame.number -e _ws.col.Protocol -e _ws.col.Info", path);
	for (int k = 0; fields[k]; k++)
		o += (size_t)snprintf(cmd + o, sizeof(cmd) - o, " -e %s", fields[k]);
	snprintf(cmd + o, sizeof(cmd) - o, " 2>/dev/null");
	f = popen(cmd, "r");
	CHECK(f != NULL);
	while (getline(&line, &cap_line, f) > 0) {
		char *rest = line, *no_s, *proto, *info, *col;
		const struct dx_packet *p;
		int no;

		line[strcspn(line, "\n")] = '\0';
		if (!next_column(&rest, &no_s) || !next_column(&rest, &proto) ||
		    !next_column(&rest, &info))
			continue;
		no = atoi(no_s);
		if (no < 1 || no > n)
			continue;
		p = pkts[no - 1];
		frames++;
		for (int k = 0; fields[k] && next_column(&rest, &col); k++) {
			app_values(p, fields[k], ours, sizeof(ours));
			checked++;
			if (strcmp(ours, col) && mismatches++ < 10)
				fprintf(stderr, "    %s frame %d %s: ours \"%.200s\", tshark \"%.200s\"\n",
					file, no, fields[k], ours, col);
		}
		if (!strcmp(proto, "TCP") || !strcmp(proto, "HTTP"))
			continue;
		strip_cross_frame_notes(info);
		/* tshark's mark of a malformed packet is our flag */
		if (strstr(info, "[Malformed Packet]")) {
			*strstr(info, "[Malformed Packet]") = '\0';
			checked++;
			if (!(p->flags & DX_F_MALFORMED) && mismatches++ < 10)
				fprintf(stderr, "    %s frame %d: tshark says malformed, we do not\n",
					file, no);
		}
		checked += 2;
		if ((!p->protocol || strcmp(p->protocol, proto)) && mismatches++ < 10)
			fprintf(stderr, "    %s frame %d protocol: ours \"%s\", tshark \"%s\"\n", file,
				no, p->protocol ? p->protocol : "", proto);
		if (strcmp(p->info, info) && mismatches++ < 10)
			fprintf(stderr, "    %s frame %d info: ours \"%s\", tshark \"%s\"\n", file, no,
				p->info, info);
	}
	free(line);
	pclose(f);
	fprintf(stderr, "    %s: %d frames, %d values compared, %d differ\n", file, frames,
		checked, mismatches);
	for (int i = 0; i < n; i++) {
		free(pkts[i]);
		free(data[i]);
	}
	CHECK_INT(frames, n);
	CHECK_INT(mismatches, 0);
}

TEST(dissect_tshark_ethernet)
{
	compare_with_tshark("base.pcap");
}

TEST(dissect_tshark_linux_cooked_v2)
{
	compare_with_tshark("cooked.pcap");
}

/*
 * Every ICMP and ICMPv6 error code, hand-made from two recorded frames (a port
 * unreachable and a neighbour advertisement) by changing type and code.
 */
TEST(dissect_tshark_icmp_codes)
{
	compare_with_tshark("icmp-codes.pcap");
}
