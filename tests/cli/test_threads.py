"""The thread count (`--threads N`, DOWNLINE_THREADS) changes no byte of any output.

Each plan runs on generated networks once as a serial pass would (the default parallel
threshold is above the network's size, so every pass is one chunk), then with the threshold
lowered (DOWNLINE_PARALLEL_THRESHOLD, for tests only: passes cut into chunks of 250 members or
lines) on 1, 2 and 7 threads; every output file must be the same bytes each time.

Run with the binary named by DOWNLINE_CLI, e.g.
DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_threads.py
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from cli_binary import cli_argv, requires_cli

pytestmark = requires_cli

ROOT = Path(__file__).parent.parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
MEMBERS = 20000
LOWERED = {"DOWNLINE_PARALLEL_THRESHOLD": "1000"}
THREADS = (1, 2, 7)
TIMEOUT_S = 120

U8 = {
    "name": "U8", "currency": "EUR", "money_decimals": 2, "rounding": "half_even",
    "qualification": {"active_pv": "50"},
    "bonuses": [{"name": "level", "type": "unilevel", "base": "amount", "compression": "dynamic",
                 "rates": ["10%", "5%", "4%", "3%", "2%", "1%", "1%", "1%"]}],
}
# Ranks, a binary carry and settlement: everything the state carries from one period to the next.
RANKED = {
    "name": "ranked with carry and settlement", "currency": "EUR", "money_decimals": 2,
    "qualification": {"active_pv": "50"},
    "ranks": [{"name": "Member", "pv": "50"}, {"name": "Leader", "pv": "50", "gv": "500"}],
    "bonuses": [
        {"name": "level", "type": "unilevel", "base": "amount", "rates": ["8%", "4%", "2%"]},
        {"name": "team", "type": "binary", "base": "volume", "placement": "bfs",
         "cycle": {"left": "300", "right": "600", "pay": "30.00"}, "max_carry": "20000"},
    ],
    "payout": {"minimum": "20.00", "fee": "1.50", "deductions": [{"name": "admin", "rate": "5%"}]},
}


def _invoke(args, env_extra=None, check=True):
    env = {k: v for k, v in os.environ.items() if k not in ("DOWNLINE_THREADS", "DOWNLINE_PARALLEL_THRESHOLD")}
    env.update(env_extra or {})
    proc = subprocess.run(cli_argv() + [str(a) for a in args], capture_output=True, text=True, timeout=TIMEOUT_S, env=env)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {proc.stderr}"
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Two generated networks (binary and 3-wide matrix placements) with their sales."""
    root = tmp_path_factory.mktemp("threads")
    out = {}
    for placement, extra in (("binary", []), ("matrix", ["--width", "3"])):
        d = root / placement
        _invoke(["generate", "--members", MEMBERS, "--sales-per-member", 3, "--seed", 7, "--placement", placement,
                 *extra, "--out", d])
        out[placement] = d
    for name, plan in (("u8", U8), ("ranked", RANKED)):
        (root / f"{name}.json").write_text(json.dumps(plan))
        out[name] = root / f"{name}.json"
    out["root"] = root
    return out


def _outputs(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _run_plan(data, plan, network, out_dir, env_extra, threads, state_in=None):
    out_dir.mkdir(parents=True)
    args = ["run", "--plan", plan, "--network", data[network] / "network.csv", "--sales", data[network] / "sales.csv",
            "--out", out_dir / "payouts.csv", "--ranks", out_dir / "ranks.csv", "--lines", out_dir / "lines.csv",
            "--payables", out_dir / "payables.csv", "--summary-json", out_dir / "summary.json",
            "--state-out", out_dir / "state.csv", "--quiet"]
    if state_in:
        args += ["--state-in", state_in]
    if threads:
        args += ["--threads", threads]
    _invoke(args, env_extra)
    return _outputs(out_dir)


PLANS = [
    ("u8", "binary"),
    ("binary", "binary"),
    ("matrix", "matrix"),
    ("stairstep_matching", "binary"),
]


def _plan_path(data, name):
    return {
        "u8": data["u8"],
        "binary": ROOT / "examples" / "plans" / "binary.json",
        "matrix": GOLDEN / "21_matrix_spillover_with_unilevel" / "plan.json",
        "stairstep_matching": GOLDEN / "35_combined_stairstep_breakaway_matching" / "plan.json",
        "ranked": data["ranked"],
    }[name]


@pytest.mark.parametrize("name,network", PLANS)
def test_outputs_do_not_depend_on_threads(data, tmp_path, name, network):
    plan = _plan_path(data, name)
    serial = _run_plan(data, plan, network, tmp_path / "serial", {}, None)
    assert serial["payouts.csv"].count(b"\n") > 100  # the plan pays enough members to mean something
    for threads in THREADS:
        chunked = _run_plan(data, plan, network, tmp_path / f"t{threads}", LOWERED, threads)
        assert chunked.keys() == serial.keys()
        for file in serial:
            assert chunked[file] == serial[file], f"{name}: {file} differs on {threads} threads"


def test_state_and_settlement_do_not_depend_on_threads(data, tmp_path):
    """Two periods of the ranked plan: the second reads the first's state (carry, ranks, balances)."""
    plan = data["ranked"]
    first = _run_plan(data, plan, "binary", tmp_path / "first", {}, None)
    state = tmp_path / "first" / "state.csv"
    assert b"carry_left:team" in first["state.csv"] or b"team" in first["state.csv"]
    serial = _run_plan(data, plan, "binary", tmp_path / "serial", {}, None, state_in=state)
    assert serial["payables.csv"].count(b"\n") > 100
    for threads in THREADS:
        for period, state_in in (("first", None), ("second", state)):
            expected = first if period == "first" else serial
            got = _run_plan(data, plan, "binary", tmp_path / f"{period}{threads}", LOWERED, threads, state_in)
            for file in expected:
                assert got[file] == expected[file], f"period {period}: {file} differs on {threads} threads"


def test_compare_does_not_depend_on_threads(data, tmp_path):
    # Two U8 rate variants share their level bases (zeroed and multiplied in chunks when split).
    variant = tmp_path / "u8_variant.json"
    variant.write_text(json.dumps({**U8, "name": "U8 variant", "bonuses": [
        {**U8["bonuses"][0], "rates": ["12%", "6%", "4%", "2%", "2%", "1%", "1%", "0.5%"]}]}))
    plans = [data["u8"], variant, ROOT / "examples" / "plans" / "binary.json", _plan_path(data, "stairstep_matching")]
    results = []
    for threads, env in ((None, {}),) + tuple((t, LOWERED) for t in THREADS):
        out = tmp_path / f"compare{threads}.csv"
        args = ["compare", *[a for p in plans for a in ("--plan", p)], "--network", data["binary"] / "network.csv",
                "--sales", data["binary"] / "sales.csv", "--out", out, "--quiet"]
        _invoke(args + (["--threads", threads] if threads else []), env)
        results.append(out.read_bytes())
    assert all(r == results[0] for r in results)


def test_downline_threads_is_honoured_and_the_flag_wins(data, tmp_path):
    base = ["run", "--plan", data["u8"], "--network", data["binary"] / "network.csv",
            "--sales", data["binary"] / "sales.csv", "--quiet"]
    ok = _invoke(base + ["--out", tmp_path / "a.csv"], {"DOWNLINE_THREADS": "3", **LOWERED})
    assert ok.returncode == 0
    bad = _invoke(base + ["--out", tmp_path / "b.csv"], {"DOWNLINE_THREADS": "lots"}, check=False)
    assert bad.returncode == 2
    assert "DOWNLINE_THREADS must be a number of threads from 1 to 1024, not 'lots'" in bad.stderr
    # The flag is read first: a good --threads overrides a bad variable.
    flagged = _invoke(base + ["--out", tmp_path / "c.csv", "--threads", "2"], {"DOWNLINE_THREADS": "lots"})
    assert flagged.returncode == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "", "1025", "99999999999999999999"])
def test_bad_thread_counts_are_usage_errors(data, tmp_path, value):
    proc = _invoke(["run", "--plan", data["u8"], "--network", data["binary"] / "network.csv",
                    "--sales", data["binary"] / "sales.csv", "--out", tmp_path / "p.csv", f"--threads={value}"],
                   check=False)
    assert proc.returncode == 2
    assert f"--threads must be a number of threads from 1 to 1024, not '{value}'" in proc.stderr
    assert not (tmp_path / "p.csv").exists()
    env = _invoke(["validate", "--plan", data["u8"]], {"DOWNLINE_THREADS": value}, check=False)
    if value == "":
        assert env.returncode == 0  # empty is unset: all cores
    else:
        assert env.returncode == 2 and f"DOWNLINE_THREADS must be a number of threads from 1 to 1024, not '{value}'" in env.stderr


def test_every_computing_command_takes_threads(data, tmp_path):
    _invoke(["generate", "--members", 50, "--out", tmp_path / "g", "--threads", 1])
    _invoke(["compile-network", "--network", data["binary"] / "network.csv", "--out", tmp_path / "n.dlnet",
             "--threads", 2, "--quiet"])
    _invoke(["demo", "--threads", 7])
    _invoke(["validate", "--plan", data["u8"], "--threads", 1])
    twice = _invoke(["demo", "--threads", 1, "--threads", 2], check=False)
    assert twice.returncode == 2 and "'--threads' given twice" in twice.stderr
    bad_threshold = _invoke(["demo"], {"DOWNLINE_PARALLEL_THRESHOLD": "x"}, check=False)
    assert bad_threshold.returncode != 0
    assert "DOWNLINE_PARALLEL_THRESHOLD must be a positive integer (for tests only), not 'x'" in bad_threshold.stderr
