/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A small C test runner. Each test is a function registered by TEST(); the
 * binary runs them all (or those whose name contains argv[1]) and ends with the
 * line "SUITE: N passed, N failed, N skipped" that CI reads.
 *
 *   TEST(ipv4_header) { CHECK(x == 1); CHECK_STR(dx_value(...), "10.0.0.1"); }
 */
#ifndef GT_TEST_RUNNER_H
#define GT_TEST_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

void test_register(const char *name, void (*fn)(void));
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void test_skip(const char *reason);
/* Directory of the source tree, for fixtures: tests/... paths are relative to it. */
const char *test_source_root(void);

#define TEST(name)                                                               \
	static void test_##name(void);                                           \
	__attribute__((constructor)) static void register_##name(void)           \
	{                                                                        \
		test_register(#name, test_##name);                               \
	}                                                                        \
	static void test_##name(void)

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			test_fail(__FILE__, __LINE__, "%s", #cond);              \
			return;                                                  \
		}                                                                \
	} while (0)

#define CHECK_INT(a, b)                                                          \
	do {                                                                     \
		long long _a = (long long)(a), _b = (long long)(b);              \
		if (_a != _b) {                                                  \
			test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", \
				  #a, _a, _b);                                   \
			return;                                                  \
		}                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                          \
	do {                                                                     \
		const char *_a = (a), *_b = (b);                                 \
		if (!_a || !_b || strcmp(_a, _b)) {                              \
			test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", \
				  #a, _a ? _a : "(null)", _b ? _b : "(null)");   \
			return;                                                  \
		}                                                                \
	} while (0)

#define SKIP(reason)                                                             \
	do {                                                                     \
		test_skip(reason);                                               \
		return;                                                          \
	} while (0)

#endif /* GT_TEST_RUNNER_H */
