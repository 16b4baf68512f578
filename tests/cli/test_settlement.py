"""Settlement through the `downline` CLI (SPEC §11): payables.csv, the balance in the state,
the summary's settlement figures, and the bad inputs of the `status` column and `payout` block.

Every directory under tests/data/settlement/ is one case of consecutive periods:

    plan.json, sales.csv                 inputs (the ledger holds every period's lines)
    network_<n>.csv                      period n's network (statuses change between periods)
    args_<n>                             CLI arguments of period n (e.g. `--period 2026-01`)
    expected_payouts_<n>.csv, expected_payables_<n>.csv, expected_state_<n>.csv
    expected_settlement_<n>.json         the summary JSON's `settlement` object
    README.md                            the hand computation

Period n runs with period n-1's --state-out as its --state-in. Run with the binary named by
DOWNLINE_CLI, e.g. DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_settlement.py
"""

import csv
import json
import shlex
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from cli_binary import cli_argv, requires_cli

CASES_DIR = Path(__file__).parent.parent / "data" / "settlement"

pytestmark = requires_cli

TIMEOUT_S = 60
PREFIX = "downline: error: "
MONEY = ("earned", "balance_in", "fee", "deductions", "paid", "balance_out", "forfeited")


CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir()) if CASES_DIR.is_dir() else []


def _periods(case_dir):
    return sorted(int(p.name.split("_")[1]) for p in case_dir.glob("args_*"))


def _invoke(args):
    proc = subprocess.run(cli_argv() + args, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {proc.stderr}"
    return proc


def _run(case_dir, out_dir, period, state_in=None, network=None, plan=None):
    """Runs one period into out_dir; returns (process, {output name: path})."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = {name: out_dir / f"{name}.{ext}" for name, ext in
           (("payouts", "csv"), ("payables", "csv"), ("state", "csv"), ("summary", "json"))}
    args = ["run", "--plan", str(plan or case_dir / "plan.json"),
            "--network", str(network or case_dir / f"network_{period}.csv"),
            "--sales", str(case_dir / "sales.csv"), "--out", str(out["payouts"]), "--payables", str(out["payables"]),
            "--state-out", str(out["state"]), "--summary-json", str(out["summary"])]
    args += shlex.split((case_dir / f"args_{period}").read_text(encoding="utf-8"))
    if state_in is not None:
        args += ["--state-in", str(state_in)]
    return _invoke(args), out


def _ok(proc):
    assert proc.returncode == 0, f"exit {proc.returncode}\nstderr:\n{proc.stderr}"


def _same_bytes(actual, expected):
    assert actual.read_bytes() == expected.read_bytes(), (
        f"{actual.name} differs from {expected} (see its README.md)\n--- expected\n{expected.read_text()}"
        f"--- actual\n{actual.read_text()}")


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_settlement_cases_exist():
    assert CASES, f"no settlement cases under {CASES_DIR}"


@pytest.mark.parametrize("case", CASES)
def test_periods_in_a_row_match_the_hand_computation(case, tmp_path):
    d = CASES_DIR / case
    state = None
    for n in _periods(d):
        proc, out = _run(d, tmp_path / f"p{n}", n, state_in=state)
        _ok(proc)
        for name in ("payouts", "payables", "state"):
            _same_bytes(out[name], d / f"expected_{name}_{n}.csv")
        summary = json.loads(out["summary"].read_text())
        assert summary["settlement"] == json.loads((d / f"expected_settlement_{n}.json").read_text())
        state = out["state"]


@pytest.mark.parametrize("case", CASES)
def test_payables_balance_and_add_up_to_the_summary(case, tmp_path):
    d = CASES_DIR / case
    for n in _periods(d):
        state_in = d / f"expected_state_{n - 1}.csv" if n > 1 else None
        proc, out = _run(d, tmp_path / f"p{n}", n, state_in=state_in)
        _ok(proc)
        rows = _rows(out["payables"])
        for row in rows:
            v = {k: Decimal(row[k]) for k in MONEY}
            assert v["earned"] + v["balance_in"] == (v["fee"] + v["deductions"] + v["paid"] + v["balance_out"]
                                                     + v["forfeited"]), row
            assert any(v.values()), f"a payables row with nothing in it: {row}"
        s = json.loads(out["summary"].read_text())["settlement"]
        total = {k: sum((Decimal(r[k]) for r in rows), Decimal(0)) for k in MONEY}
        assert total["paid"] == Decimal(s["paid"])
        assert total["earned"] == Decimal(s["earned"])
        assert total["balance_in"] == Decimal(s["balance_in"])
        assert total["fee"] == Decimal(s["fees"])
        assert total["deductions"] == sum(Decimal(v) for v in s["deductions"].values())
        assert total["forfeited"] == Decimal(s["forfeited"])
        carried = [Decimal(r["balance_out"]) for r in rows]
        assert sum(c for c in carried if c > 0) == Decimal(s["carried_forward"]["positive"])
        assert sum(c for c in carried if c < 0) == Decimal(s["carried_forward"]["negative"])
        assert s["paid_members"] == sum(r["status"] == "paid" for r in rows)
        # Earned is what the payouts hold (after the cap, with adjustments).
        assert total["earned"] == sum((Decimal(r["amount"]) for r in _rows(out["payouts"])), Decimal(0))


@pytest.mark.parametrize("case", CASES)
def test_rerunning_a_period_gives_the_same_bytes(case, tmp_path):
    d = CASES_DIR / case
    runs = []
    for attempt in range(2):
        proc, out = _run(d, tmp_path / f"r{attempt}", 2, state_in=d / "expected_state_1.csv")
        _ok(proc)
        runs.append({k: p.read_bytes() for k, p in out.items()})
    assert runs[0] == runs[1]


@pytest.mark.parametrize("case", CASES)
def test_the_text_summary_shows_the_settlement(case, tmp_path):
    d = CASES_DIR / case
    proc, _ = _run(d, tmp_path / "p1", 1)
    _ok(proc)
    assert "paid            80.50 EUR  (3 members, ratio to sales 0.0319)" in proc.stdout
    assert "carried forward 52.00 EUR  (negative balances 0.00 EUR)" in proc.stdout
    assert "admin" in proc.stdout and "tax" in proc.stdout


def test_an_unknown_status_names_file_line_and_value(tmp_path):
    d = CASES_DIR / "three_periods"
    network = tmp_path / "network.csv"
    network.write_text((d / "network_1.csv").read_text().replace("H,,hold", "H,,suspended"))
    proc, out = _run(d, tmp_path / "bad", 1, network=network)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{PREFIX}{network}:7: status is not active, hold or terminated 'suspended'"
    assert not any(p.exists() for p in out.values()), "an output was left behind"


@pytest.mark.parametrize("payout, message", [
    ({"minimum": "20.001"}, "payout.minimum: money has more decimals than the plan's money_decimals (2) '20.001'"),
    ({"fee": "-1"}, "payout.fee: money must not be negative '-1'"),
    ({"deductions": [{"name": "tax", "rate": "10%"}, {"name": "tax", "rate": "5%"}]},
     "payout.deductions[1].name: duplicate deduction name 'tax'"),
    ({"deductions": [{"name": "a", "rate": "50%"}, {"name": "b", "rate": "50%"}]},
     "payout.deductions[1].rate: deduction rates must sum below 100% (they reach 100%) '50%'"),
    ({"minimum": "20", "cap": "5"}, "payout.cap: unknown key 'cap'"),
])
def test_a_bad_payout_block_names_its_json_path(payout, message, tmp_path):
    d = CASES_DIR / "three_periods"
    plan = json.loads((d / "plan.json").read_text())
    plan["payout"] = payout
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    proc, out = _run(d, tmp_path / "bad", 1, plan=plan_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"{PREFIX}{plan_path}: {message}"
    assert not any(p.exists() for p in out.values())
