/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* MAC vendor registries: the pieces of oui.c that tests reach directly. */
#ifndef GT_SCAN_OUI_H
#define GT_SCAN_OUI_H

#include <stddef.h>

/*
 * Splits one CSV record (RFC 4180: quoted fields may hold commas and "" quotes)
 * into at most max fields, written NUL-terminated into buf. Returns the number
 * of fields, or -1 when the record is malformed (an unterminated quote).
 */
int csv_split(const char *line, char *buf, size_t buf_len, char **fields, int max);

/* Loads one ieee-data CSV file (MA-L, MA-M, MA-S or IAB); returns entries added or -1. */
int oui_load_file(const char *path);
/* Forgets every loaded registry (tests). */
void oui_reset(void);

#endif /* GT_SCAN_OUI_H */
