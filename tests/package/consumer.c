/* SPDX-License-Identifier: MIT */
/* Runs plan, network and sales files through the installed C API and prints payouts.csv. */
#include <downline/downline.h>

#include <stdio.h>
#include <stdlib.h>

static void check(downline_status status) {
  if (status == DOWNLINE_OK) return;
  fprintf(stderr, "consumer_c: %s: %s\n", downline_status_name(status), downline_last_error_message());
  exit(1);
}

int main(int argc, char** argv) {
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_result* res = NULL;
  size_t needed = 0;
  char* csv;
  if (argc != 4) {
    fprintf(stderr, "usage: consumer_c PLAN NETWORK SALES\n");
    return 2;
  }
  check(downline_plan_from_file(&plan, argv[1]));
  check(downline_network_from_csv(&net, argv[2]));
  check(downline_ledger_from_csv(&sales, net, argv[3]));
  check(downline_run(&res, plan, net, sales, NULL));
  if (downline_result_payouts_csv(NULL, 0, &needed, res) != DOWNLINE_ERROR_BUFFER_TOO_SMALL) return 1;
  csv = malloc(needed);
  if (!csv) return 1;
  check(downline_result_payouts_csv(csv, needed, &needed, res));
  fputs(csv, stdout);
  free(csv);
  downline_result_destroy(&res);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
  return 0;
}
