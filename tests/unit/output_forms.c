// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The output forms of a dissected packet (user/output/packet_out.c): the text
 * line, the JSON line of ARCHITECTURE.md and the detail tree. The fixture is a
 * real frame (a UDP datagram as sent between the test namespaces),
 * dissected by dx_dissect; hand-built trees cover the shapes dissectors may
 * produce (repeated layers, depth jumps, an empty tree).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/runner.h"
#include "dissect/dissect.h"
#include "gotracer.h"
#include "output/packet_out.h"

/* 02:00:00:00:00:01 -> 02:00:00:00:00:02, UDP 10.200.0.1:40000 -> 10.200.0.2:7000, "hello" */
static const uint8_t udp_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x21, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0xc8, 0x00, 0x01, 0x0a, 0xc8, 0x00, 0x02,
	0x9c, 0x40, 0x1b, 0x58, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};

static struct dx_packet *dissect_fixture(void)
{
	struct dx_packet *p = calloc(1, sizeof(*p));

	p->dir = GT_DIR_OUT;
	dx_init(p, udp_frame, sizeof(udp_frame), sizeof(udp_frame), DX_LINK_ETHERNET);
	dx_dissect(p);
	return p;
}

static const struct packet_meta fixture_meta = {
	.no = 7,
	.ts_ns = 1732450000123456789ull,
	.iface = "gt0",
	.dir = GT_DIR_OUT,
};

static char *print_to_string(void (*print)(FILE *, const struct packet_meta *,
					   const struct dx_packet *),
			     const struct packet_meta *m, const struct dx_packet *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	print(f, m, p);
	fclose(f);
	return buf;
}

static const char *json_str(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

TEST(output_json_line_top_level)
{
	struct dx_packet *p = dissect_fixture();
	char *line = print_to_string(packet_print_json, &fixture_meta, p);
	cJSON *obj = cJSON_Parse(line);

	CHECK(obj);
	CHECK_INT(cJSON_GetObjectItem(obj, "no")->valueint, 7);
	/* seconds.micro written as text: no floating-point noise */
	CHECK(strstr(line, "\"ts\":1732450000.123456,"));
	CHECK_STR(json_str(obj, "iface"), "gt0");
	CHECK_STR(json_str(obj, "dir"), "out");
	CHECK_INT(cJSON_GetObjectItem(obj, "len")->valueint, sizeof(udp_frame));
	CHECK_INT(cJSON_GetObjectItem(obj, "caplen")->valueint, sizeof(udp_frame));
	CHECK(json_str(obj, "proto"));
	/* the Protocol column, lower case */
	for (const char *c = json_str(obj, "proto"); *c; c++)
		CHECK(!(*c >= 'A' && *c <= 'Z'));
	CHECK_STR(json_str(obj, "info"), p->info);
	CHECK(line[strlen(line) - 1] == '\n');
	CHECK(!strchr(line, '\n') || strchr(line, '\n') == line + strlen(line) - 1);
	cJSON_Delete(obj);
	free(line);
	free(p);
}

TEST(output_json_layers_use_wireshark_names)
{
	struct dx_packet *p = dissect_fixture();
	cJSON *obj = packet_to_json(&fixture_meta, p);
	const cJSON *layers = cJSON_GetObjectItem(obj, "layers");
	const cJSON *eth = cJSON_GetObjectItem(layers, "eth");
	const cJSON *ip = cJSON_GetObjectItem(layers, "ip");
	const cJSON *udp = cJSON_GetObjectItem(layers, "udp");
	const cJSON *ports;

	CHECK(eth && ip && udp);
	CHECK_STR(json_str(eth, "eth.src"), "02:00:00:00:00:01");
	CHECK_STR(json_str(eth, "eth.dst"), "02:00:00:00:00:02");
	CHECK_STR(json_str(ip, "ip.src"), "10.200.0.1");
	CHECK_STR(json_str(ip, "ip.dst"), "10.200.0.2");
	CHECK_STR(json_str(udp, "udp.srcport"), "40000");
	CHECK_STR(json_str(udp, "udp.dstport"), "7000");
	/* a field that occurs twice is an array, in tree order */
	ports = cJSON_GetObjectItem(udp, "udp.port");
	CHECK(cJSON_IsArray(ports));
	CHECK_INT(cJSON_GetArraySize(ports), 2);
	CHECK_STR(cJSON_GetArrayItem(ports, 0)->valuestring, "40000");
	CHECK_STR(cJSON_GetArrayItem(ports, 1)->valuestring, "7000");
	/* layers keep the order of the frame */
	{
		const char *order[8];
		int n = 0;
		const cJSON *l;

		cJSON_ArrayForEach(l, layers)
			if (n < 8 && (!strcmp(l->string, "eth") || !strcmp(l->string, "ip") ||
				      !strcmp(l->string, "udp")))
				order[n++] = l->string;
		CHECK_INT(n, 3);
		CHECK_STR(order[0], "eth");
		CHECK_STR(order[1], "ip");
		CHECK_STR(order[2], "udp");
	}
	cJSON_Delete(obj);
	free(p);
}

TEST(output_json_without_iface_or_direction)
{
	struct dx_packet *p = dissect_fixture();
	struct packet_meta m = { .no = 1, .ts_ns = 5000, .iface = NULL, .dir = DX_DIR_UNKNOWN };
	cJSON *obj = packet_to_json(&m, p);
	char *text = cJSON_PrintUnformatted(obj);

	CHECK(!cJSON_GetObjectItem(obj, "iface"));
	CHECK(!cJSON_GetObjectItem(obj, "dir"));
	CHECK(strstr(text, "\"ts\":0.000005,"));
	cJSON_free(text);
	cJSON_Delete(obj);
	free(p);
}

TEST(output_text_line)
{
	struct dx_packet *p = dissect_fixture();
	char *line, want[512];

	setenv("TZ", "UTC", 1);
	tzset();
	line = print_to_string(packet_print_line, &fixture_meta, p);
	snprintf(want, sizeof(want),
		 "12:06:40.123456 gt0 out IP 10.200.0.1.40000 > 10.200.0.2.7000: %s %s, length %zu\n",
		 p->protocol, p->info, sizeof(udp_frame));
	CHECK_STR(line, want);
	free(line);
	free(p);
}

TEST(output_text_line_truncated_frame)
{
	struct dx_packet *p = calloc(1, sizeof(*p));
	char *line;

	/* 20 bytes captured of a 1514-byte frame: the length is the wire length */
	p->dir = GT_DIR_IN;
	dx_init(p, udp_frame, 20, 1514, DX_LINK_ETHERNET);
	dx_dissect(p);
	line = print_to_string(packet_print_line, &fixture_meta, p);
	CHECK(strstr(line, " gt0 out "));
	CHECK(strstr(line, ", length 1514\n"));
	free(line);
	free(p);
}

TEST(output_tree_offsets_for_the_hex_view)
{
	struct dx_packet *p = dissect_fixture();
	cJSON *tree = packet_tree_to_json(p), *layer, *field, *found = NULL;

	CHECK(cJSON_IsArray(tree));
	/* every top-level node is a layer; find ip.src among ip's children */
	cJSON_ArrayForEach(layer, tree) {
		CHECK(cJSON_GetObjectItem(layer, "name"));
		CHECK(cJSON_IsArray(cJSON_GetObjectItem(layer, "children")));
		if (strcmp(json_str(layer, "name"), "ip"))
			continue;
		cJSON_ArrayForEach(field, cJSON_GetObjectItem(layer, "children"))
			if (!strcmp(json_str(field, "name"), "ip.src"))
				found = field;
	}
	CHECK(found);
	CHECK_STR(json_str(found, "value"), "10.200.0.1");
	CHECK_INT(cJSON_GetObjectItem(found, "off")->valueint, 26);
	CHECK_INT(cJSON_GetObjectItem(found, "len")->valueint, 4);
	CHECK_STR(json_str(found, "kind"), "field");
	cJSON_Delete(tree);
	free(p);
}

/* Trees built by hand: the shapes a dissector may leave. */
static struct dx_packet *hand_tree(void)
{
	static const uint8_t frame[64];
	struct dx_packet *p = calloc(1, sizeof(*p));

	dx_init(p, frame, sizeof(frame), sizeof(frame), DX_LINK_ETHERNET);
	return p;
}

TEST(output_json_repeated_layer_merges_into_arrays)
{
	struct dx_packet *p = hand_tree();
	struct packet_meta m = { .no = 1, .dir = GT_DIR_IN };
	const cJSON *ip, *src;
	cJSON *obj;

	/* IP in IP: two "ip" layers */
	dx_proto(p, "ip", 0, 20, "outer");
	dx_push(p);
	dx_field(p, "ip.src", 12, 4, "10.0.0.1");
	dx_pop(p);
	dx_proto(p, "ip", 20, 20, "inner");
	dx_push(p);
	dx_field(p, "ip.src", 32, 4, "192.168.0.1");
	dx_text(p, 20, 1, "a line without a field name");
	dx_pop(p);
	obj = packet_to_json(&m, p);
	ip = cJSON_GetObjectItem(cJSON_GetObjectItem(obj, "layers"), "ip");
	src = cJSON_GetObjectItem(ip, "ip.src");
	CHECK(cJSON_IsArray(src));
	CHECK_STR(cJSON_GetArrayItem(src, 0)->valuestring, "10.0.0.1");
	CHECK_STR(cJSON_GetArrayItem(src, 1)->valuestring, "192.168.0.1");
	CHECK_INT(cJSON_GetArraySize(ip), 1); /* the text line is not a field */
	CHECK_STR(json_str(obj, "proto"), "data");
	cJSON_Delete(obj);
	free(p);
}

TEST(output_json_nested_subtree_flattened)
{
	struct dx_packet *p = hand_tree();
	struct packet_meta m = { .no = 1, .dir = GT_DIR_IN };
	const cJSON *dns;
	cJSON *obj;

	dx_proto(p, "dns", 0, 30, "Domain Name System");
	dx_push(p);
	dx_text(p, 12, 10, "Queries");
	dx_push(p);
	dx_field(p, "dns.qry.name", 12, 8, "a.example");
	dx_field(p, "dns.qry.name", 20, 8, "b.example");
	dx_pop(p);
	dx_field(p, "dns.flags.response", 2, 2, "0");
	dx_pop(p);
	obj = packet_to_json(&m, p);
	dns = cJSON_GetObjectItem(cJSON_GetObjectItem(obj, "layers"), "dns");
	CHECK(cJSON_IsArray(cJSON_GetObjectItem(dns, "dns.qry.name")));
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(dns, "dns.qry.name")), 2);
	CHECK_STR(json_str(dns, "dns.flags.response"), "0");
	cJSON_Delete(obj);
	free(p);
}

TEST(output_tree_depth_jump_hangs_under_last_node)
{
	struct dx_packet *p = hand_tree();
	cJSON *tree, *eth, *child;

	dx_proto(p, "eth", 0, 14, "Ethernet II");
	p->depth = 3; /* a dissector that pushed three times */
	dx_field(p, "eth.src", 6, 6, "02:00:00:00:00:01");
	p->depth = 0;
	dx_proto(p, "ip", 14, 20, "Internet Protocol");
	tree = packet_tree_to_json(p);
	CHECK_INT(cJSON_GetArraySize(tree), 2);
	eth = cJSON_GetArrayItem(tree, 0);
	child = cJSON_GetArrayItem(cJSON_GetObjectItem(eth, "children"), 0);
	CHECK(child);
	CHECK_STR(json_str(child, "name"), "eth.src");
	CHECK_STR(json_str(cJSON_GetArrayItem(tree, 1), "name"), "ip");
	cJSON_Delete(tree);
	free(p);
}

TEST(output_empty_tree)
{
	struct dx_packet *p = hand_tree();
	struct packet_meta m = { .no = 1, .dir = GT_DIR_OUT };
	cJSON *tree = packet_tree_to_json(p), *obj = packet_to_json(&m, p);

	CHECK(cJSON_IsArray(tree));
	CHECK_INT(cJSON_GetArraySize(tree), 0);
	CHECK(cJSON_IsObject(cJSON_GetObjectItem(obj, "layers")));
	cJSON_Delete(tree);
	cJSON_Delete(obj);
	free(p);
}
