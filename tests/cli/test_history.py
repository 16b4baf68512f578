"""Member history over several periods through the `downline` CLI (SPEC §7.2–§7.4).

Every directory under tests/data/history/ is one case of N consecutive periods:

    plan.json, network.csv, sales.csv     inputs (the ledger holds every period's lines)
    args_<k>                              CLI arguments of period k (file names relative to the case)
    expected_payouts_<k>.csv, expected_ranks_<k>.csv, expected_state_<k>.csv
    README.md                             the hand computation

Checked: periods 1..N chained through --state-out / --state-in, byte for byte; each period
also from the published state of the one before; re-running a period gives the same bytes; a
state from the same period is refused naming both periods and leaves no output; adjustments
appear in lines.csv with their note and no base or rate. Also the new bad inputs of SPEC §10:
malformed periods, bad overrides and adjustments, a bad state key or rank.

Standard library + pytest only.
"""

import csv
import shlex
import subprocess
from pathlib import Path

import pytest

from cli_binary import cli_argv, requires_cli

HISTORY_DIR = Path(__file__).parent.parent / "data" / "history"
pytestmark = requires_cli
PREFIX = "downline: error: "
FILE_FLAGS = {"--overrides", "--adjustments", "--state-in"}


CASES = sorted(p.name for p in HISTORY_DIR.iterdir() if p.is_dir()) if HISTORY_DIR.is_dir() else []


def _periods(case_dir):
    return sorted(int(p.name.split("_")[1]) for p in case_dir.glob("args_*"))


def _args(case_dir, k):
    words = shlex.split((case_dir / f"args_{k}").read_text(encoding="utf-8"))
    return [str(case_dir / w) if i > 0 and words[i - 1] in FILE_FLAGS else w for i, w in enumerate(words)]


def _run(case_dir, out_dir, k, state_in=None, extra=()):
    """Runs period k of the case (its args_<k> unless `extra` gives its own --period)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {name: out_dir / f"{name}.csv" for name in ("payouts", "ranks", "state", "lines")}
    cmd = cli_argv() + ["run", "--plan", str(case_dir / "plan.json"), "--network", str(case_dir / "network.csv"),
                    "--sales", str(case_dir / "sales.csv"), "--out", str(outputs["payouts"]),
                    "--ranks", str(outputs["ranks"]), "--state-out", str(outputs["state"]),
                    "--lines", str(outputs["lines"]), "--quiet"] + list(extra)
    if "--period" not in extra:
        cmd += _args(case_dir, k)
    if state_in is not None:
        cmd += ["--state-in", str(state_in)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {proc.stderr}"
    return proc, outputs


def _same(actual, expected):
    assert actual.read_bytes() == expected.read_bytes(), (
        f"{actual.name} differs from {expected} (see README.md there)\n--- expected\n{expected.read_text()}"
        f"--- actual\n{actual.read_text()}")


def _check_period(case_dir, k, outputs):
    for name in ("payouts", "ranks", "state"):
        _same(outputs[name], case_dir / f"expected_{name}_{k}.csv")


@pytest.mark.parametrize("case", CASES)
def test_periods_chained_through_the_state(case, tmp_path):
    d = HISTORY_DIR / case
    state = None
    for k in _periods(d):
        proc, outputs = _run(d, tmp_path / f"p{k}", k, state_in=state)
        assert proc.returncode == 0, proc.stderr
        _check_period(d, k, outputs)
        state = outputs["state"]


@pytest.mark.parametrize("case", CASES)
def test_each_period_from_the_published_state(case, tmp_path):
    d = HISTORY_DIR / case
    for k in _periods(d)[1:]:
        proc, outputs = _run(d, tmp_path / f"p{k}", k, state_in=d / f"expected_state_{k - 1}.csv")
        assert proc.returncode == 0, proc.stderr
        _check_period(d, k, outputs)


@pytest.mark.parametrize("case", CASES)
def test_rerunning_a_period_is_idempotent(case, tmp_path):
    d = HISTORY_DIR / case
    last = _periods(d)[-1]
    runs = []
    for attempt in range(2):
        proc, outputs = _run(d, tmp_path / f"run{attempt}", last, state_in=d / f"expected_state_{last - 1}.csv")
        assert proc.returncode == 0, proc.stderr
        runs.append({name: p.read_bytes() for name, p in outputs.items()})
    assert runs[0] == runs[1]


@pytest.mark.parametrize("case", CASES)
def test_a_state_of_the_same_period_is_refused(case, tmp_path):
    d = HISTORY_DIR / case
    k = _periods(d)[-1]
    period = shlex.split((d / f"args_{k}").read_text())[1]
    proc, outputs = _run(d, tmp_path / "out", k, state_in=d / f"expected_state_{k}.csv")
    assert proc.returncode == 1
    assert f"state is from period {period}; this run is {period}" in proc.stderr, proc.stderr
    assert not any(p.exists() for p in outputs.values()), "outputs left behind"


def test_adjustments_are_explained_with_their_note(tmp_path):
    d = HISTORY_DIR / "three_months"
    proc, outputs = _run(d, tmp_path / "p3", 3, state_in=d / "expected_state_2.csv")
    assert proc.returncode == 0, proc.stderr
    with open(outputs["lines"], newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["detail"] in ("chargeback of order 77", "contest prize")]
    assert [(r["member_id"], r["bonus"], r["amount"], r["level"], r["base"], r["rate"]) for r in rows] == [
        ("A", "level", "-2.5", "", "", ""), ("B", "adjustment", "25", "", "", "")]


# ---- bad input (SPEC §10) ---------------------------------------------------------------

def _refused(tmp_path, extra, *needles, state_in=None, k=3):
    d = HISTORY_DIR / "three_months"
    proc, outputs = _run(d, tmp_path / "out", k, state_in=state_in, extra=extra)
    assert proc.returncode in (1, 2), f"exit {proc.returncode}: {proc.stderr}"
    assert proc.stderr.startswith(PREFIX), proc.stderr
    for needle in needles:
        assert needle in proc.stderr, f"stderr must hold {needle!r}: {proc.stderr}"
    assert not any(p.exists() for p in outputs.values()), "outputs left behind"


@pytest.mark.parametrize("period", ["2026-W54", "2025-W53", "2026-02-30", "2026-03-05..2026-03-01", "2026-3",
                                    "2026-W5", "2026-13"])
def test_impossible_periods(tmp_path, period):
    _refused(tmp_path, ["--period", period], f"'{period}'", k=1)


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("rows, line, value", [
    ("Z,Gold,,x\n", 2, "Z"),                       # unknown member
    ("A,Platinum,,x\n", 2, "Platinum"),            # unknown rank
    ("A,Gold,,x\nA,,true,y\n", 3, "A"),           # a member twice
    ("A,,yes,x\n", 2, "yes"),                      # malformed active
])
def test_bad_overrides(tmp_path, rows, line, value):
    path = _file(tmp_path, "o.csv", "member_id,rank,active,note\n" + rows)
    _refused(tmp_path, ["--overrides", str(path)], f"{path}:{line}", f"'{value}'", k=1)


@pytest.mark.parametrize("rows, line, value", [
    ("Z,level,1.00,x\n", 2, "Z"),                  # unknown member
    ("A,bogus,1.00,x\n", 2, "bogus"),              # unknown bonus
    ("A,level,1.005,x\n", 2, "1.005"),             # more decimals than money_decimals
    ("A,level,abc,x\n", 2, "abc"),                 # malformed
])
def test_bad_adjustments(tmp_path, rows, line, value):
    path = _file(tmp_path, "a.csv", "member_id,bonus,amount,note\n" + rows)
    _refused(tmp_path, ["--adjustments", str(path)], f"{path}:{line}", f"'{value}'", k=1)


@pytest.mark.parametrize("rows, line, value", [
    ("A,bogus_key,1\n", 3, "bogus_key"),           # unknown key
    ("A,paid_rank,Platinum\n", 3, "Platinum"),     # rank not in the plan
    ("A,grace,-1\n", 3, "-1"),                     # malformed count
    ("A,grace,1\nA,grace,1\n", 4, "A"),           # a (member, key) twice
    ("Z,grace,1\n", 3, "Z"),                       # unknown member
])
def test_bad_state_rows(tmp_path, rows, line, value):
    path = _file(tmp_path, "s.csv", "member_id,key,value\n,period,2026-01\n" + rows)
    _refused(tmp_path, [], f"{path}:{line}", f"'{value}'", state_in=path, k=2)


def test_a_later_state_is_refused(tmp_path):
    d = HISTORY_DIR / "three_months"
    _refused(tmp_path, [], "state is from period 2026-03; this run is 2026-02", state_in=d / "expected_state_3.csv",
             k=2)


def test_the_demo_tells_the_three_month_story():
    proc = subprocess.run(cli_argv() + ["demo"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    story = proc.stdout[proc.stdout.index("Three months of history"):]
    months = story.split("\n2026-")
    assert [m[:2] for m in months[1:]] == ["01", "02", "03"]
    # February: A kept at Silver by grace, B active by look-back; March: R by grace, C overridden,
    # B paid an adjustment, D active by override.
    assert "A  paid as Silver (qualified Bronze, kept by grace (1 of 1))" in months[2]
    assert "B  paid as Bronze (qualified no rank, kept by grace (1 of 1)), title Bronze, active by look-back" in months[2]
    assert "C  paid as Silver (qualified Bronze, overridden: promotion approved)" in months[3]
    assert "adjustment 30.00" in months[3]
    assert "active (override)" in months[3]
