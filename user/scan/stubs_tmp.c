// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Techniques not written yet; removed as each lands. */
#include <errno.h>
#include "scan.h"
#include "../util/log.h"

void scan_service_detect(struct scan_opts *o, uint32_t addr, uint16_t port) { (void)o; (void)addr; (void)port; }
