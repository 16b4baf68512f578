"""Plan options that depend on the earner's rank, through the `downline` CLI (issue 12):
explanation details of a by-rank binary, the shipped hybrid example plan, and by-rank plan
errors with the plan path, the JSON path and the value, exit code 1 and no output left.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_plan_options.py

Standard library + pytest only.
"""

import csv
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from cli_binary import cli_argv, requires_cli

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
DEMO = ROOT / "examples" / "data" / "demo"

pytestmark = requires_cli

def cli(*args):
    argv = cli_argv()
    return subprocess.run(argv + [str(a) for a in args], capture_output=True, text=True, timeout=60)


def test_binary_lines_say_which_by_rank_value_applied(tmp_path):
    case = GOLDEN / "43_binary_rate_pay_cap_by_rank"
    lines = tmp_path / "lines.csv"
    r = cli("run", "--plan", case / "plan.json", "--network", case / "network.csv", "--sales", case / "sales.csv",
            "--out", tmp_path / "payouts.csv", "--lines", lines, "--quiet")
    assert r.returncode == 0, r.stderr
    with open(lines, newline="") as f:
        rows = {(row["member_id"], row["bonus"]): row for row in csv.DictReader(f)}
    r_weak = rows[("R", "weak_leg")]
    assert r_weak["rate"] == "6%" and Decimal(r_weak["amount"]) == Decimal("80")
    assert r_weak["detail"].endswith("rate=6% (rate_by_rank Gold, paid-as rank Gold) "
                                     "cap=80.00 (cap_by_rank Gold, paid-as rank Gold)")
    assert rows[("A", "weak_leg")]["detail"].endswith("cap=10.00 (cap: paid-as rank Silver is below cap_by_rank)")
    assert rows[("B", "cycles")]["detail"].endswith("pay=8.00 (cycle.pay: paid-as rank none is below pay_by_rank) "
                                                    "cap=none (cap: paid-as rank none is below cap_by_rank)")


def test_hybrid_example_plan_runs_on_the_demo_data(tmp_path):
    r = cli("demo", "--plan", "hybrid_rank_tiered")
    assert r.returncode == 0, r.stderr
    assert "rate_by_rank" in r.stdout and "shares_by_rank" in r.stdout
    summary = tmp_path / "summary.json"
    r = cli("run", "--plan", ROOT / "examples" / "plans" / "hybrid_rank_tiered.json", "--network", DEMO / "network.csv",
            "--sales", DEMO / "sales.csv", "--out", tmp_path / "payouts.csv", "--summary-json", summary, "--quiet")
    assert r.returncode == 0, r.stderr
    totals = json.loads(summary.read_text())
    assert Decimal(str(totals["total_payout"])) > 0


@pytest.mark.parametrize("bonus, path, value", [
    ({"type": "binary", "cycle": {"left": "1", "right": "1", "pay": "1"}, "rate_by_rank": {"Gold": "5%"}},
     "bonuses[0].rate_by_rank", "rate_by_rank"),
    ({"type": "binary", "rate": "5%", "pay_by_rank": {"Gold": "5.00"}}, "bonuses[0].pay_by_rank", "pay_by_rank"),
    ({"type": "binary", "rate": "5%", "rate_by_rank": {"Emerald": "6%"}}, "bonuses[0].rate_by_rank.Emerald", "Emerald"),
    ({"type": "pool", "share": "1%", "split": "shares", "shares_by_rank": {"Gold": 0.5}},
     "bonuses[0].shares_by_rank.Gold", "0.5"),
    ({"type": "matrix", "width": 2, "depth": 2, "rates": ["5%"], "compression": "generous"},
     "bonuses[0].compression", "generous"),
    ({"type": "unilevel", "rates": ["5%"], "pay_by_rank": {"Gold": "1.00"}}, "bonuses[0].pay_by_rank", "pay_by_rank"),
])
def test_by_rank_plan_errors(tmp_path, bonus, path, value):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"name": "t", "ranks": [{"name": "Gold", "pv": "100"}],
                                "bonuses": [{"name": "b", **bonus}]}))
    out = tmp_path / "payouts.csv"
    r = cli("run", "--plan", plan, "--network", DEMO / "network.csv", "--sales", DEMO / "sales.csv", "--out", out)
    assert r.returncode == 1
    assert r.stderr.startswith("downline: error: ")
    assert f"{plan}: {path}: " in r.stderr and f"'{value}'" in r.stderr, r.stderr
    assert not out.exists()
