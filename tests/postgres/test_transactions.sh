#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# examples/postgres against a real, throwaway PostgreSQL server:
#   - the payouts, payables and state written to SQL equal `downline run` on the same data
#     (members exported from SQL, with a member on hold), row for row;
#   - running the period again replaces its rows (same rows, no duplicates);
#   - a run that fails while computing (a sponsor cycle) or while writing (a trigger rejects a
#     row after the old rows were deleted) leaves the previous rows and the period untouched;
#   - a closed or unknown period, a period whose predecessor was never computed, and a period
#     with a later one already computed are refused;
#   - February reads January's state from SQL: equal to `downline run --state-in`.
#   test_transactions.sh path/to/crm_postgres path/to/downline
set -euo pipefail
program=$1
cli=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
example=$root/examples/postgres
# shellcheck source=../../examples/postgres/crm_db.sh
source "$example/crm_db.sh"
pg_start
crm_load_demo
work=$PG_TMP/work
mkdir "$work"

sql() { psql -q -X -A -t -v ON_ERROR_STOP=1 -c "$1"; }
period_rows() {  # the period's rows in every table it writes, as text to compare
  local p=${1:-2026-01}
  sql "SELECT member_id, bonus, amount FROM payouts WHERE period_id = '$p' ORDER BY 1, 2"
  sql "SELECT * FROM payables WHERE period_id = '$p' ORDER BY member_id"
  sql "SELECT member_id, key, value FROM member_state WHERE period_id = '$p' ORDER BY 1, 2"
  sql "SELECT computed_at, total_payout FROM commission_periods WHERE period_id = '$p'"
}
fail() { echo "FAIL: $*" >&2; exit 1; }
run_period() { "$program" "$PG_CONNINFO" "$example/plan.json" "${1:-2026-01}"; }
expect_refused() {  # expect_refused WORDS [PERIOD]: the run fails, says WORDS, changes nothing
  local before
  before=$(period_rows "${2:-2026-01}")
  if run_period "${2:-2026-01}" 2>"$work/stderr"; then fail "run succeeded, expected: $1"; fi
  grep -q -- "$1" "$work/stderr" || fail "expected '$1' in: $(cat "$work/stderr")"
  [ "$(period_rows "${2:-2026-01}")" = "$before" ] || fail "a failed run ($1) changed the period's rows"
  echo "ok: refused and untouched: $(cat "$work/stderr")"
}
# The CLI's run of PERIOD on the members and orders as SQL has them now; files into $work/PERIOD.
cli_run() {
  local p=$1 out=$work/$1
  shift
  mkdir -p "$out"
  sql "COPY (SELECT id, sponsor_id, joined, status FROM members ORDER BY member_no) TO STDOUT WITH CSV HEADER" \
    >"$out/network.csv"
  sql "COPY (SELECT member_id, amount, volume, kind, ordered_on, order_no FROM orders ORDER BY ordered_on, order_no)
       TO STDOUT WITH CSV HEADER" | sed '1s/ordered_on,order_no/date,order_id/' >"$out/sales.csv"
  "$cli" run --plan "$example/plan.json" --network "$out/network.csv" --sales "$out/sales.csv" --period "$p" \
    --out "$out/payouts.csv" --payables "$out/payables.csv" --state-out "$out/state.csv" "$@" >/dev/null
}
# Table rows of PERIOD against the CLI's file (header and, for the state, the period row dropped).
same_rows() {  # same_rows WHAT CSV QUERY
  tail -n +2 "$2" | grep -v '^,period,' | tr , '|' | LC_ALL=C sort >"$work/expected"
  sql "$3" | LC_ALL=C sort >"$work/actual"
  [ -s "$work/expected" ] || fail "the CLI wrote no $1: nothing to compare"
  diff "$work/expected" "$work/actual" || fail "SQL $1 differ from downline run"
  echo "ok: $(wc -l <"$work/actual") rows of $1 equal downline run's"
}
check_period() {  # check_period PERIOD: payouts, payables and state equal the CLI's files
  same_rows payouts "$work/$1/payouts.csv" "SELECT member_id, bonus, amount FROM payouts WHERE period_id = '$1'"
  same_rows payables "$work/$1/payables.csv" "SELECT member_id, earned, balance_in, fee, deductions, paid,
    balance_out, forfeited, status FROM payables WHERE period_id = '$1'"
  same_rows state "$work/$1/state.csv" "SELECT member_id, key, value FROM member_state WHERE period_id = '$1'"
}

# 0. February needs January's state: refused while January was never computed.
expect_refused "the period before '2026-02', '2026-01', has not been computed" 2026-02

# 1. The SQL rows are downline's files, row for row; finn on hold carries January's pay.
sql "UPDATE members SET status = 'hold' WHERE id = 'finn'"
run_period
cli_run 2026-01
check_period 2026-01
grep -q '^finn,80.00,0.00,0.00,0.00,0.00,80.00,0.00,hold$' "$work/2026-01/payables.csv" ||
  fail "finn's hold is not in the payables"
[ "$(sql "SELECT total_payout IS NOT NULL AND computed_at IS NOT NULL FROM commission_periods
          WHERE period_id = '2026-01'")" = t ] || fail "the period's row was not updated"

# 2. Running the period again replaces it: the same rows, none twice.
first=$(sql "SELECT member_id, bonus, amount FROM payouts ORDER BY 1, 2")
first_payables=$(sql "SELECT * FROM payables ORDER BY member_id")
run_period
[ "$(sql "SELECT member_id, bonus, amount FROM payouts ORDER BY 1, 2")" = "$first" ] ||
  fail "a second run changed the payouts"
[ "$(sql "SELECT * FROM payables ORDER BY member_id")" = "$first_payables" ] || fail "a second run changed the payables"
echo "ok: a second run leaves the same rows"

# 3. Failures leave the previous rows. Each failing run would otherwise write different rows:
#    an order changes first (checked at the end, where the run succeeds).
sql "UPDATE orders SET amount = amount + 1000, volume = volume + 1000 WHERE order_no = 'O-1004'"
sql "UPDATE members SET sponsor_id = 'mo' WHERE id = 'ann'"   # ann is mo's upline: a cycle
expect_refused "cycle"
sql "UPDATE members SET sponsor_id = NULL WHERE id = 'ann'"

sql "CREATE FUNCTION reject_ann() RETURNS trigger LANGUAGE plpgsql AS
       \$\$ BEGIN RAISE EXCEPTION 'payable for ann rejected'; END \$\$"
sql "CREATE TRIGGER reject_ann BEFORE INSERT ON payables FOR EACH ROW WHEN (NEW.member_id = 'ann')
       EXECUTE FUNCTION reject_ann()"
expect_refused "payable for ann rejected"
sql "DROP TRIGGER reject_ann ON payables"

sql "UPDATE commission_periods SET closed = true WHERE period_id = '2026-01'"
expect_refused "period '2026-01' is closed"
sql "UPDATE commission_periods SET closed = false WHERE period_id = '2026-01'"
expect_refused "no commission period '2026-03'" 2026-03

# 4. With the failure causes gone the run goes through and the changed order shows.
run_period
[ "$(sql "SELECT member_id, bonus, amount FROM payouts ORDER BY 1, 2")" != "$first" ] ||
  fail "the changed order did not change the payouts"
echo "ok: the run after the failures writes the new figures"

# 5. February reads January's state from SQL (finn released: his carried pay is paid now), as
#    the CLI does with January's state file; then January cannot be run again.
sql "UPDATE members SET status = 'hold' WHERE id = 'finn'"
cli_run 2026-01
sql "UPDATE members SET status = 'active' WHERE id = 'finn'"
run_period 2026-02
cli_run 2026-02 --state-in "$work/2026-01/state.csv"
check_period 2026-02
grep -q '^finn,[0-9.]*,80.00,.*,paid$' "$work/2026-02/payables.csv" || fail "finn's balance was not paid in February"
expect_refused "period '2026-02' is already computed: running '2026-01' again would leave it stale"
