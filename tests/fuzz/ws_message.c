// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* libFuzzer harness: the parser of browser -> server WebSocket messages. */
#include <stddef.h>
#include <stdint.h>

#include "server/ws_message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_request req;
	char err[256];

	ws_parse((const char *)data, size, &req, err, sizeof(err));
	ws_request_free(&req);
	return 0;
}
