"""Two consecutive periods through the `downline` CLI: carry between periods (SPEC §7).

Every directory under tests/data/periods/ is one case:

    plan.json, network.csv, sales.csv        inputs (the ledger holds both periods' lines)
    args_1, args_2                           CLI arguments of period 1 and 2 (e.g. `--period 2026-01`)
    expected_payouts_1.csv, expected_state_1.csv    period 1, computed by hand
    expected_payouts_2.csv, expected_state_2.csv    period 2, run with period 1's state
    README.md                                the hand computation

Run with the binary named by DOWNLINE_CLI, e.g.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_state.py

Checked: period 1 with --state-out, then period 2 with --state-in of that file, byte for
byte against the expected files; period 2 from the published state file gives the same
bytes; re-running a period gives the same bytes (idempotent); without the state period 2
pays differently; a state file naming an unknown member, an unknown bonus, a bonus that
is not binary, a (member, bonus) twice, or holding a malformed number is refused with exit
1, naming `<state path>:<line>` and the value, and leaving no output behind.

Standard library + pytest only.
"""

import json
import shlex
import subprocess
from pathlib import Path

import pytest

from cli_binary import CLI, requires_cli

PERIODS_DIR = Path(__file__).parent.parent / "data" / "periods"

pytestmark = requires_cli

PREFIX = "downline: error: "
TIMEOUT_S = 60


def _case_names():
    if not PERIODS_DIR.is_dir():
        return []
    return sorted(p.name for p in PERIODS_DIR.iterdir() if p.is_dir())


CASES = _case_names()


def _args(case_dir, period):
    return shlex.split((case_dir / f"args_{period}").read_text(encoding="utf-8"))


def _run(case_dir, out_dir, period, state_in=None, plan=None, extra=()):
    """Runs one period into out_dir (created); returns (process, {output name: path})."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "payouts": out_dir / "payouts.csv",
        "state": out_dir / "state.csv",
        "lines": out_dir / "lines.csv",
        "summary": out_dir / "summary.json",
    }
    cmd = CLI + [
        "run",
        "--plan", str(plan or case_dir / "plan.json"),
        "--network", str(case_dir / "network.csv"),
        "--sales", str(case_dir / "sales.csv"),
        "--out", str(outputs["payouts"]),
        "--state-out", str(outputs["state"]),
        "--lines", str(outputs["lines"]),
        "--summary-json", str(outputs["summary"]),
        "--quiet",
    ] + _args(case_dir, period) + list(extra)
    if state_in is not None:
        cmd += ["--state-in", str(state_in)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"CLI did not finish within {TIMEOUT_S}s: {shlex.join(cmd)}")
    if proc.returncode < 0:
        pytest.fail(f"CLI killed by signal {-proc.returncode}: {shlex.join(cmd)}\n{proc.stderr}")
    return proc, outputs


def _ok(proc):
    assert proc.returncode == 0, f"exit {proc.returncode}\nstderr:\n{proc.stderr}"


def _same_bytes(actual_path, expected_path, what):
    expected = expected_path.read_bytes()
    actual = actual_path.read_bytes()
    assert actual == expected, (
        f"{what} differs from {expected_path.name} (see {expected_path.parent / 'README.md'})\n"
        f"--- expected\n{expected.decode('utf-8', 'replace')}--- actual\n{actual.decode('utf-8', 'replace')}")


def test_period_cases_exist():
    assert CASES, f"no two-period cases under {PERIODS_DIR}"
    for name in CASES:
        d = PERIODS_DIR / name
        for f in ("plan.json", "network.csv", "sales.csv", "args_1", "args_2", "expected_payouts_1.csv",
                  "expected_state_1.csv", "expected_payouts_2.csv", "expected_state_2.csv", "README.md"):
            assert (d / f).is_file(), f"period case {name} lacks {f}"


@pytest.mark.parametrize("case", CASES)
def test_period_1_then_period_2_with_the_state(case, tmp_path):
    d = PERIODS_DIR / case
    proc, first = _run(d, tmp_path / "p1", 1)
    _ok(proc)
    _same_bytes(first["payouts"], d / "expected_payouts_1.csv", "period 1 payouts.csv")
    _same_bytes(first["state"], d / "expected_state_1.csv", "period 1 state")
    proc, second = _run(d, tmp_path / "p2", 2, state_in=first["state"])
    _ok(proc)
    _same_bytes(second["payouts"], d / "expected_payouts_2.csv", "period 2 payouts.csv")
    _same_bytes(second["state"], d / "expected_state_2.csv", "period 2 state")


@pytest.mark.parametrize("case", CASES)
def test_period_2_from_the_published_state(case, tmp_path):
    d = PERIODS_DIR / case
    proc, second = _run(d, tmp_path / "p2", 2, state_in=d / "expected_state_1.csv")
    _ok(proc)
    _same_bytes(second["payouts"], d / "expected_payouts_2.csv", "period 2 payouts.csv")
    _same_bytes(second["state"], d / "expected_state_2.csv", "period 2 state")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("period", [1, 2])
def test_rerunning_a_period_is_idempotent(case, period, tmp_path):
    d = PERIODS_DIR / case
    state_in = d / "expected_state_1.csv" if period == 2 else None
    runs = []
    for attempt in range(2):
        proc, outputs = _run(d, tmp_path / f"run{attempt}", period, state_in=state_in)
        _ok(proc)
        runs.append({k: p.read_bytes() for k, p in outputs.items()})
    assert runs[0] == runs[1], "the same inputs gave different outputs"


@pytest.mark.parametrize("case", CASES)
def test_the_state_matters(case, tmp_path):
    d = PERIODS_DIR / case
    proc, second = _run(d, tmp_path / "p2", 2)
    _ok(proc)
    assert second["payouts"].read_bytes() != (d / "expected_payouts_2.csv").read_bytes(), (
        "period 2 without the carry paid the same: the case does not exercise the state")


@pytest.mark.parametrize("case", CASES)
def test_binary_lines_explain_the_legs(case, tmp_path):
    """Binary lines.csv rows carry a detail whose sides balance: carry_in + volume = matched + carry_out + flushed."""
    import csv
    import decimal
    d = PERIODS_DIR / case
    proc, outputs = _run(d, tmp_path / "p2", 2, state_in=d / "expected_state_1.csv")
    _ok(proc)
    with open(outputs["lines"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows, "no explanation lines"
    binary = {b["name"] for b in json.loads((d / "plan.json").read_text())["bonuses"] if b["type"] == "binary"}
    for row in rows:
        if row["bonus"] not in binary:
            assert row["detail"] == ""
            continue
        fields = dict(item.split("=", 1) for item in row["detail"].split())
        for side in ("L", "R"):
            v = {k: decimal.Decimal(fields[f"{k}_{side}"]) for k in ("carry_in", "volume", "matched", "carry_out", "flushed")}
            assert v["carry_in"] + v["volume"] == v["matched"] + v["carry_out"] + v["flushed"], row
    summary = json.loads(outputs["summary"].read_text())
    for b in summary["bonuses"]:
        if b["name"] in binary:
            for key in ("volume_matched", "volume_carried", "volume_flushed", "pay_capped"):
                assert key in b, f"summary of {b['name']} lacks {key}"


# --------------------------------------------------------------------------------------
# bad state files
# --------------------------------------------------------------------------------------


BAD_STATE_CASE = "binary_two_periods"  # its plan has the binary bonus `team`; members A..G


def _refused(tmp_path, state_lines, line, value, plan=None):
    case = PERIODS_DIR / BAD_STATE_CASE
    state = tmp_path / "bad_state.csv"
    state.write_text("\n".join(state_lines) + "\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    proc, outputs = _run(case, out_dir, 2, state_in=state, plan=plan)
    assert proc.returncode == 1, f"expected exit 1, got {proc.returncode}\nstderr:\n{proc.stderr}"
    assert proc.stderr.startswith(PREFIX), proc.stderr
    assert f"{state}:{line}" in proc.stderr, f"stderr must name {state}:{line}\n{proc.stderr}"
    assert f"'{value}'" in proc.stderr, f"stderr must quote '{value}'\n{proc.stderr}"
    left = sorted(p.name for p in out_dir.iterdir())
    assert not left, f"outputs left behind after an error: {left}"


def test_state_for_an_unknown_member(tmp_path):
    _refused(tmp_path, ["member_id,bonus,left,right", "A,team,10,0", "NOBODY,team,5,5"], 3, "NOBODY")


def test_state_for_an_unknown_bonus(tmp_path):
    _refused(tmp_path, ["member_id,bonus,left,right", "A,bogus,10,0"], 2, "bogus")


def test_state_for_a_bonus_that_is_not_binary(tmp_path):
    plan = json.loads((PERIODS_DIR / BAD_STATE_CASE / "plan.json").read_text())
    plan["bonuses"].append({"name": "level", "type": "unilevel", "rates": ["1%"]})
    path = tmp_path / "plan_with_unilevel.json"
    path.write_text(json.dumps(plan))
    _refused(tmp_path, ["member_id,bonus,left,right", "A,level,10,0"], 2, "level", plan=path)


def test_state_with_a_member_twice(tmp_path):
    _refused(tmp_path, ["member_id,bonus,left,right", "B,team,10,0", "C,team,1,1", "B,team,3,0"], 4, "B")


@pytest.mark.parametrize("bad", ["1.23456", "abc", "1e3", ""])
def test_state_with_a_malformed_carry(tmp_path, bad):
    _refused(tmp_path, ["member_id,bonus,left,right", f"A,team,{bad},0"], 2, bad)


def test_state_missing_a_column(tmp_path):
    _refused(tmp_path, ["member_id,bonus,left", "A,team,10"], 1, "right")
