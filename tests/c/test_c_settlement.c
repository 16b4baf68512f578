/* SPDX-License-Identifier: MIT */
/*
 * Settlement through the C API (SPEC §11), as strict C11:
 *
 *   downline_test_c_settlement <case_dir> <out_prefix>   one case of tests/data/settlement
 *
 * Periods 1, 2, … (while args_<n> exists) run in a row, each with network_<n>.csv and the
 * previous period's state; the payables rows and the settlement totals (read in minor units and
 * formatted here) and the files written by the library are compared with the hand-computed
 * expected files.
 */
#include <downline/downline.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void check_same(const char* what, const char* actual, const char* expected) {
  if (!actual || !expected || strcmp(actual, expected) != 0) {
    fprintf(stderr, "%s differs\n--- expected\n%s--- actual\n%s", what, expected ? expected : "(none)\n",
            actual ? actual : "(none)\n");
    ++failures;
  }
}

/* The whole file as a NUL-terminated string (caller frees), or NULL. */
static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text = NULL;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
      free(text);
      text = NULL;
    }
    if (text) text[size] = '\0';
  }
  fclose(f);
  return text;
}

/* "<dir>/<name>" with %d replaced by n (caller frees). */
static char* path_of(const char* dir, const char* name, int n) {
  size_t size = strlen(dir) + strlen(name) + 32;
  char* s = malloc(size);
  char* file = malloc(size);
  if (!s || !file) abort();
  snprintf(file, size, name, n);
  snprintf(s, size, "%s/%s", dir, file);
  free(file);
  return s;
}

/* prefix + suffix (caller frees). */
static char* with_suffix(const char* prefix, const char* suffix) {
  char* s = malloc(strlen(prefix) + strlen(suffix) + 1);
  if (!s) abort();
  strcpy(s, prefix);
  strcat(s, suffix);
  return s;
}

/* The period of args_<n> ("--period YYYY-MM"), or 0 when there is no such file. */
static int period_of(const char* case_dir, int n, char* period, size_t size) {
  char* path = path_of(case_dir, "args_%d", n);
  char* text = read_file(path);
  char* token = text ? strtok(text, " \t\r\n") : NULL;
  char* value = token ? strtok(NULL, " \t\r\n") : NULL;
  int found = text != NULL;
  if (found) {
    CHECK(token && strcmp(token, "--period") == 0 && value && strlen(value) < size);
    if (value && strlen(value) < size) strcpy(period, value);
  }
  free(path);
  free(text);
  return found;
}

/* payables.csv rebuilt from the rows read in minor units, through downline_format_minor. */
static char* payables_from_rows(const downline_result* res) {
  size_t count = downline_result_payable_count(res), i, used = 0, cap = 128 + count * 400;
  int decimals = downline_result_money_decimals(res);
  char* out = malloc(cap);
  if (!out) abort();
  used += (size_t)sprintf(out, "member_id,earned,balance_in,fee,deductions,paid,balance_out,forfeited,status\n");
  for (i = 0; i < count; ++i) {
    downline_payable p;
    int64_t figures[7];
    size_t k, needed = 0;
    CHECK_OK(downline_result_payable(&p, res, i));
    figures[0] = p.earned, figures[1] = p.balance_in, figures[2] = p.fee, figures[3] = p.deductions;
    figures[4] = p.paid, figures[5] = p.balance_out, figures[6] = p.forfeited;
    CHECK(p.earned + p.balance_in == p.fee + p.deductions + p.paid + p.balance_out + p.forfeited);
    used += (size_t)sprintf(out + used, "%s", p.member_id);
    for (k = 0; k < 7; ++k) {
      char money[64];
      CHECK_OK(downline_format_minor(money, sizeof money, &needed, figures[k], decimals));
      used += (size_t)sprintf(out + used, ",%s", money);
    }
    used += (size_t)sprintf(out + used, ",%s\n", p.status);
  }
  return out;
}

static void expect_file(const char* what, const char* written, const char* expected_path) {
  char* got = read_file(written);
  char* expected = read_file(expected_path);
  check_same(what, got, expected);
  remove(written);
  free(got);
  free(expected);
}

/* `"<key>": "<minor formatted>"` is in the expected summary JSON `json`. */
static void expect_figure(const char* json, const char* key, int64_t minor, int decimals, int n) {
  char figure[64], text[128];
  size_t needed = 0;
  CHECK_OK(downline_format_minor(figure, sizeof figure, &needed, minor, decimals));
  snprintf(text, sizeof text, "\"%s\": \"%s\"", key, figure);
  if (!json || !strstr(json, text)) {
    fprintf(stderr, "period %d: %s not in expected_settlement_%d.json\n", n, text, n);
    ++failures;
  }
}

/* The settlement totals read in minor units, against expected_settlement_<n>.json (the
 * summary's "settlement", computed by hand). */
static void check_settlement_totals(const downline_result* res, const char* case_dir, int n) {
  char* path = path_of(case_dir, "expected_settlement_%d.json", n);
  char* json = read_file(path);
  const int decimals = downline_result_money_decimals(res);
  downline_settlement_totals t;
  int64_t all_deductions = 0;
  char paid_members[64];
  size_t i;
  CHECK_OK(downline_result_settlement(&t, res));
  expect_figure(json, "earned", t.earned, decimals, n);
  expect_figure(json, "balance_in", t.balance_in, decimals, n);
  expect_figure(json, "paid", t.paid, decimals, n);
  expect_figure(json, "fees", t.fees, decimals, n);
  expect_figure(json, "positive", t.carried_positive, decimals, n);
  expect_figure(json, "negative", t.carried_negative, decimals, n);
  expect_figure(json, "forfeited", t.forfeited, decimals, n);
  snprintf(paid_members, sizeof paid_members, "\"paid_members\": %llu,", (unsigned long long)t.paid_members);
  CHECK(json && strstr(json, paid_members));
  CHECK(downline_result_deduction_count(res) == 2); /* admin and tax */
  for (i = 0; i < downline_result_deduction_count(res); ++i) {
    const char* name = NULL;
    int64_t total = 0;
    CHECK_OK(downline_result_deduction(&name, &total, res, i));
    if (name) expect_figure(json, name, total, decimals, n);
    all_deductions += total;
  }
  CHECK(t.deductions == all_deductions);
  CHECK(downline_result_deduction_count(NULL) == 0);
  CHECK(downline_result_settlement(&t, NULL) == DOWNLINE_ERROR_USAGE);
  {
    const char* name = NULL;
    int64_t total = 0;
    CHECK(downline_result_deduction(&name, &total, res, 2) == DOWNLINE_ERROR_USAGE);
  }
  free(json);
  free(path);
}

int main(int argc, char** argv) {
  const char *case_dir, *prefix;
  char *plan_path, *sales_path, *payables_path, *state_path;
  char period[32];
  downline_plan* plan = NULL;
  downline_state* state = NULL;
  int n;
  if (argc != 3) {
    fprintf(stderr, "usage: %s <case_dir> <out_prefix>\n", argv[0]);
    return 2;
  }
  case_dir = argv[1], prefix = argv[2];
  plan_path = path_of(case_dir, "plan.json", 0);
  sales_path = path_of(case_dir, "sales.csv", 0);
  payables_path = with_suffix(prefix, ".payables.csv");
  state_path = with_suffix(prefix, ".state.csv");
  CHECK_OK(downline_plan_from_file(&plan, plan_path));
  CHECK(downline_result_payable_count(NULL) == 0);
  for (n = 1; period_of(case_dir, n, period, sizeof period); ++n) {
    char* network_path = path_of(case_dir, "network_%d.csv", n);
    char* expected_payables = path_of(case_dir, "expected_payables_%d.csv", n);
    char* expected_state = path_of(case_dir, "expected_state_%d.csv", n);
    char* expected_text = read_file(expected_payables);
    downline_network* net = NULL;
    downline_ledger* sales = NULL;
    downline_result* res = NULL;
    downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
    downline_payable beyond;
    CHECK_OK(downline_network_from_csv(&net, network_path));
    CHECK_OK(downline_ledger_from_csv(&sales, net, sales_path));
    options.period = period;
    options.state_in = state;
    CHECK_OK(downline_run(&res, plan, net, sales, &options));
    if (res) {
      char* rebuilt = payables_from_rows(res);
      check_same(expected_payables, rebuilt, expected_text);
      free(rebuilt);
      CHECK(downline_result_payable(&beyond, res, downline_result_payable_count(res)) == DOWNLINE_ERROR_USAGE);
      check_settlement_totals(res, case_dir, n);
      CHECK_OK(downline_result_write_payables(res, payables_path));
      expect_file(expected_payables, payables_path, expected_payables);
      downline_state_destroy(&state);
      CHECK_OK(downline_result_state(&state, res));
      CHECK_OK(downline_state_write_csv(state, state_path));
      expect_file(expected_state, state_path, expected_state);
    }
    downline_result_destroy(&res);
    downline_ledger_destroy(&sales);
    downline_network_destroy(&net);
    free(network_path), free(expected_payables), free(expected_state), free(expected_text);
  }
  CHECK(n > 1);
  downline_state_destroy(&state);
  downline_plan_destroy(&plan);
  free(plan_path), free(sales_path), free(payables_path), free(state_path);
  return failures ? 1 : 0;
}
