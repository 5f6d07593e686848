// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Entry point of dissection: the link-type table. */
#include "dissect.h"

void dx_dissect(struct dx_packet *p)
{
	dx_proto(p, "frame", 0, p->caplen, "Frame: %u bytes on wire, %u bytes captured",
		 p->wirelen, p->caplen);
	p->protocol = "DATA";
}
