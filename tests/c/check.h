/* SPDX-License-Identifier: MIT */
/* CHECK for the C tests: a failed condition is reported with its line and counted; the test
 * goes on, and main() returns non-zero when `failures` is not zero. */
#ifndef DOWNLINE_TEST_CHECK_H
#define DOWNLINE_TEST_CHECK_H

#include <stdio.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#endif
