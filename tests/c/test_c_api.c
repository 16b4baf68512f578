/* SPDX-License-Identifier: MIT */
/*
 * The C API from strict C11: golden cases, arrays, state, summary and custom bonus types.
 *
 *   downline_test_c_api golden <case_dir> <out_prefix>   one case of tests/data/golden
 *   downline_test_c_api periods <case_dir> <out_prefix>  one two-period case of tests/data/periods
 *   downline_test_c_api history <case_dir> <out_prefix>  one case of tests/data/history (N periods)
 *   downline_test_c_api api <golden_dir> <out_prefix>    everything else
 *
 * Expected values are the hand-computed ones of tests/data/golden (see each case's README).
 */
#include <downline/downline.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define CHECK_STR(actual, expected)                                                                      \
  do {                                                                                                   \
    const char* a_ = (actual);                                                                           \
    const char* e_ = (expected);                                                                         \
    if (!a_ || strcmp(a_, e_) != 0) {                                                                    \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual,             \
              a_ ? a_ : "(null)", e_);                                                                   \
      ++failures;                                                                                        \
    }                                                                                                    \
  } while (0)

/* The whole file as a NUL-terminated string (caller frees), or NULL. */
static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return NULL;
  }
  text = malloc((size_t)size + 1);
  if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
    free(text);
    text = NULL;
  }
  if (text) text[size] = '\0';
  fclose(f);
  return text;
}

static char* join(const char* a, const char* b) {
  size_t la = strlen(a), lb = strlen(b);
  char* s = malloc(la + lb + 2);
  if (!s) abort();
  memcpy(s, a, la);
  s[la] = '/';
  memcpy(s + la + 1, b, lb + 1);
  return s;
}

static char* concat(const char* a, const char* b) {
  size_t la = strlen(a), lb = strlen(b);
  char* s = malloc(la + lb + 1);
  if (!s) abort();
  memcpy(s, a, la);
  memcpy(s + la, b, lb + 1);
  return s;
}

/* payouts.csv rebuilt from the payout lines, through downline_format_minor. */
static char* payouts_from_lines(const downline_result* res) {
  size_t count = downline_result_payout_count(res), i, used = 0, cap = 64 + count * 200;
  char* out = malloc(cap);
  int decimals = downline_result_money_decimals(res);
  if (!out) abort();
  used += (size_t)sprintf(out, "member_id,bonus,amount\n");
  for (i = 0; i < count; ++i) {
    downline_payout p;
    char amount[64];
    size_t needed = 0;
    CHECK_OK(downline_result_payout(&p, res, i));
    CHECK_OK(downline_format_minor(amount, sizeof amount, &needed, p.amount, decimals));
    CHECK(needed == strlen(amount) + 1);
    used += (size_t)sprintf(out + used, "%s,%s,%s\n", p.member_id, p.bonus, amount);
  }
  return out;
}

/* ---- one golden case ---------------------------------------------------------------------- */

static int run_golden(const char* case_dir, const char* prefix) {
  char *plan_path = join(case_dir, "plan.json"), *network_path = join(case_dir, "network.csv");
  char *sales_path = join(case_dir, "sales.csv"), *expected_path = join(case_dir, "expected_payouts.csv");
  char *ranks_expected_path = join(case_dir, "expected_ranks.csv"), *args_path = join(case_dir, "args");
  char *plan_text = read_file(plan_path), *expected = read_file(expected_path);
  char *ranks_expected = read_file(ranks_expected_path), *args = read_file(args_path);
  char* ranks_path = concat(prefix, ".ranks.csv");
  char period[16] = "";
  char* state_path = NULL;
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_state* state = NULL;
  downline_result* res = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;

  CHECK(plan_text != NULL);
  CHECK(expected != NULL);
  if (args) { /* "--period YYYY-MM" and "--state-in FILE" (relative to the case) */
    char* token = strtok(args, " \t\r\n");
    while (token) {
      char* value = strtok(NULL, " \t\r\n");
      if (!value) break;
      if (strcmp(token, "--period") == 0 && strlen(value) < sizeof period) strcpy(period, value);
      if (strcmp(token, "--state-in") == 0) state_path = value[0] == '/' ? concat("", value) : join(case_dir, value);
      token = strtok(NULL, " \t\r\n");
    }
  }
  CHECK_OK(downline_plan_from_json(&plan, plan_text ? plan_text : "", plan_path));
  CHECK_OK(downline_network_from_csv(&net, network_path));
  CHECK_OK(downline_ledger_from_csv(&sales, net, sales_path));
  if (state_path) CHECK_OK(downline_state_from_csv(&state, state_path));
  options.period = period[0] ? period : NULL;
  options.state_in = state;
  options.explain = 1;
  CHECK_OK(downline_run(&res, plan, net, sales, &options));
  if (res && expected) {
    size_t needed = 0;
    char* csv;
    char* rebuilt;
    downline_summary summary;
    int64_t total = 0;
    size_t i;
    /* Size query, then the text: byte for byte the CLI's payouts.csv. */
    CHECK(downline_result_payouts_csv(NULL, 0, &needed, res) == DOWNLINE_ERROR_BUFFER_TOO_SMALL);
    CHECK(needed == strlen(expected) + 1);
    csv = malloc(needed);
    CHECK_OK(downline_result_payouts_csv(csv, needed, &needed, res));
    CHECK_STR(csv, expected);
    rebuilt = payouts_from_lines(res);
    CHECK_STR(rebuilt, expected);
    for (i = 0; i < downline_result_payout_count(res); ++i) {
      downline_payout p;
      CHECK_OK(downline_result_payout(&p, res, i));
      total += p.amount;
    }
    CHECK_OK(downline_result_summary(&summary, res));
    CHECK(summary.total_payout == total);
    CHECK(summary.members == downline_network_size(net));
    CHECK(downline_result_payout_count(res) == 0 || downline_result_line_count(res) > 0);
    free(csv);
    free(rebuilt);
  }
  if (res && ranks_expected) {
    char* ranks;
    CHECK_OK(downline_result_write_ranks(res, ranks_path));
    ranks = read_file(ranks_path);
    CHECK(ranks != NULL);
    if (ranks) CHECK_STR(ranks, ranks_expected);
    free(ranks);
    remove(ranks_path);
  }
  if (net && plan && expected) { /* the network compiled with the plan: the same bytes */
    char *compiled_path = concat(prefix, ".dlnet"), *csv = NULL;
    downline_network* compiled = NULL;
    downline_ledger* compiled_sales = NULL;
    downline_result* again = NULL;
    downline_layout* layout = NULL;
    size_t needed = 0;
    int pass;
    CHECK_OK(downline_network_compile(net, plan, compiled_path));
    CHECK_OK(downline_network_from_file(&compiled, compiled_path));
    CHECK_OK(downline_ledger_from_csv(&compiled_sales, compiled, sales_path));
    CHECK_OK(downline_layout_build(&layout, compiled, plan)); /* the saved trees, not rebuilt */
    for (pass = 0; pass < 2; ++pass) { /* without, then with the compiled network's layout */
      options.layout = pass ? layout : NULL;
      CHECK_OK(downline_run(&again, plan, compiled, compiled_sales, &options));
      CHECK(downline_result_payouts_csv(NULL, 0, &needed, again) == DOWNLINE_ERROR_BUFFER_TOO_SMALL);
      csv = malloc(needed);
      CHECK_OK(downline_result_payouts_csv(csv, needed, &needed, again));
      if (csv) CHECK_STR(csv, expected);
      free(csv);
      downline_result_destroy(&again);
    }
    options.layout = NULL;
    downline_layout_destroy(&layout);
    downline_ledger_destroy(&compiled_sales);
    downline_network_destroy(&compiled);
    remove(compiled_path);
    free(compiled_path);
  }
  downline_result_destroy(&res);
  downline_state_destroy(&state);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
  free(plan_path), free(network_path), free(sales_path), free(expected_path), free(ranks_expected_path);
  free(args_path), free(plan_text), free(expected), free(ranks_expected), free(args), free(ranks_path);
  free(state_path);
  return failures;
}

/* ---- one two-period case of tests/data/periods: the state between the periods -------------- */

/* "--period YYYY-MM" from args_<n>. */
static void period_from(const char* case_dir, const char* args_name, char* period, size_t size) {
  char* path = join(case_dir, args_name);
  char* text = read_file(path);
  char* token = text ? strtok(text, " \t\r\n") : NULL;
  char* value = token ? strtok(NULL, " \t\r\n") : NULL;
  period[0] = '\0';
  CHECK(token && strcmp(token, "--period") == 0 && value && strlen(value) < size);
  if (value && strlen(value) < size) strcpy(period, value);
  free(path);
  free(text);
}

static void expect_csv(const downline_result* res, const char* case_dir, const char* expected_name) {
  char* path = join(case_dir, expected_name);
  char* expected = read_file(path);
  size_t needed = 0;
  char* csv;
  CHECK(expected != NULL);
  CHECK(downline_result_payouts_csv(NULL, 0, &needed, res) == DOWNLINE_ERROR_BUFFER_TOO_SMALL);
  csv = malloc(needed);
  CHECK_OK(downline_result_payouts_csv(csv, needed, &needed, res));
  if (expected) CHECK_STR(csv, expected);
  free(csv);
  free(expected);
  free(path);
}

static void expect_state(const downline_state* state, const char* case_dir, const char* expected_name,
                         const char* out_path) {
  char* path = join(case_dir, expected_name);
  char* expected = read_file(path);
  char* got;
  CHECK_OK(downline_state_write_csv(state, out_path));
  got = read_file(out_path);
  CHECK(expected != NULL && got != NULL);
  if (expected && got) CHECK_STR(got, expected);
  remove(out_path);
  free(got);
  free(expected);
  free(path);
}

static int run_periods(const char* case_dir, const char* prefix) {
  char *plan_path = join(case_dir, "plan.json"), *network_path = join(case_dir, "network.csv");
  char *sales_path = join(case_dir, "sales.csv"), *state_path = concat(prefix, ".state.csv");
  char period1[16], period2[16];
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_result *first = NULL, *second = NULL;
  downline_state *carry = NULL, *carry2 = NULL;
  downline_layout* layout = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  int pass;
  period_from(case_dir, "args_1", period1, sizeof period1);
  period_from(case_dir, "args_2", period2, sizeof period2);
  CHECK_OK(downline_plan_from_file(&plan, plan_path));
  CHECK_OK(downline_network_from_csv(&net, network_path));
  CHECK_OK(downline_ledger_from_csv(&sales, net, sales_path));
  CHECK_OK(downline_layout_build(&layout, net, plan));
  for (pass = 0; pass < 2; ++pass) { /* without a layout, then with one built once for both periods */
    options.layout = pass ? layout : NULL;
    options.period = period1;
    options.state_in = NULL;
    CHECK_OK(downline_run(&first, plan, net, sales, &options));
    if (first) {
      expect_csv(first, case_dir, "expected_payouts_1.csv");
      CHECK_OK(downline_result_state(&carry, first));
      expect_state(carry, case_dir, "expected_state_1.csv", state_path);
    }
    options.period = period2;
    options.state_in = carry;
    CHECK_OK(downline_run(&second, plan, net, sales, &options));
    if (second) {
      expect_csv(second, case_dir, "expected_payouts_2.csv");
      CHECK_OK(downline_result_state(&carry2, second));
      expect_state(carry2, case_dir, "expected_state_2.csv", state_path);
    }
    downline_result_destroy(&first);
    downline_result_destroy(&second);
    downline_state_destroy(&carry);
    downline_state_destroy(&carry2);
  }
  downline_layout_destroy(&layout);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
  free(plan_path), free(network_path), free(sales_path), free(state_path);
  return failures;
}

/* ---- arrays: golden case 01 given as arrays, rows out of order ------------------------------ */

static const char* plan01 =
    "{ \"name\": \"golden 01\", \"money_decimals\": 2, \"qualification\": { \"active_pv\": \"50\" },"
    "  \"ranks\": [ { \"name\": \"Associate\", \"pv\": \"50\" } ],"
    "  \"bonuses\": [ { \"name\": \"level\", \"type\": \"unilevel\", \"base\": \"amount\","
    "                   \"rates\": [\"10%\", \"5%\", \"2%\"], \"compression\": \"none\" } ] }";

/* Case 01's tree R <- A <- B <- {C <- E, D}, listed recruits first. */
static const char* ids01[] = {"E", "D", "C", "B", "A", "R"};
static const char* sponsors01[] = {"C", "B", "B", "A", "R", NULL};

static downline_network* network01(void) {
  downline_network* net = NULL;
  CHECK_OK(downline_network_from_arrays(&net, 6, ids01, sponsors01, NULL, NULL, NULL));
  return net;
}

static void test_arrays(void) {
  /* The sale lines of case 01 in cents, plus an April line that --period 2026-03 leaves out. */
  const char* members[] = {"E", "R", "A", "B", "C", "D", "E"};
  const int64_t cents[] = {100000, 10000, 3000, 8000, 20000, 5000, 10000};
  const char* dates[] = {"2026-04-01", "2026-03-01", "2026-03-02", "2026-03-31", "2026-03-15", "2026-03-09",
                         "2026-03-20"};
  const char* orders[] = {"o0", "o1", "o2", "o3", "o4", "o5", "o6"};
  downline_plan* plan = NULL;
  downline_network* net = network01();
  downline_ledger* sales = NULL;
  downline_result* res = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  downline_payout lines[8];
  size_t count = 0, row = 99;
  int64_t amount = -1;
  downline_rank_row rank;

  CHECK(downline_network_size(net) == 6);
  CHECK_STR(downline_network_id(net, 0), "E");
  CHECK_STR(downline_network_id(net, 5), "R");
  CHECK(downline_network_id(net, 6) == NULL);
  CHECK_OK(downline_network_find(&row, net, "B"));
  CHECK(row == 3);

  CHECK_OK(downline_plan_from_json(&plan, plan01, NULL));
  CHECK_STR(downline_plan_name(plan), "golden 01");
  CHECK(downline_plan_money_decimals(plan) == 2);
  CHECK(downline_plan_bonus_count(plan) == 1);
  CHECK_STR(downline_plan_bonus_name(plan, 0), "level");
  CHECK_STR(downline_plan_bonus_type(plan, 0), "unilevel");
  CHECK(downline_plan_rank_count(plan) == 1);
  CHECK_STR(downline_plan_rank_name(plan, 0), "Associate");

  CHECK_OK(downline_ledger_from_arrays(&sales, net, 7, members, cents, 2, NULL, 0, NULL, dates, orders));
  CHECK(downline_ledger_size(sales) == 7);
  options.period = "2026-03";
  options.explain = 1;
  CHECK_OK(downline_run(&res, plan, net, sales, &options));
  /* Inputs may go before the result. */
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
  CHECK(sales == NULL && net == NULL && plan == NULL);

  /* Rows in network-file order: C (10.00), B (30.00), R (12.00). */
  CHECK_OK(downline_result_payouts(lines, 8, &count, res));
  CHECK(count == 3);
  if (count == 3) {
    CHECK_STR(lines[0].member_id, "C");
    CHECK(lines[0].amount == 1000);
    CHECK_STR(lines[1].member_id, "B");
    CHECK(lines[1].amount == 3000);
    CHECK_STR(lines[2].member_id, "R");
    CHECK_STR(lines[2].bonus, "level");
    CHECK(lines[2].amount == 1200);
  }
  CHECK_OK(downline_result_amount(&amount, res, "R", "level"));
  CHECK(amount == 1200);
  CHECK_OK(downline_result_amount(&amount, res, "B", NULL));
  CHECK(amount == 3000);
  CHECK_OK(downline_result_amount(&amount, res, "A", NULL));
  CHECK(amount == 0);

  /* ranks: A (row 4) has PV 30, GV 460, inactive, no rank; R (row 5) Associate, GV 560. */
  CHECK(downline_result_member_count(res) == 6);
  CHECK_OK(downline_result_rank(&rank, res, 4));
  CHECK_STR(rank.member_id, "A");
  CHECK_STR(rank.rank, "");
  CHECK(rank.rank_index == DOWNLINE_NO_RANK);
  CHECK(rank.pv == 300000 && rank.gv == 4600000 && rank.active == 0);
  CHECK_OK(downline_result_rank(&rank, res, 5));
  CHECK_STR(rank.rank, "Associate");
  CHECK(rank.rank_index == 0 && rank.gv == 5600000 && rank.active == 1);

  /* Explanation lines: C earns 10% of E's o6 (100.00) at level 1. */
  {
    size_t i, found = 0;
    for (i = 0; i < downline_result_line_count(res); ++i) {
      downline_line l;
      CHECK_OK(downline_result_line(&l, res, i));
      if (strcmp(l.member_id, "C") == 0) {
        ++found;
        CHECK_STR(l.source_member_id, "E");
        CHECK_STR(l.order_id, "o6");
        CHECK(l.level == 1 && l.base == 100000000 && l.rate == 100000);
        CHECK_STR(l.amount, "10");
      }
      CHECK(strcmp(l.order_id, "o0") != 0); /* outside the period */
    }
    CHECK(found == 1);
    /* R: o2 3.00 + o3 4.00 + o4 4.00 + o5 1.00: 4 lines. */
    CHECK(downline_result_line_count(res) == 4 + 3 + 1);
  }
  {
    char json[4096];
    size_t needed = 0;
    CHECK_OK(downline_result_summary_json(json, sizeof json, &needed, res));
    CHECK(needed == strlen(json) + 1);
    CHECK(strstr(json, "\"members\": 6") != NULL);
    CHECK(strstr(json, "\"total_payout\": \"52.00\"") != NULL);
    CHECK(strstr(json, "\"period\": \"2026-03\"") != NULL);
  }
  downline_result_destroy(&res);
  CHECK(res == NULL);
}

/* Volumes, kinds and money_decimals of the arrays: 06's idea (base volume differs from amount). */
static void test_array_units(void) {
  const char* plan_text =
      "{ \"name\": \"volume\", \"money_decimals\": 2,"
      "  \"bonuses\": [ { \"name\": \"v\", \"type\": \"unilevel\", \"base\": \"volume\", \"rates\": [\"10%\"] } ] }";
  const char* ids[] = {"P", "K"};
  const char* sponsors[] = {"", "P"};
  const char* members[] = {"K", "K"};
  const int64_t mills[] = {12345, 1000}; /* 12.345 and 1.000 with 3 decimals */
  const int64_t volumes[] = {405, 150};  /* 40.5 and 15.0 points with 1 decimal */
  const uint8_t kinds[] = {DOWNLINE_KIND_PERSONAL, DOWNLINE_KIND_FEE};
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_result* res = NULL;
  int64_t amount = 0;
  CHECK_OK(downline_plan_from_json(&plan, plan_text, "units.json"));
  CHECK_OK(downline_network_from_arrays(&net, 2, ids, sponsors, NULL, NULL, NULL));
  CHECK_OK(downline_ledger_from_arrays(&sales, net, 2, members, mills, 3, volumes, 1, kinds, NULL, NULL));
  /* 12.345 has 3 decimals, the plan 2: the run refuses it, naming the row and value. */
  CHECK(downline_run(&res, plan, net, sales, NULL) == DOWNLINE_ERROR_INPUT);
  CHECK_STR(downline_last_error_message(), "sales row 0: amount has more decimals than the plan's money_decimals (2) '12.345'");
  downline_ledger_destroy(&sales);
  {
    const int64_t cents[] = {1234, 100};
    CHECK_OK(downline_ledger_from_arrays(&sales, net, 2, members, cents, 2, volumes, 1, kinds, NULL, NULL));
  }
  CHECK_OK(downline_run(&res, plan, net, sales, NULL));
  /* P earns 10% of (40.5 + 15.0) points = 5.55 */
  CHECK_OK(downline_result_amount(&amount, res, "P", "v"));
  CHECK(amount == 555);
  {
    char json[4096];
    size_t needed;
    CHECK_OK(downline_result_summary_json(json, sizeof json, &needed, res));
    CHECK(strstr(json, "\"personal\": \"0.9250\"") != NULL); /* 12.34 of 13.34 */
  }
  downline_result_destroy(&res);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
}

/* ---- one case of tests/data/history: N periods with history, overrides and adjustments ------- */

/* The value after `flag` in args_<k> joined to the case directory (or, for --period, as is);
   NULL when absent. */
static char* arg_value(const char* case_dir, int k, const char* flag, int is_file) {
  char name[32];
  char *path, *text, *token, *value = NULL;
  snprintf(name, sizeof name, "args_%d", k);
  path = join(case_dir, name);
  text = read_file(path);
  for (token = text ? strtok(text, " \t\r\n") : NULL; token; token = strtok(NULL, " \t\r\n")) {
    if (strcmp(token, flag) == 0) {
      char* v = strtok(NULL, " \t\r\n");
      if (v) value = is_file ? join(case_dir, v) : concat(v, "");
      break;
    }
  }
  free(path);
  free(text);
  return value;
}

static void expect_ranks(const downline_result* res, const char* case_dir, const char* expected_name,
                         const char* out_path) {
  char* path = join(case_dir, expected_name);
  char* expected = read_file(path);
  char* got;
  CHECK_OK(downline_result_write_ranks(res, out_path));
  got = read_file(out_path);
  CHECK(expected != NULL && got != NULL);
  if (expected && got) CHECK_STR(got, expected);
  remove(out_path);
  free(got);
  free(expected);
  free(path);
}

static int run_history(const char* case_dir, const char* prefix) {
  char *plan_path = join(case_dir, "plan.json"), *network_path = join(case_dir, "network.csv");
  char *sales_path = join(case_dir, "sales.csv"), *out_path = concat(prefix, ".out.csv");
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_state* previous = NULL;
  int k;
  CHECK_OK(downline_plan_from_file(&plan, plan_path));
  CHECK_OK(downline_network_from_csv(&net, network_path));
  CHECK_OK(downline_ledger_from_csv(&sales, net, sales_path));
  for (k = 1;; ++k) {
    char *period = arg_value(case_dir, k, "--period", 0), *overrides_path, *adjustments_path;
    char name[64];
    downline_overrides* overrides = NULL;
    downline_adjustments* adjustments = NULL;
    downline_result* res = NULL;
    downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
    if (!period) break;
    overrides_path = arg_value(case_dir, k, "--overrides", 1);
    adjustments_path = arg_value(case_dir, k, "--adjustments", 1);
    if (overrides_path) CHECK_OK(downline_overrides_from_csv(&overrides, overrides_path));
    if (adjustments_path) CHECK_OK(downline_adjustments_from_csv(&adjustments, adjustments_path));
    options.period = period;
    options.state_in = previous;
    options.overrides = overrides;
    options.adjustments = adjustments;
    CHECK_OK(downline_run(&res, plan, net, sales, &options));
    downline_state_destroy(&previous);
    if (res) {
      snprintf(name, sizeof name, "expected_payouts_%d.csv", k);
      expect_csv(res, case_dir, name);
      snprintf(name, sizeof name, "expected_ranks_%d.csv", k);
      expect_ranks(res, case_dir, name, out_path);
      CHECK_OK(downline_result_state(&previous, res));
      snprintf(name, sizeof name, "expected_state_%d.csv", k);
      expect_state(previous, case_dir, name, out_path);
    }
    downline_result_destroy(&res);
    downline_overrides_destroy(&overrides);
    downline_adjustments_destroy(&adjustments);
    free(period), free(overrides_path), free(adjustments_path);
  }
  CHECK(k > 2);
  downline_state_destroy(&previous);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
  free(plan_path), free(network_path), free(sales_path), free(out_path);
  return failures;
}

/* ---- state ---------------------------------------------------------------------------------- */

static void test_state(const char* prefix) {
  const char* members[] = {"R", "A"};
  const char* bonuses[] = {"bin", "bin"};
  const int64_t left[] = {600000, 0};
  const int64_t right[] = {0, 125000};
  downline_state* state = NULL;
  downline_state* again = NULL;
  downline_carry c;
  char* path = concat(prefix, ".state.csv");
  char* text;
  CHECK_OK(downline_state_from_arrays(&state, 2, members, bonuses, left, right));
  CHECK(downline_state_size(state) == 2);
  CHECK_OK(downline_state_entry(&c, state, 1));
  CHECK_STR(c.member_id, "A");
  CHECK_STR(c.bonus, "bin");
  CHECK(c.left == 0 && c.right == 125000);
  CHECK_OK(downline_state_write_csv(state, path));
  text = read_file(path);
  CHECK(text != NULL);
  if (text) CHECK_STR(text, "member_id,key,value\n,period,\nR,carry_left:bin,60\nA,carry_right:bin,12.5\n");
  CHECK_OK(downline_state_from_csv(&again, path));
  CHECK(downline_state_size(again) == 2);
  CHECK_OK(downline_state_entry(&c, again, 0));
  CHECK_STR(c.member_id, "R");
  CHECK(c.left == 600000 && c.right == 0);

  /* A plan without that binary bonus refuses the carry, naming where it came from. */
  {
    downline_plan* plan = NULL;
    downline_network* net = network01();
    downline_ledger* sales = NULL;
    downline_result* res = NULL;
    downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
    const char* m[] = {"R"};
    const int64_t a[] = {100};
    CHECK_OK(downline_plan_from_json(&plan, plan01, NULL));
    CHECK_OK(downline_ledger_from_arrays(&sales, net, 1, m, a, 2, NULL, 0, NULL, NULL, NULL));
    options.state_in = state;
    CHECK(downline_run(&res, plan, net, sales, &options) == DOWNLINE_ERROR_INPUT);
    CHECK(strstr(downline_last_error_message(), "state row 0") != NULL);
    CHECK(strstr(downline_last_error_message(), "'carry_left:bin'") != NULL);
    CHECK(res == NULL);
    /* No binary bonus, no carry out. R's own sale pays no one: no payout lines, and an empty
       buffer is then big enough. */
    CHECK_OK(downline_run(&res, plan, net, sales, NULL));
    {
      size_t count = 99;
      CHECK_OK(downline_result_payouts(NULL, 0, &count, res));
      CHECK(count == 0);
    }
    downline_state_destroy(&again);
    CHECK_OK(downline_result_state(&again, res));
    CHECK(downline_state_size(again) == 0);
    downline_result_destroy(&res);
    downline_ledger_destroy(&sales);
    downline_network_destroy(&net);
    downline_plan_destroy(&plan);
  }
  downline_state_destroy(&state);
  downline_state_destroy(&again);
  remove(path);
  free(path);
  free(text);
}

/*
 * Two periods with a binary bonus and the state between them, once binary exists:
 * R has A on its left and B on its right. January: L 100, R 40 -> matched 40, R earns 4.00,
 * carries L 60. February: L 60 + 0, R 100 -> matched 60, R earns 6.00, carries R 40.
 */
static void test_binary_periods(void) {
  const char* plan_text = "{ \"name\": \"bin\", \"bonuses\": [ { \"name\": \"bin\", \"type\": \"binary\", \"rate\": \"10%\" } ] }";
  const char* ids[] = {"R", "A", "B"};
  const char* sponsors[] = {"", "R", "R"};
  const char* placement[] = {"", "R", "R"};
  const char* positions[] = {"", "L", "R"};
  const char* members[] = {"A", "B", "B"};
  const int64_t cents[] = {10000, 4000, 10000};
  const char* dates[] = {"2026-01-10", "2026-01-11", "2026-02-03"};
  downline_plan* plan = NULL;
  downline_network* net = NULL;
  downline_ledger* sales = NULL;
  downline_result *jan = NULL, *feb = NULL, *feb_cold = NULL;
  downline_state* carry = NULL;
  downline_plan* levels = NULL;
  downline_network* twin = NULL;
  downline_layout *layout = NULL, *foreign = NULL, *lacking = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  int64_t amount = -1;
  if (downline_plan_from_json(&plan, plan_text, NULL) != DOWNLINE_OK) {
    CHECK(strstr(downline_last_error_message(), "not available") != NULL);
    printf("binary is not available in this build: two-period state test skipped\n");
    return;
  }
  CHECK_OK(downline_network_from_arrays(&net, 3, ids, sponsors, placement, positions, NULL));
  CHECK_OK(downline_ledger_from_arrays(&sales, net, 3, members, cents, 2, NULL, 0, NULL, dates, NULL));
  CHECK_OK(downline_layout_build(&layout, net, plan)); /* one placement for the three runs below */
  options.layout = layout;
  options.period = "2026-01";
  CHECK_OK(downline_run(&jan, plan, net, sales, &options));
  CHECK_OK(downline_result_amount(&amount, jan, "R", "bin"));
  CHECK(amount == 400);
  CHECK_OK(downline_result_state(&carry, jan));
  options.period = "2026-02";
  options.state_in = carry;
  CHECK_OK(downline_run(&feb, plan, net, sales, &options));
  CHECK_OK(downline_result_amount(&amount, feb, "R", "bin"));
  CHECK(amount == 600);
  options.state_in = NULL;
  CHECK_OK(downline_run(&feb_cold, plan, net, sales, &options));
  CHECK_OK(downline_result_amount(&amount, feb_cold, "R", "bin"));
  CHECK(amount == 0);
  downline_result_destroy(&feb_cold);

  /* A layout of another network handle (the same rows), or without the binary tree, is refused. */
  CHECK_OK(downline_network_from_arrays(&twin, 3, ids, sponsors, placement, positions, NULL));
  CHECK_OK(downline_layout_build(&foreign, twin, plan));
  options.layout = foreign;
  CHECK_ERROR(downline_run(&feb_cold, plan, net, sales, &options), DOWNLINE_ERROR_USAGE,
              "the network layout was built for another network of the same size (each load or build of a network is a "
              "network of its own) 'network'");
  CHECK(feb_cold == NULL);
  CHECK_OK(downline_plan_from_json(&levels, "{\"name\": \"l\", \"bonuses\": [{\"name\": \"u\", \"type\": \"unilevel\", "
                                            "\"rates\": [\"5%\"]}]}", NULL));
  CHECK_OK(downline_layout_build(&lacking, net, levels));
  options.layout = lacking;
  CHECK_ERROR(downline_run(&feb_cold, plan, net, sales, &options), DOWNLINE_ERROR_USAGE,
              "the network layout has no binary bfs placement tree, which bonus 'bin' pays over: build the layout with "
              "this plan 'bin'");
  /* Version 2 options end before `layout`: whatever follows is not read. */
  options.version = 2;
  options.layout = (const downline_layout*)&amount;
  CHECK_OK(downline_run(&feb_cold, plan, net, sales, &options));
  CHECK_OK(downline_result_amount(&amount, feb_cold, "R", "bin"));
  CHECK(amount == 0);
  downline_layout_destroy(&foreign);
  downline_layout_destroy(&lacking);
  downline_layout_destroy(&layout);
  downline_network_destroy(&twin);
  downline_plan_destroy(&levels);
  downline_result_destroy(&jan);
  downline_result_destroy(&feb);
  downline_result_destroy(&feb_cold);
  downline_state_destroy(&carry);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
  downline_plan_destroy(&plan);
}

/* ---- custom bonus types -------------------------------------------------------------------- */

typedef struct counters {
  int configured, evaluated, released_bonus, released_payload;
} counters;

/* "rebate": pays `rate_ppm` millionths of each of its own sale lines to the buyer. */
typedef struct rebate_config {
  long rate_ppm;
  int fail;
} rebate_config;

static int rebate_configure(void* payload, const char* json, void** data, char* message, size_t size) {
  counters* c = payload;
  rebate_config* config;
  const char* key = strstr(json, "\"rate_ppm\":");
  ++c->configured;
  /* Numbers reach the callback exactly as the plan wrote them. */
  if (strstr(json, "\"note\":") && !strstr(json, "\"note\":1.50")) {
    snprintf(message, size, "note lost its text '%s'", json);
    return 1;
  }
  if (strstr(json, "\"bogus\"")) {
    snprintf(message, size, "unknown key 'bogus'");
    return 1;
  }
  if (!key) {
    snprintf(message, size, "rate_ppm is required ''");
    return 1;
  }
  config = malloc(sizeof *config);
  if (!config) return 1;
  config->rate_ppm = strtol(key + strlen("\"rate_ppm\":"), NULL, 10);
  config->fail = strstr(json, "\"fail\":true") != NULL;
  *data = config;
  return 0;
}

static int rebate_evaluate(void* payload, void* data, const downline_period_view* period, downline_bonus_output* out,
                           char* message, size_t size) {
  const rebate_config* config = data;
  counters* c = payload;
  size_t k;
  ++c->evaluated;
  if (config->fail) {
    snprintf(message, size, "the commission server is down '%s'", period->bonus_name);
    return 1;
  }
  for (k = 0; k < period->line_count; ++k) {
    uint32_t buyer = period->line_member[k];
    if (downline_bonus_credit(out, buyer, buyer, (uint32_t)k, 0, period->line_amount[k], config->rate_ppm) !=
        DOWNLINE_OK)
      return 1;
  }
  /* Out-of-range rows are refused, not written. */
  if (downline_bonus_credit(out, (uint32_t)period->member_count, DOWNLINE_NO_MEMBER, DOWNLINE_NO_MEMBER, 0, 1, 1) !=
      DOWNLINE_ERROR_USAGE)
    return 1;
  return 0;
}

static void rebate_release(void* payload, void* data) {
  counters* c = payload;
  ++c->released_bonus;
  free(data);
}

/* "third": one third of a unit to every member with volume, exactly (decimals 12), or one
   cent in minor units with "minor": checks both output units. */
static int third_configure(void* payload, const char* json, void** data, char* message, size_t size) {
  (void)payload, (void)message, (void)size;
  *data = strstr(json, "\"minor\":true") ? malloc(1) : NULL; /* non-NULL: minor units */
  return 0;
}

static int third_evaluate(void* payload, void* data, const downline_period_view* period, downline_bonus_output* out,
                          char* message, size_t size) {
  size_t m;
  char id[80];
  size_t needed = 0;
  (void)payload, (void)message, (void)size;
  if (period->member_count == 0) return 0;
  /* Row 0's id is readable from inside the callback. */
  if (downline_period_member_id(id, sizeof id, &needed, period, 0) != DOWNLINE_OK || needed != strlen(id) + 1) return 1;
  if (!data) out->amount_decimals = DOWNLINE_EXACT_DECIMALS;
  for (m = 0; m < period->member_count; ++m)
    if (period->pv[m] > 0) out->amounts[m] = data ? 1 : 333333333333; /* 0.01 or 0.333333333333 */
  return 0;
}

static void third_release(void* payload, void* data) {
  (void)payload;
  free(data);
}

static void test_custom_bonus(void) {
  static counters c = {0, 0, 0, 0};
  downline_bonus_type rebate = {DOWNLINE_BONUS_TYPE_VERSION, &c, rebate_configure, rebate_evaluate, rebate_release,
                                NULL};
  downline_bonus_type third = {DOWNLINE_BONUS_TYPE_VERSION, NULL, third_configure, third_evaluate, third_release, NULL};
  /* Case 01's plan and data plus a 5% rebate and the thirds. A is inactive (PV 30 < 50). */
  const char* plan_text =
      "{ \"name\": \"custom\", \"money_decimals\": 2, \"qualification\": { \"active_pv\": \"50\" },"
      "  \"bonuses\": [ { \"name\": \"level\", \"type\": \"unilevel\", \"rates\": [\"10%\", \"5%\", \"2%\"] },"
      "                 { \"name\": \"rebate\", \"type\": \"c_rebate\", \"rate_ppm\": 50000, \"note\": 1.50 },"
      "                 { \"name\": \"third\", \"type\": \"c_third\", \"require_active\": false },"
      "                 { \"name\": \"cent\", \"type\": \"c_third\", \"minor\":true } ] }";
  const char* members[] = {"R", "A", "B", "C", "D", "E"};
  const int64_t cents[] = {10000, 3000, 8000, 20000, 5000, 10000};
  downline_plan* plan = NULL;
  downline_network* net = network01();
  downline_ledger* sales = NULL;
  downline_result* res = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  int64_t amount = -1;

  CHECK_OK(downline_register_bonus_type("c_rebate", &rebate));
  CHECK_OK(downline_register_bonus_type("c_third", &third));
  CHECK_OK(downline_plan_from_json(&plan, plan_text, "custom.json"));
  CHECK(c.configured == 1);
  CHECK_STR(downline_plan_bonus_type(plan, 1), "c_rebate");
  CHECK_OK(downline_ledger_from_arrays(&sales, net, 6, members, cents, 2, NULL, 0, NULL, NULL, NULL));
  options.explain = 1;
  CHECK_OK(downline_run(&res, plan, net, sales, &options));
  CHECK(c.evaluated == 1);
  /* rebate: 5% of own sales, qualified (active) members only: A's 30.00 pays nothing. */
  CHECK_OK(downline_result_amount(&amount, res, "R", "rebate"));
  CHECK(amount == 500);
  CHECK_OK(downline_result_amount(&amount, res, "D", "rebate"));
  CHECK(amount == 250);
  CHECK_OK(downline_result_amount(&amount, res, "A", "rebate"));
  CHECK(amount == 0);
  /* third: 0.333333333333 rounds half_even to 0.33, A included (require_active false). */
  CHECK_OK(downline_result_amount(&amount, res, "A", "third"));
  CHECK(amount == 33);
  /* cent: 1 minor unit, active members only. */
  CHECK_OK(downline_result_amount(&amount, res, "E", "cent"));
  CHECK(amount == 1);
  CHECK_OK(downline_result_amount(&amount, res, "A", "cent"));
  CHECK(amount == 0);
  /* The unilevel bonus beside them is unchanged: R 12.00. */
  CHECK_OK(downline_result_amount(&amount, res, "R", "level"));
  CHECK(amount == 1200);
  { /* The rebate's explanation lines: one per qualified buyer, amount exact. */
    size_t i, rebate_lines = 0;
    for (i = 0; i < downline_result_line_count(res); ++i) {
      downline_line l;
      CHECK_OK(downline_result_line(&l, res, i));
      if (strcmp(l.bonus, "rebate") != 0) continue;
      ++rebate_lines;
      CHECK_STR(l.source_member_id, l.member_id);
      if (strcmp(l.member_id, "C") == 0) CHECK_STR(l.amount, "10");
    }
    CHECK(rebate_lines == 5);
  }
  downline_result_destroy(&res);

  /* configure's message becomes the plan error, with the JSON path. */
  {
    downline_plan* bad = NULL;
    const char* bogus =
        "{ \"name\": \"x\", \"bonuses\": [ { \"name\": \"level\", \"type\": \"unilevel\", \"rates\": [\"1%\"] },"
        "  { \"name\": \"r\", \"type\": \"c_rebate\", \"rate_ppm\": 1, \"bogus\": 2 } ] }";
    CHECK(downline_plan_from_json(&bad, bogus, "bad.json") == DOWNLINE_ERROR_PLAN);
    CHECK_STR(downline_last_error_message(), "bad.json: bonuses[1]: unknown key 'bogus'");
    CHECK(bad == NULL);
  }
  /* evaluate's failure fails the run with DOWNLINE_ERROR_CALLBACK. */
  {
    downline_plan* failing = NULL;
    const char* text = "{ \"name\": \"x\", \"bonuses\": [ { \"name\": \"r\", \"type\": \"c_rebate\", \"rate_ppm\": 1, \"fail\":true } ] }";
    CHECK_OK(downline_plan_from_json(&failing, text, NULL));
    CHECK(downline_run(&res, failing, net, sales, NULL) == DOWNLINE_ERROR_CALLBACK);
    CHECK_STR(downline_last_error_message(), "bonus 'r' (type 'c_rebate'): the commission server is down 'r'");
    CHECK(res == NULL);
    downline_plan_destroy(&failing);
  }
  /* Each configured bonus's data is released with its plan (the failed one too). */
  downline_plan_destroy(&plan);
  CHECK(c.released_bonus == 2);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&net);
}

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "golden") == 0) {
    run_golden(argv[2], argv[3]);
  } else if (argc == 4 && strcmp(argv[1], "periods") == 0) {
    run_periods(argv[2], argv[3]);
  } else if (argc == 4 && strcmp(argv[1], "history") == 0) {
    run_history(argv[2], argv[3]);
  } else if (argc == 4 && strcmp(argv[1], "api") == 0) {
    CHECK_STR(downline_version(), "0.1.0");
    test_arrays();
    test_array_units();
    test_state(argv[3]);
    test_binary_periods();
    test_custom_bonus();
  } else {
    fprintf(stderr, "usage: %s golden|periods CASE_DIR OUT_PREFIX | api GOLDEN_DIR OUT_PREFIX\n", argv[0]);
    return 2;
  }
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("all checks passed\n");
  return failures ? 1 : 0;
}
