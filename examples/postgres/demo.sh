#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CRM end to end on a throwaway PostgreSQL server: create the tables, load the demo members
# and orders, run January 2026 twice (the second run replaces the first), print the top earners
# from SQL, stop the server.
#   examples/postgres/demo.sh [path/to/crm_postgres]     (default: crm_postgres on PATH)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/demo
program=${1:-crm_postgres}
# shellcheck source=crm_db.sh
source "$here/crm_db.sh"
pg_start
crm_load_demo

sql() { psql -q -X -v ON_ERROR_STOP=1 "$@"; }
for run in first second; do
  echo "== $run run"
  "$program" "$PG_CONNINFO" "$data/plan.json" 2026-01
  sql -A -t -c "SELECT 'payout rows for 2026-01: ' || count(*) || ', total ' || coalesce(sum(amount), 0)
                FROM payouts WHERE period_id = '2026-01'"
done

echo "== top earners, January 2026"
sql -c "SELECT member_id, sum(amount) AS earned FROM payouts WHERE period_id = '2026-01'
        GROUP BY member_id ORDER BY earned DESC, member_id LIMIT 5"
