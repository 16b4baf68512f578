/* SPDX-License-Identifier: MIT */
/* downline.h compiles on its own as strict C11 (-std=c11 -Wall -Wextra -pedantic -Werror). */
#include <downline/downline.h>

int downline_header_alone_check(void);
int downline_header_alone_check(void) {
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  return (int)options.version + DOWNLINE_OK;
}
