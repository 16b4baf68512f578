"""Golden cases for the `downline` CLI: hand-computed expected outputs.

Every directory under tests/data/golden/ is one case:

    plan.json, network.csv, sales.csv     inputs (SPEC §2, §3)
    args                                  optional: extra CLI arguments (e.g. `--period 2026-03`)
    expected_payouts.csv                  exact bytes of payouts.csv (CLI contract)
    expected_ranks.csv                    optional: exact bytes of ranks.csv
    README.md                             the hand computation the numbers come from

Run with the binary named by DOWNLINE_CLI, e.g.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_golden.py

For each case the CLI is run as

    $DOWNLINE_CLI run --plan plan.json --network network.csv --sales sales.csv
        --out payouts.csv --ranks ranks.csv --lines lines.csv --summary-json summary.json [args...]

and the test checks: exit code 0; payouts.csv byte for byte; ranks.csv byte for byte
(when expected); the explanation lines of each (member, bonus) sum to an exact amount
that rounds (plan rounding, money_decimals) to the payout (cases without payout_cap
only: the cap changes payouts after rounding); each unilevel explanation line is
base x rate; summary "members" and "total_payout".

Money is handled with decimal.Decimal only (never float). Standard library + pytest.
"""

import csv
import decimal
import io
import json
import shlex
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from cli_binary import CLI, requires_cli

GOLDEN_DIR = Path(__file__).parent.parent / "data" / "golden"

pytestmark = requires_cli

TIMEOUT_S = 120

# Exact decimal context: enough digits that no sum or product here is ever rounded.
_EXACT = decimal.Context(prec=200, traps=[decimal.Inexact, decimal.InvalidOperation,
                                          decimal.Overflow, decimal.DivisionByZero])

_ROUNDING = {
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_up": decimal.ROUND_HALF_UP,      # ties away from zero
    "down": decimal.ROUND_DOWN,            # toward zero
    "up": decimal.ROUND_UP,                # away from zero
}


def _case_names():
    if not GOLDEN_DIR.is_dir():
        return []
    return sorted(p.name for p in GOLDEN_DIR.iterdir() if p.is_dir())


CASES = _case_names()


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

def _dec(text, what):
    """Parse an exact decimal from text; never goes through float."""
    if not isinstance(text, str):
        raise AssertionError(f"{what}: expected a decimal string, got {text!r}")
    try:
        value = Decimal(text.strip())
    except decimal.InvalidOperation:
        raise AssertionError(f"{what}: not a decimal number: {text!r}") from None
    if not value.is_finite():
        raise AssertionError(f"{what}: not a finite decimal: {text!r}")
    return value


def _pct(text, what):
    """A rate as written in plan.json ("12.5%" or a JSON number meaning percent) -> fraction."""
    if isinstance(text, str):
        assert text.endswith("%"), f"{what}: rate without % sign: {text!r}"
        return _EXACT.divide(_dec(text[:-1], what), Decimal(100))
    if isinstance(text, (int, Decimal)):
        return _EXACT.divide(Decimal(text), Decimal(100))
    raise AssertionError(f"{what}: unexpected rate {text!r}")


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _load_plan(case_dir):
    with open(case_dir / "plan.json", encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def _case_args(case_dir):
    p = case_dir / "args"
    return shlex.split(p.read_text(encoding="utf-8")) if p.exists() else []


def _round_money(value, money_decimals, mode):
    quantum = Decimal(1).scaleb(-money_decimals)
    # quantize signals Inexact when it rounds; that is intended here, so no traps.
    return value.quantize(quantum, rounding=_ROUNDING[mode], context=decimal.Context(prec=200))


class RunResult:
    def __init__(self, case_dir, out_dir, proc):
        self.case_dir = case_dir
        self.out_dir = out_dir
        self.proc = proc

    @property
    def payouts_path(self):
        return self.out_dir / "payouts.csv"

    @property
    def ranks_path(self):
        return self.out_dir / "ranks.csv"

    @property
    def lines_path(self):
        return self.out_dir / "lines.csv"

    @property
    def summary_path(self):
        return self.out_dir / "summary.json"

    def describe(self):
        return (f"case {self.case_dir.name}: exit {self.proc.returncode}\n"
                f"stdout:\n{self.proc.stdout}\nstderr:\n{self.proc.stderr}")


_RUNS = {}


@pytest.fixture
def run_case(tmp_path_factory):
    """Run the CLI once per case (cached for the session) and return a RunResult."""

    def _run(name):
        if name in _RUNS:
            return _RUNS[name]
        case_dir = GOLDEN_DIR / name
        out_dir = tmp_path_factory.mktemp(f"golden_{name}")
        cmd = CLI + [
            "run",
            "--plan", str(case_dir / "plan.json"),
            "--network", str(case_dir / "network.csv"),
            "--sales", str(case_dir / "sales.csv"),
            "--out", str(out_dir / "payouts.csv"),
            "--ranks", str(out_dir / "ranks.csv"),
            "--lines", str(out_dir / "lines.csv"),
            "--summary-json", str(out_dir / "summary.json"),
        ] + _case_args(case_dir)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"case {name}: CLI did not finish within {TIMEOUT_S}s: {cmd}")
        result = RunResult(case_dir, out_dir, proc)
        _RUNS[name] = result
        return result

    return _run


def _ok_run(run_case, name):
    res = run_case(name)
    if res.proc.returncode < 0:
        pytest.fail(f"CLI killed by signal {-res.proc.returncode}\n{res.describe()}")
    assert res.proc.returncode == 0, res.describe()
    return res


def _payouts(path, what):
    """{(member_id, bonus): Decimal} from a payouts.csv file."""
    rows = _read_csv(path)
    out = {}
    for n, row in enumerate(rows, start=2):
        key = (row["member_id"], row["bonus"])
        assert key not in out, f"{what}:{n}: duplicate row for {key}"
        out[key] = _dec(row["amount"], f"{what}:{n}: amount")
    return out


# --------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------

def test_golden_cases_exist():
    assert CASES, f"no golden cases found under {GOLDEN_DIR}"
    for name in CASES:
        d = GOLDEN_DIR / name
        for f in ("plan.json", "network.csv", "sales.csv", "expected_payouts.csv", "README.md"):
            assert (d / f).is_file(), f"golden case {name} lacks {f}"


@pytest.mark.parametrize("case", CASES)
def test_exit_code_and_payouts(case, run_case):
    res = _ok_run(run_case, case)
    assert res.payouts_path.is_file(), f"--out file not written\n{res.describe()}"
    expected = (GOLDEN_DIR / case / "expected_payouts.csv").read_bytes()
    actual = res.payouts_path.read_bytes()
    assert actual == expected, (
        f"case {case}: payouts.csv differs from expected_payouts.csv "
        f"(see {GOLDEN_DIR / case / 'README.md'})\n"
        f"--- expected\n{expected.decode('utf-8', 'replace')}"
        f"--- actual\n{actual.decode('utf-8', 'replace')}")


@pytest.mark.parametrize("case", CASES)
def test_ranks(case, run_case):
    expected_path = GOLDEN_DIR / case / "expected_ranks.csv"
    if not expected_path.exists():
        pytest.skip("no expected_ranks.csv for this case")
    res = _ok_run(run_case, case)
    assert res.ranks_path.is_file(), f"--ranks file not written\n{res.describe()}"
    expected = expected_path.read_bytes()
    actual = res.ranks_path.read_bytes()
    assert actual == expected, (
        f"case {case}: ranks.csv differs from expected_ranks.csv "
        f"(see {GOLDEN_DIR / case / 'README.md'})\n"
        f"--- expected\n{expected.decode('utf-8', 'replace')}"
        f"--- actual\n{actual.decode('utf-8', 'replace')}")


@pytest.mark.parametrize("case", CASES)
def test_lines_sum_rounds_to_payout(case, run_case):
    case_dir = GOLDEN_DIR / case
    plan = _load_plan(case_dir)
    if "payout_cap" in plan:
        pytest.skip("plan has a payout_cap: payouts are scaled after rounding")
    money_decimals = int(plan.get("money_decimals", 2))
    mode = plan.get("rounding", "half_even")
    res = _ok_run(run_case, case)
    assert res.lines_path.is_file(), f"--lines file not written\n{res.describe()}"

    sums = {}
    for n, row in enumerate(_read_csv(res.lines_path), start=2):
        key = (row["member_id"], row["bonus"])
        amount = _dec(row["amount"], f"lines.csv:{n}: amount")
        sums[key] = _EXACT.add(sums.get(key, Decimal(0)), amount)

    payouts = _payouts(res.payouts_path, "payouts.csv")
    # every payout is explained by lines
    for key, paid in payouts.items():
        assert key in sums, f"case {case}: payout {key} = {paid} has no explanation lines"
    # every explained (member, bonus) rounds to its payout (0 when there is no row)
    for key, exact in sums.items():
        rounded = _round_money(exact, money_decimals, mode)
        paid = payouts.get(key, Decimal(0))
        assert rounded == paid, (
            f"case {case}: lines for {key} sum to {exact}, which rounds ({mode}, "
            f"{money_decimals} decimals) to {rounded}, but payouts.csv has {paid}")


@pytest.mark.parametrize("case", CASES)
def test_unilevel_lines_are_base_times_rate(case, run_case):
    """lines.csv contract: amount = exact base x rate, for every unilevel bonus line."""
    plan = _load_plan(GOLDEN_DIR / case)
    unilevel = {b["name"] for b in plan["bonuses"] if b.get("type") == "unilevel"}
    res = _ok_run(run_case, case)
    assert res.lines_path.is_file(), f"--lines file not written\n{res.describe()}"
    for n, row in enumerate(_read_csv(res.lines_path), start=2):
        if row["bonus"] not in unilevel:
            continue
        base = _dec(row["base"], f"lines.csv:{n}: base")
        rate = _pct(row["rate"], f"lines.csv:{n}: rate")
        amount = _dec(row["amount"], f"lines.csv:{n}: amount")
        assert _EXACT.multiply(base, rate) == amount, (
            f"case {case}: lines.csv:{n}: {row['base']} x {row['rate']} != {row['amount']}")


@pytest.mark.parametrize("case", CASES)
def test_summary(case, run_case):
    case_dir = GOLDEN_DIR / case
    res = _ok_run(run_case, case)
    assert res.summary_path.is_file(), f"--summary-json file not written\n{res.describe()}"
    with open(res.summary_path, encoding="utf-8") as f:
        summary = json.load(f, parse_float=Decimal)

    network_rows = len(_read_csv(case_dir / "network.csv"))
    assert summary.get("members") == network_rows, (
        f"case {case}: summary members {summary.get('members')!r} != {network_rows} network rows")

    total = Decimal(0)
    for amount in _payouts(res.payouts_path, "payouts.csv").values():
        total = _EXACT.add(total, amount)
    assert "total_payout" in summary, f"case {case}: summary has no total_payout"
    reported = _dec(summary["total_payout"], "summary total_payout")
    assert reported == total, (
        f"case {case}: summary total_payout {summary['total_payout']!r} != "
        f"sum of payouts.csv {total}")
