/* SPDX-License-Identifier: MIT */
/*
 * A CRM's month-end commission run through downline's C API: copy this file to start.
 *
 *   crm_example                                 uses the small built-in data below
 *   crm_example PLAN.json NETWORK.csv SALES.csv [YYYY-MM]   reads files (as `downline run`)
 *
 * The CRM keeps members and orders in its own database; here they are plain arrays, as a
 * query would return them: ids as strings, money as integer cents. The program loads the plan,
 * runs the period, prints a statement per earner and the summary, and shows how every call's
 * status and downline_last_error_message() are handled.
 *
 * Build against an installed downline:
 *   cc -std=c11 crm_example.c $(pkg-config --cflags --libs downline)
 * or in CMake: find_package(downline) and target_link_libraries(app PRIVATE downline::c).
 */
#include <downline/downline.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* Stops with the message of the failed call: the same words as the `downline` CLI. */
static void check(downline_status status, const char* what) {
  if (status == DOWNLINE_OK) return;
  fprintf(stderr, "crm_example: %s failed (%s): %s\n", what, downline_status_name(status),
          downline_last_error_message());
  exit(1);
}

static const char* plan_json =
    "{\n"
    "  \"name\": \"Spring plan\", \"currency\": \"EUR\", \"money_decimals\": 2,\n"
    "  \"qualification\": { \"active_pv\": \"50\" },\n"
    "  \"ranks\": [ { \"name\": \"Associate\", \"pv\": \"50\" },\n"
    "             { \"name\": \"Manager\", \"pv\": \"100\", \"gv\": \"1000\" } ],\n"
    "  \"bonuses\": [\n"
    "    { \"name\": \"level\", \"type\": \"unilevel\", \"rates\": [\"10%\", \"5%\", \"3%\"],\n"
    "      \"compression\": \"dynamic\" },\n"
    "    { \"name\": \"leadership\", \"type\": \"unilevel\", \"min_rank\": \"Manager\", \"rates\": [\"2%\", \"2%\"] }\n"
    "  ]\n"
    "}\n";

/* Members as the CRM's `members` table returns them (a sponsor may come after its recruits). */
static const char* member_ids[] = {"1001", "1002", "1003", "1004", "1005", "1006"};
static const char* sponsor_ids[] = {NULL, "1001", "1001", "1002", "1004", "1003"};

/* This month's orders: buyer, total in cents, order number. */
static const char* order_members[] = {"1001", "1002", "1003", "1004", "1005", "1006", "1004"};
static const int64_t order_cents[] = {12000, 45000, 6000, 30000, 9000, 15000, -5000};
static const char* order_numbers[] = {"SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6", "RMA-4"};

static void print_money(const downline_result* res, int64_t minor) {
  char text[32];
  size_t needed = 0;
  check(downline_format_minor(text, sizeof text, &needed, minor, downline_result_money_decimals(res)),
        "downline_format_minor");
  printf("%12s", text);
}

int main(int argc, char** argv) {
  downline_plan* plan = NULL;
  downline_network* network = NULL;
  downline_ledger* sales = NULL;
  downline_result* result = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  downline_summary summary;
  size_t i;

  if (argc >= 4) {
    check(downline_plan_from_file(&plan, argv[1]), "reading the plan");
    check(downline_network_from_csv(&network, argv[2]), "reading the network");
    check(downline_ledger_from_csv(&sales, network, argv[3]), "reading the sales");
    if (argc >= 5) options.period = argv[4];
  } else {
    size_t members = sizeof member_ids / sizeof *member_ids, orders = sizeof order_cents / sizeof *order_cents;
    check(downline_plan_from_json(&plan, plan_json, "spring-plan.json"), "loading the plan");
    check(downline_network_from_arrays(&network, members, member_ids, sponsor_ids, NULL, NULL, NULL),
          "loading the members");
    check(downline_ledger_from_arrays(&sales, network, orders, order_members, order_cents, 2, NULL, 0, NULL, NULL,
                                      order_numbers),
          "loading the orders");
  }
  options.explain = 1; /* keep the "why" of every amount for the statements */
  check(downline_run(&result, plan, network, sales, &options), "running the period");

  printf("Commission statements: %s (%s)\n", downline_plan_name(plan), downline_plan_currency(plan));
  for (i = 0; i < downline_result_payout_count(result); ++i) {
    downline_payout p;
    int64_t total = 0;
    check(downline_result_payout(&p, result, i), "reading a payout");
    check(downline_result_amount(&total, result, p.member_id, NULL), "reading a member's total");
    printf("  member %-8s %-12s", p.member_id, p.bonus);
    print_money(result, p.amount);
    printf("   (member total");
    print_money(result, total);
    printf(")\n");
  }

  /* The first few explanation lines: which order paid whom, at which level and rate. */
  printf("Why (first lines):\n");
  for (i = 0; i < downline_result_line_count(result) && i < 5; ++i) {
    downline_line l;
    check(downline_result_line(&l, result, i), "reading an explanation line");
    printf("  %s earns %s from %s's order %s at level %" PRIu32 ", rate %" PRId64 " ppm\n", l.member_id, l.amount,
           l.source_member_id, l.order_id[0] ? l.order_id : "-", l.level, l.rate);
  }

  check(downline_result_summary(&summary, result), "reading the summary");
  printf("Members %" PRIu64 ", sale lines %" PRIu64 ", earners %" PRIu64 ", total payout", summary.members,
         summary.sale_lines, summary.earners);
  print_money(result, summary.total_payout);
  printf("\n");

  /* Errors are values: an unknown member id is reported, not fatal. */
  {
    int64_t amount = 0;
    downline_status status = downline_result_amount(&amount, result, "no-such-member", NULL);
    printf("Looking up an unknown member: %s (%s)\n", downline_status_name(status), downline_last_error_message());
  }

  downline_result_destroy(&result);
  downline_ledger_destroy(&sales);
  downline_network_destroy(&network);
  downline_plan_destroy(&plan);
  return 0;
}
