/* SPDX-License-Identifier: MIT */
/* CHECK, CHECK_OK and CHECK_ERROR for the C tests: a failed condition is reported with its line and
 * counted; the test goes on, and main() returns non-zero when `failures` is not zero. */
#ifndef DOWNLINE_TEST_CHECK_H
#define DOWNLINE_TEST_CHECK_H

#include <downline/downline.h>

#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* `call` returns DOWNLINE_OK (else its status and message are reported). */
#define CHECK_OK(call)                                                                             \
  do {                                                                                             \
    downline_status check_status_ = (call);                                                        \
    if (check_status_ != DOWNLINE_OK) {                                                            \
      fprintf(stderr, "%s:%d: %s returned %s: %s\n", __FILE__, __LINE__, #call,                    \
              downline_status_name(check_status_), downline_last_error_message());                 \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

/* `call` returns `status` and the last error message contains `text`. */
#define CHECK_ERROR(call, status, text)                                                                       \
  do {                                                                                                        \
    downline_status s_ = (call);                                                                              \
    const char* m_ = downline_last_error_message();                                                           \
    if (s_ != (status) || !strstr(m_, (text))) {                                                              \
      fprintf(stderr, "%s:%d: %s returned %s \"%s\", expected %s \"...%s...\"\n", __FILE__, __LINE__, #call,  \
              downline_status_name(s_), m_, #status, (text));                                                 \
      ++failures;                                                                                             \
    }                                                                                                         \
  } while (0)

#endif
