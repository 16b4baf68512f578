/* SPDX-License-Identifier: MIT */
/* downline_session_*: lines and members added, estimates equal to downline_run over the same
 * lines (by hand below), bad adds adding nothing. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "downline/downline.h"

static const char* const plan_json =
    "{\"name\": \"s\", \"money_decimals\": 2, \"qualification\": {\"active_pv\": \"50\"},"
    " \"bonuses\": [{\"name\": \"level\", \"type\": \"unilevel\", \"compression\": \"dynamic\","
    " \"rates\": [\"10%\", \"5%\"]}]}";

/* The member's total payout in the result, 0 when none. */
static int64_t total_of(const downline_result* res, const char* id) {
  int64_t amount = -1;
  if (downline_result_amount(&amount, res, id, NULL) != DOWNLINE_OK) return -1;
  return amount;
}

int main(void) {
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_session* s = NULL;
  downline_result* res = NULL;
  const char* ids[] = {"R", "A", "B", "C"};
  const char* sponsors[] = {"", "R", "A", "B"};
  CHECK(downline_plan_from_json(&plan, plan_json, "plan") == DOWNLINE_OK);
  CHECK(downline_network_from_arrays(&net, 4, ids, sponsors, NULL, NULL, NULL) == DOWNLINE_OK);
  CHECK(downline_session_create(&s, plan, net, NULL, NULL) == DOWNLINE_OK);

  /* C buys 100.00 (active); B 60.00 (active); R 50.00 (active); A inactive, compressed away. */
  const char* buyers[] = {"C", "B", "R"};
  const int64_t cents[] = {10000, 6000, 5000};
  CHECK(downline_session_add_sales(s, 3, buyers, cents, 2, NULL, 0, NULL, NULL, NULL) == DOWNLINE_OK);
  CHECK(downline_session_line_count(s) == 3);
  /* Everyone: B earns 10% of C's 100 = 10.00; R earns 5% of C's (level 2) + 10% of B's 60 = 11.00. */
  CHECK(downline_session_estimate(&res, s, NULL, 0) == DOWNLINE_OK);
  CHECK(total_of(res, "B") == 1000);
  CHECK(total_of(res, "R") == 1100);
  CHECK(downline_result_member_count(res) == 4);
  downline_result_destroy(&res);

  /* One member, with its explanation lines: C's line at level 2, then B's at level 1. */
  CHECK(downline_session_estimate(&res, s, "R", 1) == DOWNLINE_OK);
  CHECK(downline_result_payout_count(res) == 1);
  CHECK(total_of(res, "R") == 1100);
  CHECK(downline_result_member_count(res) == 0);
  CHECK(downline_result_line_count(res) == 2);
  downline_line line;
  CHECK(downline_result_line(&line, res, 0) == DOWNLINE_OK);
  CHECK(strcmp(line.source_member_id, "C") == 0 && line.level == 2 && strcmp(line.amount, "5") == 0);
  CHECK(downline_result_line(&line, res, 1) == DOWNLINE_OK);
  CHECK(strcmp(line.source_member_id, "B") == 0 && line.level == 1 && strcmp(line.amount, "6") == 0);
  downline_result_destroy(&res);

  /* A new member D under C buys 80.00: C (active) earns 8.00, B 4.00 at level 2. */
  const char* new_ids[] = {"D"};
  const char* new_sponsors[] = {"C"};
  CHECK(downline_session_add_members(s, 1, new_ids, new_sponsors, NULL, NULL, NULL, NULL) == DOWNLINE_OK);
  CHECK(downline_session_member_count(s) == 5);
  const char* d[] = {"D"};
  const int64_t eighty[] = {8000};
  CHECK(downline_session_add_sales(s, 1, d, eighty, 2, NULL, 0, NULL, NULL, NULL) == DOWNLINE_OK);
  CHECK(downline_session_estimate(&res, s, "B", 0) == DOWNLINE_OK);
  CHECK(total_of(res, "B") == 1400);
  downline_result_destroy(&res);

  /* Bad adds: named like the array constructors, nothing added. */
  const char* unknown[] = {"C", "Z"};
  const int64_t two[] = {100, 100};
  CHECK(downline_session_add_sales(s, 2, unknown, two, 2, NULL, 0, NULL, NULL, NULL) == DOWNLINE_ERROR_INPUT);
  CHECK(strcmp(downline_last_error_message(), "sales row 1: sale for a member who is not in the network 'Z'") == 0);
  const int64_t fine[] = {1};
  CHECK(downline_session_add_sales(s, 1, d, fine, 3, NULL, 0, NULL, NULL, NULL) == DOWNLINE_ERROR_INPUT);
  CHECK(strcmp(downline_last_error_message(),
               "sales row 0: amount has more decimals than the plan's money_decimals (2) '0.001'") == 0);
  const char* again[] = {"A"};
  CHECK(downline_session_add_members(s, 1, again, new_sponsors, NULL, NULL, NULL, NULL) == DOWNLINE_ERROR_NETWORK);
  CHECK(strcmp(downline_last_error_message(), "network row 0: duplicate id (already in the network) 'A'") == 0);
  CHECK(downline_session_line_count(s) == 4);
  CHECK(downline_session_member_count(s) == 5);
  CHECK(downline_session_estimate(&res, s, "nobody", 0) == DOWNLINE_ERROR_NOT_FOUND);
  CHECK(res == NULL);

  /* A result outlives its session. */
  CHECK(downline_session_estimate(&res, s, NULL, 1) == DOWNLINE_OK);
  downline_session_destroy(&s);
  CHECK(s == NULL);
  CHECK(total_of(res, "C") == 800);
  downline_result_destroy(&res);
  downline_session_destroy(&s);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
  if (failures) fprintf(stderr, "%d failures\n", failures);
  return failures != 0;
}
