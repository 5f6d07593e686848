// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A real TCP transfer over lo (in the suite's namespace, MTU 1500 so TCP builds
 * GSO super-packets), captured at TC egress and ingress with the largest snap
 * length: the payload the events carry, put end to end, is exactly what was
 * sent, which proves the copy follows a non-linear skb's page fragments; GSO
 * packets are counted at their wire length; one flow entry holds both ways.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "frames.h"
#include "gotracer.skel.h"

#define SEND_BYTES (512 * 1024)

struct tcp_capture {
	uint16_t server_port;
	uint8_t *payload;	/* the data direction, as captured at egress */
	size_t payload_len;
	int data_events, gso_events, bad_wire_len, bad_copy;
	uint64_t gso_segs;
};

/* Offsets of an IPv4/TCP frame's payload; 0 when it is not one. */
static uint32_t tcp_payload_off(const uint8_t *f, uint32_t len, uint16_t *sport, uint16_t *dport)
{
	uint32_t ihl, doff;

	if (len < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00 || f[ETH_HLEN + 9] != IPPROTO_TCP)
		return 0;
	ihl = (f[ETH_HLEN] & 0x0f) * 4;
	if (len < ETH_HLEN + ihl + 20)
		return 0;
	doff = (f[ETH_HLEN + ihl + 12] >> 4) * 4;
	*sport = (uint16_t)(f[ETH_HLEN + ihl] << 8 | f[ETH_HLEN + ihl + 1]);
	*dport = (uint16_t)(f[ETH_HLEN + ihl + 2] << 8 | f[ETH_HLEN + ihl + 3]);
	return ETH_HLEN + ihl + doff;
}

static void on_tcp_event(void *user, const struct gt_event *ev, const uint8_t *frame)
{
	struct tcp_capture *t = user;
	uint16_t sport, dport;
	uint32_t off = tcp_payload_off(frame, ev->cap_len, &sport, &dport), ip_len;

	if (!off || ev->hook != GT_HOOK_TC_OUT || dport != t->server_port)
		return;
	/* The whole packet is here: IP total length agrees with what was copied. */
	ip_len = (uint32_t)(frame[ETH_HLEN + 2] << 8 | frame[ETH_HLEN + 3]);
	if (ev->cap_len != ETH_HLEN + ip_len || ev->cap_len > GT_SNAPLEN_MAX)
		t->bad_copy++;
	if (ev->wire_len != ev->cap_len + (uint32_t)(ev->gso_segs - 1) * off)
		t->bad_wire_len++;
	if (ev->gso_segs > 1) {
		t->gso_events++;
		t->gso_segs += ev->gso_segs;
		if (!(ev->flags & GT_EV_GSO))
			t->bad_wire_len++;
	}
	if (t->payload_len + ev->cap_len - off <= SEND_BYTES) {
		memcpy(t->payload + t->payload_len, frame + off, ev->cap_len - off);
		t->payload_len += ev->cap_len - off;
	}
	t->data_events++;
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 131 + (i >> 9));
}

/* Child: accept one connection, read it all, exit 0 when the bytes were right. */
static void serve(int lsock)
{
	size_t got = 0, bad = 0;
	uint8_t buf[16384];
	int c = accept(lsock, NULL, NULL);
	ssize_t n;

	if (c < 0)
		_exit(2);
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			bad += buf[i] != pattern(got + (size_t)i);
		got += (size_t)n;
	}
	close(c);
	_exit(got == SEND_BYTES && !bad ? 0 : 1);
}

static int transfer(uint16_t *port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(addr);
	int lsock, sock, status = -1;
	uint8_t *data;
	pid_t pid;

	lsock = socket(AF_INET, SOCK_STREAM, 0);
	if (lsock < 0 || bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) || listen(lsock, 1) ||
	    getsockname(lsock, (struct sockaddr *)&addr, &alen))
		return -errno;
	*port = ntohs(addr.sin_port);
	pid = fork();
	if (pid == 0)
		serve(lsock);
	close(lsock);
	if (pid < 0)
		return -errno;
	data = malloc(SEND_BYTES);
	sock = socket(AF_INET, SOCK_STREAM, 0);
	if (data && sock >= 0 && !connect(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		size_t sent = 0;

		for (size_t i = 0; i < SEND_BYTES; i++)
			data[i] = pattern(i);
		while (sent < SEND_BYTES) {
			ssize_t n = write(sock, data + sent, SEND_BYTES - sent);

			if (n <= 0)
				break;
			sent += (size_t)n;
		}
	}
	if (sock >= 0)
		close(sock);
	free(data);
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

TEST(bpf_live_tcp_over_lo_gso_nonlinear)
{
	struct tcp_capture t = { .payload = malloc(SEND_BYTES) };
	struct bpf_tc_hook eg, in;
	bool made = false;
	struct harness_link_stats before, after;
	struct gt_dir_counters out;
	struct gt_flow_key key;
	struct gt_flow_value val;
	struct harness h;

	CHECK(t.payload != NULL);
	CHECK_INT(harness_open(&h, 0), 0);
	CHECK_INT(system("ip link set lo mtu 1500 up"), 0);
	CHECK_INT(harness_reset(&h), 0);
	CHECK_INT(harness_set_config(&h, 0, GT_SNAPLEN_MAX, 0), 0);
	h.on_event = on_tcp_event;
	h.user = &t;
	CHECK_INT(harness_tc_attach(&eg, &made, 1, BPF_TC_EGRESS,
				    bpf_program__fd(h.skel->progs.gt_tc_egress)), 0);
	CHECK_INT(harness_tc_attach(&in, &made, 1, BPF_TC_INGRESS,
				    bpf_program__fd(h.skel->progs.gt_tc_ingress)), 0);
	CHECK_INT(harness_link_stats("lo", &before), 0);
	CHECK_INT(transfer(&t.server_port), 0);
	CHECK_INT(harness_link_stats("lo", &after), 0);
	harness_tc_detach(&eg, made);
	/* Everything was written to the ring while the programs ran. */
	harness_drain(&h);

	CHECK(!h.bad_record);
	CHECK_INT(t.bad_copy, 0);
	CHECK_INT(t.bad_wire_len, 0);
	CHECK_INT(t.payload_len, SEND_BYTES);
	for (size_t i = 0; i < SEND_BYTES; i++)
		if (t.payload[i] != pattern(i)) {
			CHECK_INT(i, SEND_BYTES); /* reports the first wrong byte */
		}
	CHECK(t.gso_events > 0);
	printf("    %d data packets at egress, %d GSO carrying %llu segments\n", t.data_events,
	       t.gso_events, (unsigned long long)t.gso_segs);

	/* lo counts a GSO packet once, at skb->len: packets agree, bytes are fewer. */
	CHECK_INT(harness_dir_counters(&h, 1, GT_DIR_OUT, &out), 0);
	CHECK_INT(out.packets, after.tx_packets - before.tx_packets);
	CHECK(out.bytes > after.tx_bytes - before.tx_bytes);
	CHECK(out.gso_segs > out.packets);
	CHECK_INT(out.ring_drops, 0);

	CHECK_INT(harness_only_flow(&h, &key, &val), 1);
	CHECK(key.port_a == htons(t.server_port) || key.port_b == htons(t.server_port));
	CHECK_INT(val.tcp_flags & 0x13, 0x13); /* SYN, ACK, FIN */
	CHECK(val.packets[0] > 0 && val.packets[1] > 0);
	/* Each packet passed egress and ingress of lo: counted twice in the entry. */
	CHECK_INT(val.packets[0] + val.packets[1], 2 * out.packets);
	harness_close(&h);
	free(t.payload);
}
