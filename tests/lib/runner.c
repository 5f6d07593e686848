// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The runner behind tests/lib/runner.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define MAX_TESTS 4096

struct test_case {
	const char *name;
	void (*fn)(void);
};

static struct test_case cases[MAX_TESTS];
static int n_cases;
static enum { RUNNING, FAILED, SKIPPED } state;

void test_register(const char *name, void (*fn)(void))
{
	if (n_cases < MAX_TESTS)
		cases[n_cases++] = (struct test_case){ name, fn };
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (state == FAILED)
		return;
	state = FAILED;
	printf("    %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void test_skip(const char *reason)
{
	state = SKIPPED;
	printf("    skipped: %s\n", reason);
}

const char *test_source_root(void)
{
	const char *env = getenv("GT_SOURCE_ROOT");

	return env ? env : GT_SOURCE_ROOT;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct test_case *)a)->name, ((const struct test_case *)b)->name);
}

int main(int argc, char **argv)
{
	const char *suite = getenv("GT_SUITE") ? getenv("GT_SUITE") : "tests";
	const char *only = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(cases, (size_t)n_cases, sizeof(cases[0]), by_name);
	for (int i = 0; i < n_cases; i++) {
		if (only && !strstr(cases[i].name, only))
			continue;
		state = RUNNING;
		cases[i].fn();
		if (state == FAILED) {
			printf("FAIL %s\n", cases[i].name);
			failed++;
		} else if (state == SKIPPED) {
			printf("skip %s\n", cases[i].name);
			skipped++;
		} else {
			printf("ok   %s\n", cases[i].name);
			passed++;
		}
	}
	printf("%s: %d passed, %d failed, %d skipped\n", suite, passed, failed, skipped);
	return failed ? 1 : 0;
}
