#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# examples/postgres against a real, throwaway PostgreSQL server:
#   - the payouts written to SQL equal `downline run` on the same files, row for row;
#   - running the period again replaces its rows (same rows, no duplicates);
#   - a run that fails while computing (a sponsor cycle) or while writing (a trigger rejects a
#     row after the old rows were deleted) leaves the previous rows and the period untouched;
#   - a closed or unknown period is refused.
#   test_transactions.sh path/to/crm_postgres path/to/downline
set -euo pipefail
program=$1
cli=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/examples/data/demo
# shellcheck source=../../examples/postgres/crm_db.sh
source "$root/examples/postgres/crm_db.sh"
pg_start
crm_load_demo
work=$PG_TMP/work
mkdir "$work"

sql() { psql -q -X -A -t -v ON_ERROR_STOP=1 -c "$1"; }
period_rows() {  # the period's payouts and its bookkeeping row, as text to compare
  sql "SELECT member_id, bonus, amount FROM payouts WHERE period_id = '2026-01' ORDER BY 1, 2"
  sql "SELECT computed_at, total_payout FROM commission_periods WHERE period_id = '2026-01'"
}
fail() { echo "FAIL: $*" >&2; exit 1; }
run_period() { "$program" "$PG_CONNINFO" "$data/plan.json" "${1:-2026-01}"; }
expect_refused() {  # expect_refused WORDS [PERIOD]: the run fails, says WORDS, changes nothing
  local before
  before=$(period_rows)
  if run_period "${2:-2026-01}" 2>"$work/stderr"; then fail "run succeeded, expected: $1"; fi
  grep -q -- "$1" "$work/stderr" || fail "expected '$1' in: $(cat "$work/stderr")"
  [ "$(period_rows)" = "$before" ] || fail "a failed run ($1) changed the period's rows"
  echo "ok: refused and untouched: $(cat "$work/stderr")"
}

# 1. The SQL payouts are downline's payouts.csv, row for row.
run_period
"$cli" run --plan "$data/plan.json" --network "$data/network.csv" --sales "$data/sales.csv" \
  --period 2026-01 --out "$work/payouts.csv" >/dev/null
tail -n +2 "$work/payouts.csv" | tr , '|' | LC_ALL=C sort >"$work/expected"
sql "SELECT member_id, bonus, amount FROM payouts WHERE period_id = '2026-01'" | LC_ALL=C sort >"$work/actual"
[ -s "$work/expected" ] || fail "the CLI paid nobody: nothing to compare"
diff "$work/expected" "$work/actual" || fail "SQL payouts differ from downline run"
[ "$(sql "SELECT total_payout IS NOT NULL AND computed_at IS NOT NULL FROM commission_periods")" = t ] ||
  fail "the period's row was not updated"
echo "ok: $(wc -l <"$work/actual") payout rows equal downline run's payouts.csv"

# 2. Running the period again replaces it: the same rows, none twice.
first=$(sql "SELECT member_id, bonus, amount FROM payouts ORDER BY 1, 2")
run_period
[ "$(sql "SELECT member_id, bonus, amount FROM payouts ORDER BY 1, 2")" = "$first" ] ||
  fail "a second run changed the rows"
echo "ok: a second run leaves the same rows"

# 3. Failures leave the previous rows. Each failing run would otherwise write different rows:
#    an order changes first (checked at the end, where the run succeeds).
sql "UPDATE orders SET amount = amount + 1000, volume = volume + 1000 WHERE order_no = 'O-1004'"
sql "UPDATE members SET sponsor_id = 'mo' WHERE id = 'ann'"   # ann is mo's upline: a cycle
expect_refused "cycle"
sql "UPDATE members SET sponsor_id = NULL WHERE id = 'ann'"

sql "CREATE FUNCTION reject_ann() RETURNS trigger LANGUAGE plpgsql AS
       \$\$ BEGIN RAISE EXCEPTION 'payout for ann rejected'; END \$\$"
sql "CREATE TRIGGER reject_ann BEFORE INSERT ON payouts FOR EACH ROW WHEN (NEW.member_id = 'ann')
       EXECUTE FUNCTION reject_ann()"
expect_refused "payout for ann rejected"
sql "DROP TRIGGER reject_ann ON payouts"

sql "UPDATE commission_periods SET closed = true WHERE period_id = '2026-01'"
expect_refused "period '2026-01' is closed"
sql "UPDATE commission_periods SET closed = false WHERE period_id = '2026-01'"
expect_refused "no commission period '2026-02'" 2026-02

# 4. With the failure causes gone the run goes through and the changed order shows.
run_period
[ "$(sql "SELECT member_id, bonus, amount FROM payouts ORDER BY 1, 2")" != "$first" ] ||
  fail "the changed order did not change the payouts"
echo "ok: the run after the failures writes the new figures"
