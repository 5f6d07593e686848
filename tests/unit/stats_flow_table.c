// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The accounting pieces without a kernel: the flow table's merge (rates,
 * carried export marks, LRU evictions and idle retirement reported once),
 * sorting, the TCP state hint, the application by port, the bandwidth ring
 * (bounded, exact sums across late ticks), the analysis reports, the
 * Prometheus exposition's form, the IPFIX destination and the configuration.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/runner.h"
#include "export/ipfix.h"
#include "export/metrics.h"
#include "stats/account.h"
#include "stats/app.h"
#include "stats/bandwidth.h"
#include "stats/flow_table.h"
#include "stats/report.h"

#define SEC 1000000000ull

static struct flow_stat flow(uint8_t last_octet, uint16_t sport, uint16_t dport, uint8_t proto,
			     uint64_t bytes_ab, uint64_t bytes_ba, uint64_t last_seen)
{
	struct flow_stat f = {};

	f.key.family = GT_AF_INET;
	f.key.proto = proto;
	f.key.ifindex = 2;
	f.key.addr_a[0] = 10, f.key.addr_a[3] = 1;
	f.key.addr_b[0] = 10, f.key.addr_b[3] = last_octet;
	f.key.port_a = htons(sport);
	f.key.port_b = htons(dport);
	f.val.bytes[0] = bytes_ab, f.val.bytes[1] = bytes_ba;
	f.val.packets[0] = bytes_ab / 100, f.val.packets[1] = bytes_ba / 100;
	f.val.first_seen_ns = SEC;
	f.val.last_seen_ns = last_seen;
	return f;
}

/* A snapshot as the kernel map would give it, sorted as the table wants. */
static struct flow_stat *snapshot(const struct flow_stat *v, size_t n)
{
	struct flow_stat *s = malloc(n * sizeof(*s));

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), flow_key_cmp);
	return s;
}

struct ended {
	int n;
	enum flow_end_reason why[8];
	uint16_t dport[8];
};

static void on_end(void *user, const struct flow_stat *f, enum flow_end_reason why)
{
	struct ended *e = user;

	if (e->n < 8) {
		e->why[e->n] = why;
		e->dport[e->n] = ntohs(f->key.port_b);
	}
	e->n++;
}

static const struct flow_stat *find(const struct flow_table *t, uint16_t dport)
{
	for (size_t i = 0; i < t->n; i++)
		if (ntohs(t->v[i].key.port_b) == dport)
			return &t->v[i];
	return NULL;
}

TEST(stats_flow_table_rates_and_endings)
{
	struct flow_stat first[] = {
		flow(2, 40000, 80, 6, 1000, 500, 10 * SEC),
		flow(3, 40001, 443, 6, 2000, 0, 10 * SEC),
		flow(4, 40002, 53, 17, 300, 300, 10 * SEC),
	};
	struct flow_stat second[] = {
		flow(2, 40000, 80, 6, 4000, 1500, 12 * SEC),	/* +4000 bytes in 2 s */
		flow(3, 40001, 443, 6, 2000, 0, 10 * SEC),	/* idle since 10 s */
		/* port 53 gone: evicted by the LRU */
	};
	struct flow_table t;
	struct ended e = {};
	const struct flow_stat *f;

	flow_table_init(&t, 3 * SEC, on_end, &e);
	flow_table_merge(&t, snapshot(first, 3), 3, 11 * SEC, NULL);
	CHECK_INT(t.n, 3);
	CHECK_INT(e.n, 0);
	f = find(&t, 80);
	CHECK(f && f->bytes_per_s == 0);	/* no earlier read: no rate yet */
	CHECK_STR(f->app, "HTTP");
	CHECK(!f->encrypted);
	CHECK(find(&t, 443)->encrypted);
	CHECK_STR(find(&t, 443)->app, "TLS");
	CHECK_STR(find(&t, 53)->app, "DNS");

	/* the flow on 80 carries its export marks over */
	((struct flow_stat *)find(&t, 80))->exported_bytes[0] = 1000;
	flow_table_merge(&t, snapshot(second, 2), 2, 13 * SEC, NULL);
	CHECK_INT(t.n, 1);
	f = find(&t, 80);
	CHECK(f != NULL);
	CHECK_INT((long long)f->bytes_per_s, 2000);
	CHECK_INT(f->exported_bytes[0], 1000);
	CHECK_INT(e.n, 2);
	/* 53 left the map between two reads; 443 was idle 3 s */
	CHECK(e.why[0] == FLOW_END_EVICTED || e.why[1] == FLOW_END_EVICTED);
	CHECK(e.why[0] == FLOW_END_IDLE || e.why[1] == FLOW_END_IDLE);
	CHECK_INT(e.dport[0] + e.dport[1], 53 + 443);
	CHECK_INT(t.retired, 1);
	CHECK_INT(t.evicted, 1);
	flow_table_flush(&t);
	CHECK_INT(e.n, 3);
	CHECK(e.why[2] == FLOW_END_FINAL);
	CHECK_INT(t.n, 0);
}

TEST(stats_flow_table_reused_key_restarts)
{
	struct flow_stat a = flow(2, 1, 2, 17, 5000, 0, 5 * SEC);
	struct flow_stat b = flow(2, 1, 2, 17, 100, 0, 6 * SEC);	/* counters went back */
	struct flow_table t;

	flow_table_init(&t, 0, NULL, NULL);
	flow_table_merge(&t, snapshot(&a, 1), 1, 5 * SEC, NULL);
	t.v[0].exported_bytes[0] = 5000;
	flow_table_merge(&t, snapshot(&b, 1), 1, 6 * SEC, NULL);
	CHECK_INT(t.n, 1);
	CHECK_INT(t.v[0].exported_bytes[0], 0);	/* a new flow: nothing exported yet */
	CHECK_INT((long long)t.v[0].bytes_per_s, 100);
	flow_table_free(&t);
}

TEST(stats_flow_sort_and_tcp_state)
{
	struct flow_stat v[] = {
		flow(2, 1, 1000, 6, 100, 0, SEC), flow(3, 1, 1001, 6, 900, 0, SEC),
		flow(4, 1, 1002, 6, 500, 0, SEC),
	};
	struct flow_table t;
	const struct flow_stat **s;
	enum flow_sort by;
	size_t n;

	flow_table_init(&t, 0, NULL, NULL);
	flow_table_merge(&t, snapshot(v, 3), 3, SEC, NULL);
	t.v[0].bytes_per_s = 10, t.v[1].bytes_per_s = 30, t.v[2].bytes_per_s = 20;
	s = flow_table_sorted(&t, FLOW_SORT_BYTES, &n);
	CHECK_INT(n, 3);
	CHECK_INT(ntohs(s[0]->key.port_b), 1001);
	CHECK_INT(ntohs(s[2]->key.port_b), 1000);
	free(s);
	s = flow_table_sorted(&t, FLOW_SORT_RATE, &n);
	CHECK(s[0]->bytes_per_s == 30 && s[2]->bytes_per_s == 10);
	free(s);
	CHECK(flow_sort_parse("rate", &by) == 0 && by == FLOW_SORT_RATE);
	CHECK(flow_sort_parse("size", &by) != 0);

	t.v[0].val.tcp_flags = 0x02;
	CHECK_STR(flow_tcp_state(&t.v[0]), "syn_sent");
	t.v[0].val.tcp_flags = 0x12;
	CHECK_STR(flow_tcp_state(&t.v[0]), "established");
	t.v[0].val.tcp_flags = 0x13;
	CHECK_STR(flow_tcp_state(&t.v[0]), "closing");
	t.v[0].val.tcp_flags = 0x16;
	CHECK_STR(flow_tcp_state(&t.v[0]), "reset");
	flow_table_free(&t);
}

TEST(stats_app_by_port)
{
	struct flow_stat f = flow(2, 51000, 22, 6, 1, 1, SEC);
	struct app_guess g = app_by_port(&f.key);

	CHECK_STR(g.name, "SSH");
	CHECK(g.encrypted);
	f = flow(2, 443, 52000, 17, 1, 1, SEC);	/* the service on side a */
	CHECK_STR(app_by_port(&f.key).name, "QUIC");
	f = flow(2, 40000, 40001, 17, 1, 1, SEC);
	CHECK_STR(app_by_port(&f.key).name, "udp");
	f = flow(2, 0, 0, 1, 1, 1, SEC);
	CHECK_STR(app_by_port(&f.key).name, "icmp");
	/* what the packets said wins over the port */
	f = flow(2, 40000, 8443, 6, 1, 1, SEC);
	app_note(gt_flow_hash(&f.key), "HTTP", false);
	CHECK_STR(app_of(&f.key).name, "HTTP");
}

TEST(stats_bandwidth_ring)
{
	static struct bw_history h;
	struct gt_if_counters c = {};
	uint64_t sum = 0;

	bw_init(&h, 2);
	bw_record(&h, &c, 100 * SEC);		/* primes */
	CHECK_INT(h.count, 0);
	c.dir[GT_DIR_OUT].bytes = 1000;
	bw_record(&h, &c, 101 * SEC);
	CHECK_INT(h.count, 1);
	CHECK_INT(bw_recent(&h, GT_DIR_OUT, 0)->bytes, 1000);
	c.dir[GT_DIR_OUT].bytes = 1000 + 1001;	/* a tick 3 s late: spread, sum exact */
	bw_record(&h, &c, 104 * SEC);
	CHECK_INT(h.count, 4);
	for (uint32_t i = 0; i < 3; i++)
		sum += bw_recent(&h, GT_DIR_OUT, i)->bytes;
	CHECK_INT(sum, 1001);
	CHECK(bw_recent(&h, GT_DIR_OUT, 4) == NULL);
	/* two hours: still 3600 samples, the latest last */
	for (int s = 0; s < 7200; s++) {
		c.dir[GT_DIR_IN].bytes += (uint64_t)s;
		bw_record(&h, &c, (105 + (uint64_t)s) * SEC);
	}
	CHECK_INT(h.count, BW_SAMPLES);
	CHECK_INT(bw_recent(&h, GT_DIR_IN, 0)->bytes, 7199);
	CHECK_INT(bw_recent(&h, GT_DIR_IN, BW_SAMPLES - 1)->bytes, 7200 - BW_SAMPLES);
}

TEST(stats_reports)
{
	struct flow_stat v[] = {
		flow(2, 40000, 80, 6, 1000, 3000, SEC),
		flow(3, 40001, 443, 6, 500, 1500, SEC),
		flow(2, 40002, 53, 17, 100, 200, SEC),
	};
	struct flow_table t;
	cJSON *r, *c;

	flow_table_init(&t, 0, NULL, NULL);
	flow_table_merge(&t, snapshot(v, 3), 3, SEC, NULL);
	CHECK_INT(flows_active(&t, 2), 3);
	CHECK_INT(flows_active(&t, 7), 0);
	r = talkers_report(&t, 0, 10);
	c = cJSON_GetArrayItem(r, 0);	/* 10.0.0.1 is in all three */
	CHECK_STR(cJSON_GetObjectItem(c, "addr")->valuestring, "10.0.0.1");
	CHECK_INT(cJSON_GetObjectItem(c, "tx_bytes")->valuedouble, 1600);
	CHECK_INT(cJSON_GetObjectItem(c, "rx_bytes")->valuedouble, 4700);
	CHECK_INT(cJSON_GetObjectItem(c, "flows")->valuedouble, 3);
	CHECK_INT(cJSON_GetArraySize(r), 3);
	cJSON_Delete(r);
	r = encrypted_share(&t, 0);
	CHECK_INT(cJSON_GetObjectItem(r, "encrypted_bytes")->valuedouble, 2000);
	CHECK_INT(cJSON_GetObjectItem(r, "plaintext_bytes")->valuedouble, 4300);
	cJSON_Delete(r);
	r = protocol_hierarchy(&t, 0);
	c = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "children"), 0);
	CHECK_STR(cJSON_GetObjectItem(c, "name")->valuestring, "ipv4");
	c = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "children"), 0);
	CHECK_STR(cJSON_GetObjectItem(c, "name")->valuestring, "tcp");
	CHECK_INT(cJSON_GetObjectItem(c, "bytes")->valuedouble, 6000);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(c, "children")), 2);
	cJSON_Delete(r);
	flow_table_free(&t);
}

TEST(stats_metrics_form)
{
	struct metrics_source src = { .userspace_drops = 7 };
	char *text = metrics_render(&src);

	CHECK(text != NULL);
	CHECK(strstr(text, "# HELP gotracer_userspace_drops_total ") != NULL);
	CHECK(strstr(text, "# TYPE gotracer_userspace_drops_total counter\n") != NULL);
	CHECK(strstr(text, "\ngotracer_userspace_drops_total 7\n") != NULL);
	CHECK(strstr(text, "# TYPE gotracer_flows_active gauge\ngotracer_flows_active 0\n") != NULL);
	CHECK(strstr(text, "gotracer_build_info{version=\"") != NULL);
	CHECK(text[strlen(text) - 1] == '\n');
	free(text);
}

TEST(stats_ipfix_destination)
{
	char host[64], port[8];

	CHECK(ipfix_parse_dest("127.0.0.1:4739", host, sizeof(host), port, sizeof(port)) == 0);
	CHECK_STR(host, "127.0.0.1");
	CHECK_STR(port, "4739");
	CHECK(ipfix_parse_dest("[::1]:2055", host, sizeof(host), port, sizeof(port)) == 0);
	CHECK_STR(host, "::1");
	CHECK(ipfix_parse_dest("collector", host, sizeof(host), port, sizeof(port)) != 0);
	CHECK(ipfix_parse_dest("h:0", host, sizeof(host), port, sizeof(port)) != 0);
	CHECK(ipfix_parse_dest("h:70000", host, sizeof(host), port, sizeof(port)) != 0);
	CHECK(ipfix_parse_dest(":4739", host, sizeof(host), port, sizeof(port)) != 0);
	CHECK(ipfix_parse_dest("h:47a", host, sizeof(host), port, sizeof(port)) != 0);
}

TEST(stats_account_config)
{
	char path[] = "/tmp/gt-acct-conf.XXXXXX", names[4][16], filter[64];
	int fd = mkstemp(path), n;
	FILE *f = fdopen(fd, "w");

	fputs("# accounting\ninterface eth1\n\n  interface  br0  \nfilter tcp port 80\n", f);
	fclose(f);
	CHECK(account_read_config(path, names, 4, &n, filter, sizeof(filter)) == 0);
	CHECK_INT(n, 2);
	CHECK_STR(names[0], "eth1");
	CHECK_STR(names[1], "br0");
	CHECK_STR(filter, "tcp port 80");
	f = fopen(path, "w");
	fputs("interfaces eth1\n", f);
	fclose(f);
	CHECK(account_read_config(path, names, 4, &n, filter, sizeof(filter)) != 0);
	unlink(path);
}
