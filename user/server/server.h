/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The live server behind `gotracer serve`: captures on the chosen interfaces,
 * keeps recent packets in the packet store, and serves the web UI, the /ws
 * JSON protocol (docs/protocol.md) and the pcapng download on one port.
 */
#ifndef GT_SERVER_H
#define GT_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/engine.h"

#define SERVER_MAX_ORIGINS 8
#define SERVER_TOKEN_MAX 128

struct server_opts {
	char listen_addr[64];	/* "127.0.0.1", "::1", "10.0.0.1" */
	uint16_t port;
	const char *ifaces[ENGINE_MAX_IFACES];
	int n_ifaces;
	const char *filter;	/* initial pcap-filter expression, or NULL */
	bool account;
	uint32_t snaplen;	/* 0: GT_SNAPLEN_DEFAULT */
	const char *token;	/* NULL: generated when the listener is not loopback */
	const char *origins[SERVER_MAX_ORIGINS];
	int n_origins;
	const char *web_root;
	size_t store_bytes;
	size_t client_queue_bytes;
	enum engine_hook hook;
	const char *ipfix;	/* HOST:PORT: export flows over IPFIX (user/export/ipfix.h) */
	uint64_t idle_timeout_ns;	/* with ipfix: flows idle this long are retired and exported */
	uint64_t active_timeout_ns;	/* with ipfix: long flows are exported this often */
};

/* Run until SIGINT/SIGTERM. Returns the process exit status (0, 1 runtime, 2 usage). */
int server_run(const struct server_opts *opts);

#endif /* GT_SERVER_H */
