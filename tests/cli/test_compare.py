"""`downline compare`: several plans over one network and ledger (issue 13).

Run with the binary named by DOWNLINE_CLI, e.g.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_compare.py

Checked on the demo data with the example plans: each plan's column of compare.csv equals
the per-member sums of a separate `downline run` of that plan, exactly (rows: members with
a non-zero total under some plan, network order); the summary JSON holds each plan's run
summary unchanged; two plans with one name, a missing second plan and a --state-in count
that does not match the plans are refused, leaving no output behind; --state-in applies
per plan (a binary plan's carry changes its column like it changes its run).

Standard library + pytest only.
"""

import csv
import json
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from cli_binary import cli_argv, requires_cli

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "examples" / "data" / "demo"
PLANS = ROOT / "examples" / "plans"
COMPARED = [DEMO / "plan.json", PLANS / "binary.json", PLANS / "stairstep_breakaway.json",
            PLANS / "unilevel_matching.json", PLANS / "hybrid_binary_unilevel_matching.json"]

pytestmark = requires_cli

def cli(*args):
    argv = cli_argv()
    return subprocess.run(argv + [str(a) for a in args], capture_output=True, text=True, timeout=60)


def inputs():
    return ["--network", DEMO / "network.csv", "--sales", DEMO / "sales.csv"]


def run_totals(plan, tmp_path, *extra):
    out, summary = tmp_path / f"{plan.stem}_payouts.csv", tmp_path / f"{plan.stem}_summary.json"
    r = cli("run", "--plan", plan, *inputs(), "--out", out, "--summary-json", summary, "--quiet", *extra)
    assert r.returncode == 0, r.stderr
    totals = defaultdict(Decimal)
    with open(out, newline="") as f:
        for row in csv.DictReader(f):
            totals[row["member_id"]] += Decimal(row["amount"])
    return totals, json.loads(summary.read_text())


def network_order():
    with open(DEMO / "network.csv", newline="") as f:
        return [row["id"] for row in csv.DictReader(f)]


def test_each_column_equals_a_separate_run(tmp_path):
    out, summary = tmp_path / "compare.csv", tmp_path / "summary.json"
    plan_args = [a for p in COMPARED for a in ("--plan", p)]
    r = cli("compare", *plan_args, *inputs(), "--out", out, "--summary-json", summary, "--quiet")
    assert r.returncode == 0, r.stderr
    runs = [run_totals(p, tmp_path) for p in COMPARED]
    names = [s["plan"] for _, s in runs]
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["member_id"] + names
    expected = []
    for member in network_order():
        amounts = [totals.get(member, Decimal(0)) for totals, _ in runs]
        if any(amounts):
            expected.append([member] + amounts)
    assert len(expected) > 10
    assert [[r[0]] + [Decimal(x) for x in r[1:]] for r in rows[1:]] == expected
    assert all(len(x.split(".")[1]) == 2 for r in rows[1:] for x in r[1:])  # exactly money_decimals
    assert json.loads(summary.read_text()) == {"plans": [s for _, s in runs]}


def test_state_in_applies_per_plan(tmp_path):
    # Period 1 of the binary plan leaves carry; period 2 with that state differs from without.
    binary, unilevel = PLANS / "binary.json", DEMO / "plan.json"
    state = tmp_path / "state.csv"
    r = cli("run", "--plan", binary, *inputs(), "--out", tmp_path / "p1.csv", "--state-out", state, "--quiet")
    assert r.returncode == 0, r.stderr
    assert len(state.read_text().splitlines()) > 1
    empty = tmp_path / "empty_state.csv"
    empty.write_text("member_id,bonus,left,right\n")
    out = tmp_path / "compare.csv"
    r = cli("compare", "--plan", unilevel, "--plan", binary, *inputs(), "--state-in", empty, "--state-in", state,
            "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    with_carry, _ = run_totals(binary, tmp_path, "--state-in", state)
    without, _ = run_totals(binary, tmp_path)
    assert with_carry != without
    with open(out, newline="") as f:
        column = {row["member_id"]: Decimal(row["Binary with carry-forward"]) for row in csv.DictReader(f)}
    assert {m: a for m, a in column.items() if a} == {m: a for m, a in with_carry.items() if a}


@pytest.mark.parametrize("args, message", [
    (["--plan", DEMO / "plan.json", "--plan", PLANS / "unilevel.json"], "compared plans need distinct names 'Example'"),
    (["--plan", DEMO / "plan.json"], "compare needs at least two --plan files"),
    (["--plan", DEMO / "plan.json", "--plan", PLANS / "binary.json", "--state-in", DEMO / "sales.csv"],
     "--state-in is given once per plan, in plan order: 2 plans, 1 states"),
])
def test_refused(tmp_path, args, message):
    out = tmp_path / "compare.csv"
    r = cli("compare", *args, *inputs(), "--out", out, "--quiet")
    assert r.returncode != 0
    assert message in r.stderr
    assert not out.exists()
