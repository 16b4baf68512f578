#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CRM end to end on a throwaway PostgreSQL server: create the tables, load the demo members
# and orders, put finn on hold, run January 2026 twice (the second run replaces the first),
# release finn, run February (which reads January's state: finn's held pay and kai's balance
# below the minimum are paid now), print the top earners and the payables from SQL, stop the
# server.
#   examples/postgres/demo.sh [path/to/crm_postgres]     (default: crm_postgres on PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
program=${1:-crm_postgres}
# shellcheck source=crm_db.sh
source "$here/crm_db.sh"
pg_start
crm_load_demo

sql() { psql -q -X -v ON_ERROR_STOP=1 "$@"; }
run() { "$program" "$PG_CONNINFO" "$here/plan.json" "$1"; }
payables() {
  sql -c "SELECT member_id, earned, balance_in, fee, deductions, paid, balance_out, status
          FROM payables WHERE period_id = '$1' ORDER BY member_id"
}

sql -c "UPDATE members SET status = 'hold' WHERE id = 'finn'"
for attempt in first second; do
  echo "== January, $attempt run"
  run 2026-01
  sql -A -t -c "SELECT 'payout rows for 2026-01: ' || count(*) || ', total ' || coalesce(sum(amount), 0)
                FROM payouts WHERE period_id = '2026-01'"
done
echo "== payables, January (finn on hold, kai below the 25.00 minimum)"
payables 2026-01

sql -c "UPDATE members SET status = 'active' WHERE id = 'finn'"
echo "== February (finn released)"
run 2026-02
echo "== payables, February (balances from January's state paid)"
payables 2026-02

echo "== top earners, January and February"
sql -c "SELECT member_id, sum(amount) AS earned FROM payouts GROUP BY member_id ORDER BY earned DESC, member_id LIMIT 5"
