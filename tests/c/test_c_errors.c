/* SPDX-License-Identifier: MIT */
/*
 * Every error path of the C API, from strict C11: NULL arguments, bad JSON and CSV, bad
 * arrays, undersized buffers, unknown ids, indexes out of range, misuse. Each failing call
 * must return its status, leave out-parameters NULL / zero and explain itself in
 * downline_last_error_message() (naming the value in single quotes).
 *
 *   downline_test_c_errors <golden_dir> <out_prefix>
 */
#include <downline/downline.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char* plan_text =
    "{ \"name\": \"e\", \"bonuses\": [ { \"name\": \"level\", \"type\": \"unilevel\", \"rates\": [\"10%\"] } ] }";
static const char* ids[] = {"R", "A", "B"};
static const char* sponsors[] = {NULL, "R", "A"};
static const char* members[] = {"B", "A"};
static const int64_t cents[] = {10000, 2000};

static char* concat(const char* a, const char* b) {
  size_t la = strlen(a), lb = strlen(b);
  char* s = malloc(la + lb + 1);
  if (!s) abort();
  memcpy(s, a, la);
  memcpy(s + la, b, lb + 1);
  return s;
}

static int file_exists(const char* path) {
  FILE* f = fopen(path, "rb");
  if (f) fclose(f);
  return f != NULL;
}

static void write_text(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

static void test_destroy_and_getters_accept_null(void) {
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_state* state = NULL;
  downline_result* res = NULL;
  downline_layout* layout = NULL;
  downline_plan_destroy(NULL);
  downline_plan_destroy(&plan);
  downline_network_destroy(NULL);
  downline_network_destroy(&net);
  downline_ledger_destroy(NULL);
  downline_ledger_destroy(&sales);
  downline_state_destroy(NULL);
  downline_state_destroy(&state);
  downline_result_destroy(NULL);
  downline_result_destroy(&res);
  downline_layout_destroy(NULL);
  downline_layout_destroy(&layout);
  CHECK(downline_plan_name(NULL) == NULL);
  CHECK(downline_plan_currency(NULL) == NULL);
  CHECK(downline_plan_money_decimals(NULL) == -1);
  CHECK(downline_plan_bonus_count(NULL) == 0);
  CHECK(downline_plan_bonus_name(NULL, 0) == NULL);
  CHECK(downline_plan_bonus_type(NULL, 0) == NULL);
  CHECK(downline_plan_rank_count(NULL) == 0);
  CHECK(downline_plan_rank_name(NULL, 0) == NULL);
  CHECK(downline_network_size(NULL) == 0);
  CHECK(downline_network_id(NULL, 0) == NULL);
  CHECK(downline_ledger_size(NULL) == 0);
  CHECK(downline_state_size(NULL) == 0);
  CHECK(downline_result_money_decimals(NULL) == -1);
  CHECK(downline_result_payout_count(NULL) == 0);
  CHECK(downline_result_member_count(NULL) == 0);
  CHECK(downline_result_line_count(NULL) == 0);
}

static void test_status_names(void) {
  CHECK(strcmp(downline_status_name(DOWNLINE_OK), "DOWNLINE_OK") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_IO), "DOWNLINE_ERROR_IO") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_INPUT), "DOWNLINE_ERROR_INPUT") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_NETWORK), "DOWNLINE_ERROR_NETWORK") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_PLAN), "DOWNLINE_ERROR_PLAN") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_OVERFLOW), "DOWNLINE_ERROR_OVERFLOW") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_USAGE), "DOWNLINE_ERROR_USAGE") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_BUFFER_TOO_SMALL), "DOWNLINE_ERROR_BUFFER_TOO_SMALL") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_NOT_FOUND), "DOWNLINE_ERROR_NOT_FOUND") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_NO_MEMORY), "DOWNLINE_ERROR_NO_MEMORY") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_CALLBACK), "DOWNLINE_ERROR_CALLBACK") == 0);
  CHECK(strcmp(downline_status_name(DOWNLINE_ERROR_INTERNAL), "DOWNLINE_ERROR_INTERNAL") == 0);
  CHECK(strcmp(downline_status_name((downline_status)-42), "DOWNLINE_UNKNOWN_STATUS") == 0);
}

static void test_null_arguments(void) {
  downline_plan* plan = (downline_plan*)&failures; /* garbage in: must come back NULL */
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_state* state = NULL;
  downline_result* res = NULL;
  downline_layout* layout = NULL;
  downline_payout payout;
  downline_rank_row rank;
  downline_line line;
  downline_carry carry;
  downline_summary summary;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  size_t n = 7;
  int64_t amount = 7;
  char buffer[64];
  downline_bonus_type type = {DOWNLINE_BONUS_TYPE_VERSION, NULL, NULL, NULL, NULL, NULL};

  CHECK_ERROR(downline_plan_from_json(NULL, plan_text, NULL), DOWNLINE_ERROR_USAGE, "downline_plan_from_json: argument 'out' is NULL");
  CHECK_ERROR(downline_plan_from_json(&plan, NULL, NULL), DOWNLINE_ERROR_USAGE, "argument 'json' is NULL");
  CHECK(plan == NULL);
  CHECK_ERROR(downline_plan_from_file(NULL, "x"), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_plan_from_file(&plan, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_network_from_csv(NULL, "x"), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_network_from_csv(&net, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_network_from_arrays(NULL, 3, ids, sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_network_from_arrays(&net, 3, NULL, sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'ids'");
  CHECK_ERROR(downline_network_from_arrays(&net, 3, ids, NULL, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'sponsor_ids'");
  CHECK(net == NULL);

  CHECK_OK(downline_plan_from_json(&plan, plan_text, NULL));
  CHECK_OK(downline_network_from_arrays(&net, 3, ids, sponsors, NULL, NULL, NULL));
  CHECK_ERROR(downline_network_find(NULL, net, "R"), DOWNLINE_ERROR_USAGE, "'row'");
  CHECK_ERROR(downline_network_find(&n, NULL, "R"), DOWNLINE_ERROR_USAGE, "'network'");
  CHECK_ERROR(downline_network_find(&n, net, NULL), DOWNLINE_ERROR_USAGE, "'id'");
  CHECK_ERROR(downline_layout_build(NULL, net, plan), DOWNLINE_ERROR_USAGE, "downline_layout_build: argument 'out' is NULL");
  CHECK_ERROR(downline_layout_build(&layout, NULL, plan), DOWNLINE_ERROR_USAGE, "'network'");
  CHECK_ERROR(downline_layout_build(&layout, net, NULL), DOWNLINE_ERROR_USAGE, "'plan'");
  CHECK(layout == NULL);
  CHECK_ERROR(downline_ledger_from_csv(NULL, net, "x"), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_ledger_from_csv(&sales, NULL, "x"), DOWNLINE_ERROR_USAGE, "'network'");
  CHECK_ERROR(downline_ledger_from_csv(&sales, net, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_ledger_from_arrays(NULL, net, 2, members, cents, 2, NULL, 0, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, NULL, 2, members, cents, 2, NULL, 0, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'network'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, NULL, cents, 2, NULL, 0, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'member_ids'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, NULL, 2, NULL, 0, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'amounts'");
  CHECK(sales == NULL);
  CHECK_ERROR(downline_state_from_csv(NULL, "x"), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_state_from_csv(&state, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_state_from_arrays(NULL, 0, NULL, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_state_from_arrays(&state, 1, members, NULL, NULL, NULL), DOWNLINE_ERROR_USAGE, "'bonuses'");
  CHECK_ERROR(downline_state_entry(&carry, NULL, 0), DOWNLINE_ERROR_USAGE, "'state'");
  CHECK_ERROR(downline_state_write_csv(NULL, "x"), DOWNLINE_ERROR_USAGE, "'state'");

  CHECK_OK(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, NULL, 0, NULL, NULL, NULL));
  CHECK_ERROR(downline_run(NULL, plan, net, sales, NULL), DOWNLINE_ERROR_USAGE, "downline_run: argument 'out' is NULL");
  CHECK_ERROR(downline_run(&res, NULL, net, sales, NULL), DOWNLINE_ERROR_USAGE, "'plan'");
  CHECK_ERROR(downline_run(&res, plan, NULL, sales, NULL), DOWNLINE_ERROR_USAGE, "'network'");
  CHECK_ERROR(downline_run(&res, plan, net, NULL, &options), DOWNLINE_ERROR_USAGE, "'ledger'");
  CHECK(res == NULL);
  CHECK_OK(downline_run(&res, plan, net, sales, NULL));
  CHECK_ERROR(downline_result_payout(NULL, res, 0), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_result_payout(&payout, NULL, 0), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_payouts(&payout, 1, NULL, res), DOWNLINE_ERROR_USAGE, "'count'");
  CHECK_ERROR(downline_result_payouts(&payout, 1, &n, NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_amount(NULL, res, "R", NULL), DOWNLINE_ERROR_USAGE, "'amount'");
  CHECK_ERROR(downline_result_amount(&amount, NULL, "R", NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_amount(&amount, res, NULL, NULL), DOWNLINE_ERROR_USAGE, "'member_id'");
  CHECK(amount == 0);
  CHECK_ERROR(downline_result_rank(NULL, res, 0), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_result_rank(&rank, NULL, 0), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_line(NULL, res, 0), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_result_line(&line, NULL, 0), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_state(NULL, res), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_result_state(&state, NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_summary(NULL, res), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_result_summary(&summary, NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_summary_json(buffer, sizeof buffer, NULL, res), DOWNLINE_ERROR_USAGE, "'needed'");
  CHECK_ERROR(downline_result_summary_json(buffer, sizeof buffer, &n, NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_summary_text(buffer, sizeof buffer, &n, NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_payouts_csv(buffer, sizeof buffer, &n, NULL), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_write_payouts(NULL, "x"), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_write_payouts(res, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_result_write_ranks(res, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_result_write_lines(NULL, "x"), DOWNLINE_ERROR_USAGE, "'result'");
  CHECK_ERROR(downline_result_write_summary_json(res, NULL), DOWNLINE_ERROR_USAGE, "'path'");
  CHECK_ERROR(downline_format_minor(buffer, sizeof buffer, NULL, 1, 2), DOWNLINE_ERROR_USAGE, "'needed'");
  CHECK_ERROR(downline_register_bonus_type(NULL, &type), DOWNLINE_ERROR_USAGE, "'name'");
  CHECK_ERROR(downline_register_bonus_type("t", NULL), DOWNLINE_ERROR_USAGE, "'type'");
  CHECK_ERROR(downline_bonus_credit(NULL, 0, 0, 0, 0, 0, 0), DOWNLINE_ERROR_USAGE, "'out'");
  CHECK_ERROR(downline_period_member_id(buffer, sizeof buffer, &n, NULL, 0), DOWNLINE_ERROR_USAGE, "'period'");
  CHECK(state == NULL);
  downline_result_destroy(&res);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
}

static void test_bad_plans(const char* prefix) {
  downline_plan* plan = NULL;
  char* missing = concat(prefix, ".missing.json");
  CHECK_ERROR(downline_plan_from_json(&plan, "{ \"name\": ", "p.json"), DOWNLINE_ERROR_PLAN, "p.json: invalid JSON");
  CHECK_ERROR(downline_plan_from_json(&plan, "", NULL), DOWNLINE_ERROR_PLAN, "plan: invalid JSON");
  CHECK_ERROR(downline_plan_from_json(&plan, "{ \"name\": \"x\", \"bonuses\": [ { \"name\": \"b\", \"type\": \"nope\" } ] }",
                                      "p.json"),
              DOWNLINE_ERROR_PLAN, "p.json: bonuses[0].type: unknown bonus type 'nope'");
  CHECK_ERROR(downline_plan_from_json(&plan,
                                      "{ \"name\": \"x\", \"bonuses\": [ { \"name\": \"b\", \"type\": \"unilevel\","
                                      " \"rates\": [\"10%\", \"120%\"] } ] }",
                                      "p.json"),
              DOWNLINE_ERROR_PLAN, "bonuses[0].rates[1]");
  CHECK_ERROR(downline_plan_from_json(&plan, "{ \"name\": \"x\", \"colour\": 1, \"bonuses\": [] }", "p.json"),
              DOWNLINE_ERROR_PLAN, "'colour'");
  CHECK(plan == NULL);
  CHECK_ERROR(downline_plan_from_file(&plan, missing), DOWNLINE_ERROR_IO, missing);
  CHECK(plan == NULL);
  /* A success clears the last message. */
  CHECK_OK(downline_plan_from_json(&plan, plan_text, NULL));
  CHECK(strcmp(downline_last_error_message(), "") == 0);
  downline_plan_destroy(&plan);
  free(missing);
}

static void test_bad_networks(const char* golden_dir, const char* prefix) {
  downline_network* net = NULL;
  const char* dup_ids[] = {"R", "A", "A"};
  const char* bad_sponsors[] = {NULL, "R", "Q"};
  const char* cycle_ids[] = {"X", "Y"};
  const char* cycle_sponsors[] = {"Y", "X"};
  const char* joined[] = {"2026-01-01", "2026-02-30", NULL};
  const char* positions[] = {NULL, "L", "M"};
  const char* placements[] = {NULL, "R", "R"};
  char* bad_csv = concat(prefix, ".network.csv");
  char* missing = concat(golden_dir, "/no-such-case/network.csv");
  CHECK_ERROR(downline_network_from_arrays(&net, 3, dup_ids, sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_NETWORK,
              "network row 2: duplicate id");
  CHECK_ERROR(downline_network_from_arrays(&net, 3, ids, bad_sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_NETWORK,
              "network row 2: unknown sponsor_id 'Q'");
  CHECK_ERROR(downline_network_from_arrays(&net, 2, cycle_ids, cycle_sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_NETWORK,
              "network row");
  CHECK_ERROR(downline_network_from_arrays(&net, 0, ids, sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_NETWORK,
              "no members");
  CHECK_ERROR(downline_network_from_arrays(&net, 3, ids, sponsors, NULL, NULL, joined), DOWNLINE_ERROR_NETWORK,
              "network row 1: joined is not a date YYYY-MM-DD '2026-02-30'");
  CHECK_ERROR(downline_network_from_arrays(&net, 3, ids, sponsors, placements, positions, NULL),
              DOWNLINE_ERROR_NETWORK, "network row 2: position is not L, R or a matrix slot 1..width 'M'");
  {
    const char* long_ids[] = {"R", "A1234567890123456789012345678901234567890123456789012345678901234567890"};
    CHECK_ERROR(downline_network_from_arrays(&net, 2, long_ids, sponsors, NULL, NULL, NULL), DOWNLINE_ERROR_NETWORK,
                "network row 1: member id longer than 64 bytes");
  }
  CHECK_ERROR(downline_network_from_csv(&net, missing), DOWNLINE_ERROR_IO, "no-such-case/network.csv");
  write_text(bad_csv, "id,sponsor_id\nR,\nA,R\nA,R\n");
  CHECK_ERROR(downline_network_from_csv(&net, bad_csv), DOWNLINE_ERROR_NETWORK, ".network.csv:4: duplicate id");
  write_text(bad_csv, "id,parent\nR,\n");
  CHECK_ERROR(downline_network_from_csv(&net, bad_csv), DOWNLINE_ERROR_INPUT, "sponsor_id");
  CHECK(net == NULL);
  remove(bad_csv);
  free(bad_csv);
  free(missing);
}

static void test_bad_ledgers(const char* prefix) {
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  const char* unknown[] = {"B", "ZZ"};
  const char* bad_dates[] = {"2026-01-01", "01/02/2026"};
  const uint8_t bad_kinds[] = {0, 7};
  const int64_t huge[] = {1, INT64_MAX / 10};
  const int64_t mills[] = {10005, 1};
  char* bad_csv = concat(prefix, ".sales.csv");
  CHECK_OK(downline_network_from_arrays(&net, 3, ids, sponsors, NULL, NULL, NULL));
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, unknown, cents, 2, NULL, 0, NULL, NULL, NULL),
              DOWNLINE_ERROR_INPUT, "sales row 1: sale for a member who is not in the network 'ZZ'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, NULL, 0, bad_kinds, NULL, NULL),
              DOWNLINE_ERROR_INPUT, "sales row 1: unknown kind (expected 0 retail, 1 personal or 2 fee) '7'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, NULL, 0, NULL, bad_dates, NULL),
              DOWNLINE_ERROR_INPUT, "sales row 1: date is not a date YYYY-MM-DD '01/02/2026'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, huge, 2, NULL, 0, NULL, NULL, NULL),
              DOWNLINE_ERROR_OVERFLOW, "sales row 1: amount overflows '9223372036854775.80'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, huge, 0, NULL, NULL, NULL),
              DOWNLINE_ERROR_OVERFLOW, "sales row 1: volume overflows");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, cents, 7, NULL, 0, NULL, NULL, NULL),
              DOWNLINE_ERROR_USAGE, "money_decimals must be 0..6 '7'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, cents, 5, NULL, NULL, NULL),
              DOWNLINE_ERROR_USAGE, "volume_decimals must be 0..4 '5'");
  CHECK_ERROR(downline_ledger_from_arrays(&sales, net, 2, members, mills, 5, NULL, 0, NULL, NULL, NULL),
              DOWNLINE_ERROR_INPUT, "sales row 0: amount has more than 4 decimals and no volume to stand in for it '0.10005'");
  write_text(bad_csv, "member_id,amount\nB,12.30\nA,1e3\n");
  CHECK_ERROR(downline_ledger_from_csv(&sales, net, bad_csv), DOWNLINE_ERROR_INPUT, ".sales.csv:3: amount");
  CHECK_ERROR(downline_ledger_from_csv(&sales, net, bad_csv), DOWNLINE_ERROR_INPUT, "'1e3'");
  CHECK(sales == NULL);
  remove(bad_csv);
  free(bad_csv);
  downline_network_destroy(&net);
}

static void test_run_errors(const char* prefix) {
  downline_plan* plan = NULL;
  downline_network *net = NULL, *other = NULL;
  downline_ledger *sales = NULL, *undated = NULL;
  downline_result* res = NULL;
  downline_state* state = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  const char* dates[] = {"2026-03-01", "2026-03-02"};
  const char* carry_members[] = {"NOBODY"};
  const char* carry_bonuses[] = {"level"};
  const int64_t carry[] = {1};
  CHECK_OK(downline_plan_from_json(&plan, plan_text, NULL));
  CHECK_OK(downline_network_from_arrays(&net, 3, ids, sponsors, NULL, NULL, NULL));
  CHECK_OK(downline_network_from_arrays(&other, 3, ids, sponsors, NULL, NULL, NULL));
  CHECK_OK(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, NULL, 0, NULL, dates, NULL));
  CHECK_OK(downline_ledger_from_arrays(&undated, net, 2, members, cents, 2, NULL, 0, NULL, NULL, NULL));

  CHECK_ERROR(downline_run(&res, plan, other, sales, NULL), DOWNLINE_ERROR_USAGE, "the ledger was loaded against another network");
  options.period = "2026-13";
  CHECK_ERROR(downline_run(&res, plan, net, sales, &options), DOWNLINE_ERROR_USAGE, "period must be YYYY-MM, YYYY-Www or YYYY-MM-DD..YYYY-MM-DD '2026-13'");
  options.period = "2026-03";
  CHECK_ERROR(downline_run(&res, plan, net, undated, &options), DOWNLINE_ERROR_INPUT,
              "sales row 0: a period (2026-03) is given but this sale line has no date ''");
  options.period = NULL;
  options.version = 99;
  CHECK_ERROR(downline_run(&res, plan, net, sales, &options), DOWNLINE_ERROR_USAGE, "options version '99'");
  options.version = DOWNLINE_RUN_OPTIONS_VERSION;
  CHECK_OK(downline_state_from_arrays(&state, 1, carry_members, carry_bonuses, carry, carry));
  options.state_in = state;
  CHECK_ERROR(downline_run(&res, plan, net, sales, &options), DOWNLINE_ERROR_INPUT,
              "state row 0: state for a member who is not in the network 'NOBODY'");
  CHECK(res == NULL);
  options.state_in = NULL;

  /* threads (version 4): above 1024 refused; a version 3 caller's struct has no threads field,
   * so whatever lies there is not read; any count gives the same payouts. */
  options.threads = 5000;
  CHECK_ERROR(downline_run(&res, plan, net, sales, &options), DOWNLINE_ERROR_USAGE,
              "the thread count must be 1 to 1024, not '5000'");
  options.version = 3;
  CHECK_OK(downline_run(&res, plan, net, sales, &options));
  downline_result_destroy(&res);
  options.version = DOWNLINE_RUN_OPTIONS_VERSION;
  {
    const uint32_t counts[] = {0, 1, 2, 7};
    int64_t amounts[4][2];
    for (int t = 0; t < 4; ++t) {
      downline_payout payout;
      options.threads = counts[t];
      CHECK_OK(downline_run(&res, plan, net, sales, &options));
      CHECK(downline_result_payout_count(res) == 2);
      for (size_t i = 0; i < 2; ++i) {
        CHECK_OK(downline_result_payout(&payout, res, i));
        amounts[t][i] = payout.amount;
      }
      downline_result_destroy(&res);
    }
    for (int t = 1; t < 4; ++t) CHECK(amounts[t][0] == amounts[0][0] && amounts[t][1] == amounts[0][1]);
    CHECK(amounts[0][0] == 200 && amounts[0][1] == 1000);
  }
  options.threads = 0;

  /* A good run, then every misuse of its result. */
  CHECK_OK(downline_run(&res, plan, net, sales, &options));
  {
    downline_payout lines[1];
    downline_payout payout;
    downline_rank_row rank;
    downline_line line;
    downline_carry entry;
    size_t count = 0, needed = 0, row = 5;
    int64_t amount = 5;
    char small[4] = "abc";
    char* path = concat(prefix, ".nodir/payouts.csv");
    char* lines_path = concat(prefix, ".lines.csv");
    /* B's 100.00 pays A 10.00, A's 20.00 pays R 2.00: two payout lines. */
    CHECK(downline_result_payout_count(res) == 2);
    CHECK_ERROR(downline_result_payouts(lines, 1, &count, res), DOWNLINE_ERROR_BUFFER_TOO_SMALL,
                "buffer too small, 2 payout lines needed '1'");
    CHECK(count == 2);
    CHECK_ERROR(downline_result_payouts(NULL, 0, &count, res), DOWNLINE_ERROR_BUFFER_TOO_SMALL, "needed '0'");
    CHECK_ERROR(downline_result_summary_json(small, sizeof small, &needed, res), DOWNLINE_ERROR_BUFFER_TOO_SMALL,
                "downline_result_summary_json: buffer too small");
    CHECK(needed > sizeof small);
    CHECK(small[0] == '\0');
    CHECK_ERROR(downline_result_summary_text(small, sizeof small, &needed, res), DOWNLINE_ERROR_BUFFER_TOO_SMALL, "'4'");
    CHECK_ERROR(downline_result_payouts_csv(small, sizeof small, &needed, res), DOWNLINE_ERROR_BUFFER_TOO_SMALL, "'4'");
    CHECK(needed == strlen("member_id,bonus,amount\nR,level,2.00\nA,level,10.00\n") + 1);
    CHECK_ERROR(downline_format_minor(small, sizeof small, &needed, -1234, 2), DOWNLINE_ERROR_BUFFER_TOO_SMALL, "7 bytes needed");
    CHECK(needed == 7);
    CHECK_ERROR(downline_format_minor(small, sizeof small, &needed, 1, 13), DOWNLINE_ERROR_USAGE, "decimals must be 0..12 '13'");
    CHECK_OK(downline_format_minor(small, sizeof small, &needed, 5, 0));
    CHECK(strcmp(small, "5") == 0 && needed == 2);

    CHECK_ERROR(downline_result_payout(&payout, res, 2), DOWNLINE_ERROR_USAGE, "payout index out of range (2 payouts) '2'");
    CHECK_ERROR(downline_result_rank(&rank, res, 3), DOWNLINE_ERROR_USAGE, "member index out of range (3 members) '3'");
    CHECK(downline_result_line_count(res) == 0); /* not explained */
    CHECK_ERROR(downline_result_line(&line, res, 0), DOWNLINE_ERROR_USAGE, "line index out of range");
    CHECK_ERROR(downline_result_write_lines(res, lines_path), DOWNLINE_ERROR_USAGE, "not asked to explain");
    CHECK(!file_exists(lines_path));
    CHECK_ERROR(downline_result_write_payouts(res, path), DOWNLINE_ERROR_IO, ".nodir");
    CHECK(!file_exists(path));
    CHECK_ERROR(downline_state_entry(&entry, state, 1), DOWNLINE_ERROR_USAGE, "index out of range (1 carry entries) '1'");

    /* Unknown ids. */
    CHECK_ERROR(downline_network_find(&row, net, "ZZ"), DOWNLINE_ERROR_NOT_FOUND, "no member with this id 'ZZ'");
    CHECK(row == 0);
    CHECK_ERROR(downline_result_amount(&amount, res, "ZZ", NULL), DOWNLINE_ERROR_NOT_FOUND, "no member with this id 'ZZ'");
    CHECK_ERROR(downline_result_amount(&amount, res, "R", "bonus"), DOWNLINE_ERROR_NOT_FOUND, "no bonus with this name 'bonus'");
    CHECK(amount == 0);
    CHECK_OK(downline_result_amount(&amount, res, "A", "level"));
    CHECK(amount == 1000);
    free(path);
    free(lines_path);
  }
  downline_result_destroy(&res);
  downline_state_destroy(&state);
  downline_ledger_destroy(&sales);
  downline_ledger_destroy(&undated);
  downline_network_destroy(&net);
  downline_network_destroy(&other);
  downline_plan_destroy(&plan);
}

static int noop_evaluate(void* payload, void* data, const downline_period_view* period, downline_bonus_output* out,
                         char* message, size_t size) {
  (void)payload, (void)data, (void)period, (void)out, (void)message, (void)size;
  return 0;
}

static void test_bad_bonus_types(void) {
  downline_bonus_type type = {DOWNLINE_BONUS_TYPE_VERSION, NULL, NULL, noop_evaluate, NULL, NULL};
  downline_bonus_type no_evaluate = {DOWNLINE_BONUS_TYPE_VERSION, NULL, NULL, NULL, NULL, NULL};
  downline_bonus_type future = {2, NULL, NULL, noop_evaluate, NULL, NULL};
  CHECK_ERROR(downline_register_bonus_type("unilevel", &type), DOWNLINE_ERROR_USAGE,
              "the name of a built-in bonus type cannot be taken 'unilevel'");
  CHECK_ERROR(downline_register_bonus_type("binary", &type), DOWNLINE_ERROR_USAGE, "'binary'");
  CHECK_ERROR(downline_register_bonus_type("", &type), DOWNLINE_ERROR_USAGE, "type name is empty");
  CHECK_ERROR(downline_register_bonus_type("t", &no_evaluate), DOWNLINE_ERROR_USAGE, "evaluate callback is NULL 't'");
  CHECK_ERROR(downline_register_bonus_type("t", &future), DOWNLINE_ERROR_USAGE, "unsupported downline_bonus_type version '2'");
  /* Registering again replaces. */
  CHECK_OK(downline_register_bonus_type("noop", &type));
  CHECK_OK(downline_register_bonus_type("noop", &type));
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s GOLDEN_DIR OUT_PREFIX\n", argv[0]);
    return 2;
  }
  test_destroy_and_getters_accept_null();
  test_status_names();
  test_null_arguments();
  test_bad_plans(argv[2]);
  test_bad_networks(argv[1], argv[2]);
  test_bad_ledgers(argv[2]);
  test_run_errors(argv[2]);
  test_bad_bonus_types();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("all checks passed\n");
  return failures ? 1 : 0;
}
