/* SPDX-License-Identifier: MIT */
/*
 * A CRM's commission run against PostgreSQL: reads the members, one period's orders and the
 * state the previous period left (ranks, carried balances) with COPY, runs the plan through
 * downline's C API, and writes the period's payouts, payables and state back.
 *
 *   crm_postgres CONNINFO PLAN.json PERIOD
 *   crm_postgres "host=/tmp/pg dbname=crm" plan.json 2026-01
 *
 * Everything happens in ONE transaction that first locks the period's row: the payouts,
 * payables and state of the period are replaced as a whole, so running a period again replaces
 * its rows, and a run that fails anywhere (bad data, a plan error, a failed write) rolls back
 * and leaves the previous rows untouched. A closed period is refused; so is a period whose
 * predecessor was never computed, or one with a later period already computed (its figures
 * would go stale). Tables: schema.sql.
 *
 * Money stays exact: order amounts leave SQL as integer cents (`amount * 100`, exact for
 * numeric(14,2)), payouts go back as decimal text from downline_format_minor.
 *
 * Build: cc -std=c11 crm_postgres.c $(pkg-config --cflags --libs downline libpq)
 */
#include <downline/downline.h>
#include <libpq-fe.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors: one message, reported once at the end ------------------------------------------ */

static char failure[2048];

static int fail(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(failure, sizeof failure, format, args);
  va_end(args);
  failure[strcspn(failure, "\n")] = '\0'; /* libpq's messages end with a newline */
  return -1;
}

static int downline_failed(downline_status status, const char* what) {
  if (status == DOWNLINE_OK) return 0;
  return fail("%s: %s", what, downline_last_error_message());
}

/* Runs a statement that returns no rows or `expected` rows; the result is cleared unless kept. */
static int execute(PGconn* db, const char* sql, ExecStatusType expected, PGresult** kept) {
  PGresult* res = PQexec(db, sql);
  if (PQresultStatus(res) != expected) {
    fail("%s", PQerrorMessage(db));
    PQclear(res);
    return -1;
  }
  if (kept) *kept = res;
  else PQclear(res);
  return 0;
}

/* ---- COPY ... TO STDOUT: rows of text cells --------------------------------------------------- */

typedef struct text_table {
  size_t columns;
  size_t rows;
  size_t capacity;
  char** cells; /* rows x columns, row-major; NULL is SQL NULL */
} text_table;

static void text_table_free(text_table* t) {
  size_t i;
  for (i = 0; i < t->rows * t->columns; ++i) free(t->cells[i]);
  free(t->cells);
  t->cells = NULL;
  t->rows = t->capacity = 0;
}

/* Decodes one field of COPY's text format in place ("\N" is NULL; \t, \n, \\ … are escapes). */
static char* decode_field(char* field) {
  static const char escapes[] = "b\bf\fn\nr\rt\tv\v";
  char *in = field, *out = field;
  if (strcmp(field, "\\N") == 0) return NULL;
  while (*in) {
    if (*in == '\\' && in[1]) {
      const char* e = strchr(escapes, in[1]);
      *out++ = e && (e - escapes) % 2 == 0 ? e[1] : in[1];
      in += 2;
    } else {
      *out++ = *in++;
    }
  }
  *out = '\0';
  return field;
}

/* strdup, which strict C11 does not have. */
static char* copy_text(const char* text) {
  size_t size = strlen(text) + 1;
  char* copy = malloc(size);
  return copy ? memcpy(copy, text, size) : NULL;
}

static int append_row(text_table* t, char* line, const char* query) {
  size_t c;
  char* field = line;
  if (t->rows == t->capacity) {
    size_t capacity = t->capacity ? 2 * t->capacity : 1024;
    char** cells = realloc(t->cells, capacity * t->columns * sizeof *cells);
    if (!cells) return fail("out of memory reading %s", query);
    t->cells = cells;
    t->capacity = capacity;
  }
  line[strcspn(line, "\n")] = '\0';
  for (c = 0; c < t->columns; ++c) {
    char* end = strchr(field, '\t');
    char* value;
    if ((end == NULL) != (c + 1 == t->columns)) return fail("%s: unexpected number of columns", query);
    if (end) *end = '\0';
    value = decode_field(field);
    t->cells[t->rows * t->columns + c] = value ? copy_text(value) : NULL;
    if (value && !t->cells[t->rows * t->columns + c]) return fail("out of memory reading %s", query);
    field = end ? end + 1 : field;
  }
  ++t->rows;
  return 0;
}

/* Runs `COPY (query) TO STDOUT` and keeps its rows in `out` (`columns` cells each). */
static int copy_out(PGconn* db, const char* query, size_t columns, text_table* out) {
  char* sql = malloc(strlen(query) + 32);
  char* line = NULL;
  int got, status = 0;
  PGresult* res;
  if (!sql) return fail("out of memory");
  sprintf(sql, "COPY (%s) TO STDOUT", query);
  out->columns = columns;
  status = execute(db, sql, PGRES_COPY_OUT, NULL);
  free(sql);
  if (status != 0) return -1;
  while ((got = PQgetCopyData(db, &line, 0)) > 0) {
    if (status == 0) status = append_row(out, line, query);
    PQfreemem(line);
  }
  if (got == -2) status = fail("%s", PQerrorMessage(db));
  while ((res = PQgetResult(db)) != NULL) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK && status == 0) status = fail("%s", PQerrorMessage(db));
    PQclear(res);
  }
  return status;
}

/* One column of a table as an array of pointers into its cells (NULL stays NULL). */
static const char** column(const text_table* t, size_t c) {
  size_t r;
  const char** values = malloc((t->rows ? t->rows : 1) * sizeof *values);
  if (!values) return NULL;
  for (r = 0; r < t->rows; ++r) values[r] = t->cells[r * t->columns + c];
  return values;
}

/* An integer column (SQL bigint text) as int64_t values. */
static int64_t* integers(const text_table* t, size_t c) {
  size_t r;
  int64_t* values = malloc((t->rows ? t->rows : 1) * sizeof *values);
  if (!values) return NULL;
  for (r = 0; r < t->rows; ++r) values[r] = strtoll(t->cells[r * t->columns + c], NULL, 10);
  return values;
}

/* ---- reading the CRM ------------------------------------------------------------------------ */

/* Network columns in downline's order: id, sponsor_id, placement_id, position, joined, status. */
static const char* members_query =
    "SELECT id, sponsor_id, placement_id, position, to_char(joined, 'YYYY-MM-DD'), status "
    "FROM members ORDER BY member_no";

static int read_network(PGconn* db, downline_network** network) {
  text_table t = {0, 0, 0, NULL};
  const char** cols[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
  size_t c;
  int status = copy_out(db, members_query, 6, &t);
  for (c = 0; status == 0 && c < 6; ++c)
    if (!(cols[c] = column(&t, c))) status = fail("out of memory");
  if (status == 0)
    status = downline_failed(downline_network_from_arrays_with_status(network, t.rows, cols[0], cols[1], cols[2],
                                                                      cols[3], cols[4], cols[5]),
                             "reading the members");
  for (c = 0; c < 6; ++c) free((void*)cols[c]);
  text_table_free(&t);
  return status;
}

/*
 * The state the period before this one wrote (NULL *state when this is the first period). The
 * period before is the latest one ending before this one starts; it must have been computed.
 */
static int read_previous_state(PGconn* db, const char* period, const char* period_literal, downline_state** state) {
  text_table t = {0, 0, 0, NULL};
  const char **members = NULL, **keys = NULL, **values = NULL;
  PGresult* res = NULL;
  char* previous = NULL;
  char* previous_literal = NULL;
  char sql[1024];
  int status;
  *state = NULL;
  snprintf(sql, sizeof sql,
           "SELECT p.period_id, p.computed_at IS NOT NULL FROM commission_periods p, commission_periods this "
           "WHERE this.period_id = %s AND p.ends_on < this.starts_on ORDER BY p.ends_on DESC LIMIT 1",
           period_literal);
  if (execute(db, sql, PGRES_TUPLES_OK, &res)) return -1;
  if (PQntuples(res) == 0) {
    PQclear(res);
    return 0;
  }
  if (strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
    status = fail("the period before '%s', '%s', has not been computed: run it first", period, PQgetvalue(res, 0, 0));
    PQclear(res);
    return status;
  }
  previous = copy_text(PQgetvalue(res, 0, 0));
  PQclear(res);
  if (!previous) return fail("out of memory");
  previous_literal = PQescapeLiteral(db, previous, strlen(previous));
  if (!previous_literal) status = fail("%s", PQerrorMessage(db));
  else {
    snprintf(sql, sizeof sql, "SELECT member_id, key, value FROM member_state WHERE period_id = %s ORDER BY member_id, key",
             previous_literal);
    status = copy_out(db, sql, 3, &t);
  }
  if (status == 0) {
    members = column(&t, 0);
    keys = column(&t, 1);
    values = column(&t, 2);
    if (!members || !keys || !values) status = fail("out of memory");
  }
  if (status == 0)
    status = downline_failed(downline_state_from_rows(state, previous, t.rows, members, keys, values),
                             "reading the previous period's state");
  free((void*)members);
  free((void*)keys);
  free((void*)values);
  text_table_free(&t);
  if (previous_literal) PQfreemem(previous_literal);
  free(previous);
  return status;
}

static uint8_t kind_code(const char* kind) {
  if (strcmp(kind, "personal") == 0) return DOWNLINE_KIND_PERSONAL;
  if (strcmp(kind, "fee") == 0) return DOWNLINE_KIND_FEE;
  return DOWNLINE_KIND_RETAIL; /* the schema's CHECK admits only these three */
}

/* The period's orders: amount in cents, volume in ten-thousandths of a point (both exact). */
static int read_orders(PGconn* db, const char* period_literal, const downline_network* network,
                       downline_ledger** ledger) {
  text_table t = {0, 0, 0, NULL};
  const char **members = NULL, **dates = NULL, **orders = NULL;
  int64_t *amounts = NULL, *volumes = NULL;
  uint8_t* kinds = NULL;
  size_t r;
  char query[1024];
  int status;
  snprintf(query, sizeof query,
           "SELECT o.member_id, (o.amount * 100)::bigint, (coalesce(o.volume, o.amount) * 10000)::bigint, "
           "o.kind, to_char(o.ordered_on, 'YYYY-MM-DD'), o.order_no "
           "FROM orders o JOIN commission_periods p ON o.ordered_on BETWEEN p.starts_on AND p.ends_on "
           "WHERE p.period_id = %s ORDER BY o.ordered_on, o.order_no",
           period_literal);
  status = copy_out(db, query, 6, &t);
  if (status == 0) {
    members = column(&t, 0);
    amounts = integers(&t, 1);
    volumes = integers(&t, 2);
    dates = column(&t, 4);
    orders = column(&t, 5);
    kinds = malloc(t.rows ? t.rows : 1);
    if (!members || !amounts || !volumes || !dates || !orders || !kinds) status = fail("out of memory");
  }
  for (r = 0; status == 0 && r < t.rows; ++r) kinds[r] = kind_code(t.cells[r * t.columns + 3]);
  if (status == 0)
    status = downline_failed(downline_ledger_from_arrays(ledger, network, t.rows, members,
                                                         amounts, 2, volumes, 4, kinds, dates, orders),
                             "reading the orders");
  free((void*)members);
  free(amounts);
  free(volumes);
  free(kinds);
  free((void*)dates);
  free((void*)orders);
  text_table_free(&t);
  return status;
}

/* ---- writing the payouts -------------------------------------------------------------------- */

/* Appends `text` to `out` escaped for COPY's text format (tab, newline, backslash). */
static char* put_escaped(char* out, const char* text) {
  for (; *text; ++text) {
    if (*text == '\\' || *text == '\t' || *text == '\n' || *text == '\r') {
      *out++ = '\\';
      *out++ = *text == '\t' ? 't' : *text == '\n' ? 'n' : *text == '\r' ? 'r' : '\\';
    } else {
      *out++ = *text;
    }
  }
  return out;
}

/* A row of COPY's text format being built: cells escaped, tab separated, newline ended. */
typedef struct copy_row {
  char text[2048];
  size_t length;
  int overflow;
} copy_row;

static void put_cell(copy_row* row, const char* cell) {
  char escaped[2 * 512 + 2];
  size_t size;
  if (strlen(cell) > 512) {
    row->overflow = 1;
    return;
  }
  size = (size_t)(put_escaped(escaped, cell) - escaped);
  if (row->length + size + 1 >= sizeof row->text) {
    row->overflow = 1;
    return;
  }
  memcpy(row->text + row->length, escaped, size);
  row->length += size;
  row->text[row->length++] = '\t';
}

/* A money cell: minor units as exact decimal text. */
static int put_money(copy_row* row, int64_t minor, int decimals) {
  char text[48];
  size_t needed = 0;
  if (downline_failed(downline_format_minor(text, sizeof text, &needed, minor, decimals), "formatting an amount"))
    return -1;
  put_cell(row, text);
  return 0;
}

/* Fills row i of `source` (a result or a state) through put_cell; non-zero after fail() stops. */
typedef int (*row_writer)(copy_row* row, const void* source, size_t i);

/* `COPY table FROM STDIN` of `count` rows, each starting with the period's id. */
static int copy_in(PGconn* db, const char* copy_sql, const char* period, const void* source, size_t count,
                   row_writer write_row) {
  size_t i;
  int status = execute(db, copy_sql, PGRES_COPY_IN, NULL);
  PGresult* res;
  for (i = 0; status == 0 && i < count; ++i) {
    copy_row row = {"", 0, 0};
    put_cell(&row, period);
    status = write_row(&row, source, i);
    if (status != 0) break;
    if (row.overflow) {
      status = fail("%s: row %zu too long", copy_sql, i + 1);
      break;
    }
    row.text[row.length - 1] = '\n'; /* the last cell's tab ends the row */
    if (PQputCopyData(db, row.text, (int)row.length) != 1) status = fail("%s", PQerrorMessage(db));
  }
  /* Ending the COPY with an error message makes the server abort it (and so the transaction). */
  if (PQputCopyEnd(db, status == 0 ? NULL : "crm_postgres stopped") != 1 && status == 0)
    status = fail("%s", PQerrorMessage(db));
  while ((res = PQgetResult(db)) != NULL) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK && status == 0) status = fail("%s", PQerrorMessage(db));
    PQclear(res);
  }
  return status;
}

static int payout_row(copy_row* row, const void* source, size_t i) {
  const downline_result* result = source;
  downline_payout p;
  if (downline_failed(downline_result_payout(&p, result, i), "reading a payout")) return -1;
  put_cell(row, p.member_id);
  put_cell(row, p.bonus);
  return put_money(row, p.amount, downline_result_money_decimals(result));
}

static int payable_row(copy_row* row, const void* source, size_t i) {
  const downline_result* result = source;
  downline_payable p;
  int decimals = downline_result_money_decimals(result);
  if (downline_failed(downline_result_payable(&p, result, i), "reading a payable")) return -1;
  put_cell(row, p.member_id);
  if (put_money(row, p.earned, decimals) || put_money(row, p.balance_in, decimals) || put_money(row, p.fee, decimals) ||
      put_money(row, p.deductions, decimals) || put_money(row, p.paid, decimals) ||
      put_money(row, p.balance_out, decimals) || put_money(row, p.forfeited, decimals))
    return -1;
  put_cell(row, p.status);
  return 0;
}

static int state_row(copy_row* row, const void* source, size_t i) {
  downline_state_row r;
  if (downline_failed(downline_state_row_at(&r, source, i), "reading the state")) return -1;
  put_cell(row, r.member_id);
  put_cell(row, r.key);
  put_cell(row, r.value);
  return 0;
}

/* Replaces the period's rows and records the run; all inside the caller's transaction. */
static int write_period(PGconn* db, const char* period, const char* period_literal,
                        const downline_result* result, char* total, size_t total_size) {
  static const char* const tables[] = {"payouts", "payables", "member_state"};
  downline_summary summary;
  downline_state* state = NULL;
  char sql[512];
  size_t needed = 0, t;
  int status;
  if (downline_failed(downline_result_summary(&summary, result), "reading the summary") ||
      downline_failed(downline_format_minor(total, total_size, &needed, summary.total_payout, summary.money_decimals),
                      "formatting the total") ||
      downline_failed(downline_result_state(&state, result), "reading the state"))
    return -1;
  for (t = 0; t < sizeof tables / sizeof *tables; ++t) {
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE period_id = %s", tables[t], period_literal);
    if (execute(db, sql, PGRES_COMMAND_OK, NULL)) return -1;
  }
  status = copy_in(db, "COPY payouts (period_id, member_id, bonus, amount) FROM STDIN", period, result,
                   downline_result_payout_count(result), payout_row);
  if (status == 0)
    status = copy_in(db,
                     "COPY payables (period_id, member_id, earned, balance_in, fee, deductions, paid, balance_out, "
                     "forfeited, status) FROM STDIN",
                     period, result, downline_result_payable_count(result), payable_row);
  if (status == 0)
    status = copy_in(db, "COPY member_state (period_id, member_id, key, value) FROM STDIN", period, state,
                     downline_state_size(state), state_row);
  downline_state_destroy(&state);
  if (status != 0) return status;
  snprintf(sql, sizeof sql,
           "UPDATE commission_periods SET computed_at = now(), total_payout = '%s' WHERE period_id = %s", total,
           period_literal);
  return execute(db, sql, PGRES_COMMAND_OK, NULL);
}

/* ---- the run -------------------------------------------------------------------------------- */

/* Locks the period's row for this transaction; refuses an unknown or closed period. */
static int lock_period(PGconn* db, const char* period, const char* period_literal) {
  PGresult* res = NULL;
  char sql[512];
  int status = 0;
  snprintf(sql, sizeof sql, "SELECT closed FROM commission_periods WHERE period_id = %s FOR UPDATE",
           period_literal);
  if (execute(db, sql, PGRES_TUPLES_OK, &res)) return -1;
  if (PQntuples(res) == 0) status = fail("no commission period '%s' in commission_periods", period);
  else if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) status = fail("period '%s' is closed", period);
  PQclear(res);
  if (status != 0) return status;
  snprintf(sql, sizeof sql,
           "SELECT p.period_id FROM commission_periods p, commission_periods this WHERE this.period_id = %s "
           "AND p.starts_on > this.ends_on AND p.computed_at IS NOT NULL ORDER BY p.starts_on LIMIT 1",
           period_literal);
  if (execute(db, sql, PGRES_TUPLES_OK, &res)) return -1;
  if (PQntuples(res) > 0)
    status = fail("period '%s' is already computed: running '%s' again would leave it stale", PQgetvalue(res, 0, 0),
                  period);
  PQclear(res);
  return status;
}

static int run_period(PGconn* db, const char* plan_path, const char* period) {
  downline_plan* plan = NULL;
  downline_network* network = NULL;
  downline_ledger* ledger = NULL;
  downline_state* previous = NULL;
  downline_result* result = NULL;
  downline_run_options options = DOWNLINE_RUN_OPTIONS_INIT;
  char total[48] = "";
  char* literal = PQescapeLiteral(db, period, strlen(period));
  int status;
  if (!literal) return fail("%s", PQerrorMessage(db));
  options.period = period;
  status = downline_failed(downline_plan_from_file(&plan, plan_path), "reading the plan");
  /* One snapshot for the reads; the period's row lock keeps two runs of it apart. */
  if (status == 0) status = execute(db, "BEGIN ISOLATION LEVEL REPEATABLE READ", PGRES_COMMAND_OK, NULL);
  if (status == 0) status = lock_period(db, period, literal);
  if (status == 0) status = read_network(db, &network);
  if (status == 0) status = read_orders(db, literal, network, &ledger);
  if (status == 0) status = read_previous_state(db, period, literal, &previous);
  options.state_in = previous;
  if (status == 0) status = downline_failed(downline_run(&result, plan, network, ledger, &options), "running the period");
  if (status == 0) status = write_period(db, period, literal, result, total, sizeof total);
  if (status == 0) status = execute(db, "COMMIT", PGRES_COMMAND_OK, NULL);
  if (status != 0 && PQtransactionStatus(db) != PQTRANS_IDLE) {
    PGresult* res = PQexec(db, "ROLLBACK"); /* the previous rows stay as they were */
    PQclear(res);
  }
  if (status == 0)
    printf("period %s: %zu members, %zu orders, %zu payout lines, %zu payables, total payout %s %s\n", period,
           downline_network_size(network), downline_ledger_size(ledger), downline_result_payout_count(result),
           downline_result_payable_count(result), total, downline_plan_currency(plan));
  PQfreemem(literal);
  downline_result_destroy(&result);
  downline_ledger_destroy(&ledger);
  downline_state_destroy(&previous);
  downline_network_destroy(&network);
  downline_plan_destroy(&plan);
  return status;
}

int main(int argc, char** argv) {
  PGconn* db;
  int status;
  if (argc != 4) {
    fprintf(stderr, "usage: crm_postgres CONNINFO PLAN.json PERIOD\n");
    return 2;
  }
  db = PQconnectdb(argv[1]);
  if (PQstatus(db) != CONNECTION_OK) {
    fprintf(stderr, "crm_postgres: cannot connect: %s", PQerrorMessage(db));
    PQfinish(db);
    return 1;
  }
  status = run_period(db, argv[2], argv[3]);
  if (status != 0) fprintf(stderr, "crm_postgres: period %s not written: %s\n", argv[3], failure);
  PQfinish(db);
  return status == 0 ? 0 : 1;
}
