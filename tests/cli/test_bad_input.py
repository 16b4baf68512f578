"""Bad-input suite for the `downline` CLI (SPEC §10, plan errors of SPEC §3).

Runs the binary named by the environment variable DOWNLINE_CLI, e.g.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_bad_input.py

Every test starts from a small valid plan / network / sales trio written into
pytest's tmp_path, breaks exactly one thing, runs

    downline run --plan P --network N --sales S --out OUT --ranks R --lines L
                 --summary-json J --state-out ST

and checks only what the CLI contract fixes (not the wording):

  * exit code 1 (a signal / crash fails the test with its own message),
  * stderr starts with ``downline: error: ``,
  * stderr names the offending file (``<path>:<line>`` for CSV, line 1 = header)
    or, for plan errors, the plan path and the JSON path (``bonuses[0].rates[1]``),
  * the offending value appears in single quotes,
  * none of the output files exists afterwards (the output folder holds no stray
    temporary files either), and a pre-existing output file is left untouched.

Standard library + pytest only.
"""

import copy
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from cli_binary import CLI, CLI_ENV as _CLI_ENV, requires_cli

# --------------------------------------------------------------------------------------
# locating the CLI
# --------------------------------------------------------------------------------------

pytestmark = requires_cli

PREFIX = "downline: error: "
TIMEOUT_S = 60

# --------------------------------------------------------------------------------------
# the valid default trio
# --------------------------------------------------------------------------------------

DEFAULT_PLAN = {
    "name": "Bad-input test plan",
    "currency": "EUR",
    "money_decimals": 2,
    "rounding": "half_even",
    "qualification": {"active_pv": "0"},
    "ranks": [
        {"name": "Associate", "pv": "0"},
        {"name": "Manager", "pv": "10", "gv": "50", "legs": [{"count": 1, "rank": "Associate"}]},
    ],
    "bonuses": [
        {
            "name": "level",
            "type": "unilevel",
            "base": "amount",
            "rates": ["10%", "5%", "2.5%"],
            "compression": "none",
        }
    ],
}

# One string per physical line; line numbers are 1-based, header = line 1.
DEFAULT_NETWORK = [
    "id,sponsor_id,joined",
    "A,,2026-01-01",
    "B,A,2026-01-15",
    "C,B,2026-02-01",
    "D,A,2026-02-10",
]

DEFAULT_SALES = [
    "member_id,amount,volume,kind,date,order_id",
    "C,100.00,100,retail,2026-03-05,o1",
    "B,50.00,40,personal,2026-03-10,o2",
    "D,20.00,20,fee,2026-03-12,o3",
]

OUTPUT_FLAGS = {
    "out": "--out",
    "ranks": "--ranks",
    "lines": "--lines",
    "summary": "--summary-json",
    "state": "--state-out",
}
OUTPUT_NAMES = {
    "out": "payouts.csv",
    "ranks": "ranks.csv",
    "lines": "lines.csv",
    "summary": "summary.json",
    "state": "state.csv",
}


def default_plan():
    """A fresh deep copy of the valid plan, to be broken by the test."""
    return copy.deepcopy(DEFAULT_PLAN)


def with_row(lines, row, at=None):
    """lines + row (appended, or inserted at 0-based index `at`); returns (lines, 1-based line no)."""
    lines = list(lines)
    if at is None:
        lines.append(row)
        return lines, len(lines)
    lines.insert(at, row)
    return lines, at + 1


def with_cell(lines, lineno, column, value):
    """Copy of `lines` where the cell `column` (by header name) of 1-based line `lineno` is `value`.

    Only for lines without quoted fields (the default trio)."""
    lines = list(lines)
    header = lines[0].split(",")
    cells = lines[lineno - 1].split(",")
    cells[header.index(column)] = value
    lines[lineno - 1] = ",".join(cells)
    return lines


def network_line_of(member, lines=DEFAULT_NETWORK):
    for i, line in enumerate(lines):
        if i and line.split(",")[0] == member:
            return i + 1
    raise KeyError(member)


# --------------------------------------------------------------------------------------
# writing inputs, running the CLI
# --------------------------------------------------------------------------------------


def _write(path, content):
    """content: dict/list -> JSON; list of str -> CSV lines ending in '\\n'; str; bytes."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    elif isinstance(content, dict):
        path.write_bytes(json.dumps(content, indent=2).encode("utf-8"))
    elif isinstance(content, list):
        path.write_bytes(("\n".join(content) + "\n").encode("utf-8"))
    else:
        raise TypeError(type(content))


class Case:
    """Input files, output paths and (after run) the finished process of one CLI call."""

    def __init__(self, tmp_path, plan=None, network=None, sales=None):
        self.dir = tmp_path
        self.plan = tmp_path / "plan.json"
        self.network = tmp_path / "network.csv"
        self.sales = tmp_path / "sales.csv"
        self.outdir = tmp_path / "out"
        self.outdir.mkdir()
        self.outputs = {k: self.outdir / name for k, name in OUTPUT_NAMES.items()}
        self.preexisting = {}
        for path, content, default in (
            (self.plan, plan, DEFAULT_PLAN),
            (self.network, network, DEFAULT_NETWORK),
            (self.sales, sales, DEFAULT_SALES),
        ):
            if content is MISSING:
                continue
            _write(path, default if content is None else content)
        self.proc = None
        self.stderr = ""
        self.stdout = ""

    def file(self, which):
        return {"plan": self.plan, "network": self.network, "sales": self.sales}[which]

    def preexisting_output(self, key, content):
        self.outputs[key].write_bytes(content)
        self.preexisting[key] = content

    def run_args(self, *extra):
        args = [
            "run",
            "--plan", str(self.plan),
            "--network", str(self.network),
            "--sales", str(self.sales),
        ]
        for key, flag in OUTPUT_FLAGS.items():
            args += [flag, str(self.outputs[key])]
        return args + [str(e) for e in extra]

    def run(self, *extra):
        return self.call(self.run_args(*extra))

    def call(self, args):
        cmd = CLI + list(args)
        try:
            self.proc = subprocess.run(
                cmd, cwd=str(self.dir), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_S,
            )
        except FileNotFoundError:
            pytest.fail(f"DOWNLINE_CLI={_CLI_ENV!r}: cannot execute {cmd[0]!r} (no such file)")
        except PermissionError:
            pytest.fail(f"DOWNLINE_CLI={_CLI_ENV!r}: {cmd[0]!r} is not executable")
        except subprocess.TimeoutExpired:
            pytest.fail(f"CLI did not finish within {TIMEOUT_S}s: {shlex.join(cmd)}")
        self.stdout = self.proc.stdout.decode("utf-8", "replace")
        self.stderr = self.proc.stderr.decode("utf-8", "replace")
        return self

    def describe(self):
        return (
            f"\n  command: {shlex.join(CLI + list(self.proc.args[len(CLI):]))}"
            f"\n  exit code: {self.proc.returncode}"
            f"\n  stderr: {self.stderr!r}"
            f"\n  stdout: {self.stdout[:400]!r}"
        )


MISSING = object()  # pass as plan=/network=/sales= to leave that file out


def run_case(tmp_path, *extra, plan=None, network=None, sales=None):
    """Write the trio (defaults unless given), run `downline run ... <extra>`, return the Case."""
    return Case(tmp_path, plan=plan, network=network, sales=sales).run(*extra)


# --------------------------------------------------------------------------------------
# assertions
# --------------------------------------------------------------------------------------


def _as_tuple(x):
    if x is None:
        return ()
    if isinstance(x, (list, tuple, set, frozenset)):
        return tuple(x)
    return (x,)


def assert_no_crash(case):
    rc = case.proc.returncode
    if rc < 0:
        pytest.fail(f"CLI was killed by signal {-rc} (crash, not a clean error exit){case.describe()}")


def assert_ok(case):
    """A run that must succeed (controls: proves the trio/variant itself is valid)."""
    assert_no_crash(case)
    assert case.proc.returncode == 0, f"expected exit code 0 for valid input{case.describe()}"


def assert_rejected(case, which=None, line=None, value=None, json_path=None,
                    exit_codes=(1,)):
    """The contract's checks for one rejected input.

    which:     'plan' | 'network' | 'sales' (the file whose path must be named), or None
    line:      1-based line number (or several acceptable ones) following `<path>:`
    value:     the offending value (or several acceptable ones), which must appear in '...'
    json_path: plan JSON path (or several acceptable ones) that must appear in the message
    """
    assert_no_crash(case)
    rc = case.proc.returncode
    assert rc in exit_codes, f"expected exit code in {exit_codes}{case.describe()}"
    err = case.stderr
    assert err.startswith(PREFIX), f"stderr must start with {PREFIX!r}{case.describe()}"

    if which is not None:
        path = str(case.file(which))
        assert path in err, f"stderr must name the {which} file {path!r}{case.describe()}"
        lines = _as_tuple(line)
        if lines:
            pattern = "|".join(re.escape(f"{path}:{n}") + r"(?!\d)" for n in lines)
            assert re.search(pattern, err), (
                f"stderr must locate the error as {path}:<line> with line in {lines}{case.describe()}"
            )

    paths = _as_tuple(json_path)
    if paths:
        # the plan's file path may itself contain words like 'name'; look past it
        rest = err.replace(str(case.plan), "<plan>")
        pattern = "|".join(r"(?<![\w\]])" + re.escape(p) + r"(?!\w)" for p in paths)
        assert re.search(pattern, rest), (
            f"stderr must name the JSON path (one of {paths}){case.describe()}"
        )

    values = _as_tuple(value)
    if values:
        assert any(f"'{v}'" in err for v in values), (
            f"stderr must quote the offending value (one of {[f'{v!r}' for v in values]}) "
            f"in single quotes{case.describe()}"
        )

    assert_no_outputs(case)


def assert_no_outputs(case):
    for key, path in case.outputs.items():
        if key in case.preexisting:
            assert path.exists(), f"pre-existing output {path} was removed{case.describe()}"
            assert path.read_bytes() == case.preexisting[key], (
                f"pre-existing output {path} was modified{case.describe()}"
            )
        else:
            assert not path.exists(), f"output {path} must not exist after an error{case.describe()}"
    expected = {case.outputs[k].name for k in case.preexisting}
    left = sorted(p.name for p in case.outdir.iterdir() if p.name not in expected)
    assert not left, f"stray files left in the output folder: {left}{case.describe()}"


def rejected(tmp_path, *extra, which=None, line=None, value=None, json_path=None,
             exit_codes=(1,), plan=None, network=None, sales=None):
    """run_case + assert_rejected in one call."""
    case = run_case(tmp_path, *extra, plan=plan, network=network, sales=sales)
    assert_rejected(case, which=which, line=line, value=value, json_path=json_path,
                    exit_codes=exit_codes)
    return case


def plan_rejected(tmp_path, plan, json_path=None, value=None):
    return rejected(tmp_path, plan=plan, which="plan", json_path=json_path, value=value)


# --------------------------------------------------------------------------------------
# controls: the unbroken inputs are valid
# --------------------------------------------------------------------------------------


def test_default_trio_is_valid(tmp_path):
    case = run_case(tmp_path)
    assert_ok(case)
    assert case.outputs["out"].exists(), f"--out file not written{case.describe()}"


def test_header_only_sales_is_valid(tmp_path):
    case = run_case(tmp_path, sales=[DEFAULT_SALES[0]])
    assert_ok(case)
    assert case.outputs["out"].exists(), f"--out file not written{case.describe()}"


def test_id_of_exactly_64_bytes_is_valid(tmp_path):
    long_id = "é" * 32  # 64 bytes of UTF-8, 32 characters
    network, _ = with_row(DEFAULT_NETWORK, f"{long_id},A,2026-02-11")
    sales, _ = with_row(DEFAULT_SALES, f"{long_id},5.00,5,retail,2026-03-01,o9")
    assert_ok(run_case(tmp_path, network=network, sales=sales))


def test_rfc4180_quoted_fields_are_valid(tmp_path):
    # quoted ids, a quoted sponsor, an ignored extra column holding a comma and an escaped quote
    network = [
        "id,sponsor_id,joined,note",
        'A,,2026-01-01,"root, the first"',
        '"B","A",2026-01-15,"says ""hi"""',
        'C,"B",2026-02-01,',
        "D,A,2026-02-10,plain",
    ]
    sales = with_cell(DEFAULT_SALES, 2, "member_id", '"C"')
    assert_ok(run_case(tmp_path, network=network, sales=sales))


# --------------------------------------------------------------------------------------
# network.csv
# --------------------------------------------------------------------------------------


def test_duplicate_id(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, "B,A,2026-02-11")
    rejected(tmp_path, network=network, which="network", line=line, value="B")


def test_duplicate_id_leaves_preexisting_output_untouched(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, "C,A,2026-02-11")
    case = Case(tmp_path, network=network)
    case.preexisting_output("out", b"member_id,bonus,amount\nOLD,level,1.00\n")
    case.run()
    assert_rejected(case, which="network", line=line, value="C")


def test_unknown_sponsor(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, "E,NOPE,2026-02-11")
    rejected(tmp_path, network=network, which="network", line=line, value="NOPE")


def test_sponsor_cycle_of_three(tmp_path):
    network = DEFAULT_NETWORK + ["X,Z,2026-02-11", "Y,X,2026-02-12", "Z,Y,2026-02-13"]
    cycle = ["X", "Y", "Z"]
    rejected(tmp_path, network=network, which="network",
             line=[network_line_of(m, network) for m in cycle], value=cycle)


def test_self_sponsor(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, "E,E,2026-02-11")
    rejected(tmp_path, network=network, which="network", line=line, value="E")


@pytest.mark.parametrize(
    "bad_id",
    ["x" * 65, "é" * 33],  # 65 ASCII bytes; 33 characters = 66 bytes (the limit is in bytes)
    ids=["65-ascii-bytes", "33-chars-66-bytes"],
)
def test_id_too_long(tmp_path, bad_id):
    network, line = with_row(DEFAULT_NETWORK, f"{bad_id},A,2026-02-11")
    rejected(tmp_path, network=network, which="network", line=line, value=bad_id)


def test_empty_id(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, ",A,2026-02-11")
    rejected(tmp_path, network=network, which="network", line=line, value="")


@pytest.mark.parametrize(
    "field, bad_id",
    [('"E,1"', "E,1"), ('"E""1"', 'E"1')],
    ids=["comma", "quote"],
)
def test_id_with_forbidden_character(tmp_path, field, bad_id):
    # The field is valid RFC 4180 quoting, so the parser must read the id as `bad_id`
    # (and not split the line); the id itself is then rejected: no comma, quote or newline.
    network, line = with_row(DEFAULT_NETWORK, f"{field},A,2026-02-11")
    rejected(tmp_path, network=network, which="network", line=line, value=bad_id)


@pytest.mark.parametrize("bad_date", ["2026-02-30", "2026-13-01", "26-01-01"])
def test_bad_joined_date(tmp_path, bad_date):
    network = with_cell(DEFAULT_NETWORK, 4, "joined", bad_date)
    rejected(tmp_path, network=network, which="network", line=4, value=bad_date)


def test_network_missing_sponsor_id_column(tmp_path):
    network = ["id,joined", "A,2026-01-01", "B,2026-01-15", "C,2026-02-01", "D,2026-02-10"]
    rejected(tmp_path, network=network, which="network", line=1, value="sponsor_id")


def test_network_row_with_fewer_columns_than_header(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, "E", at=3)
    rejected(tmp_path, network=network, which="network", line=line)


@pytest.mark.parametrize("which", ["network", "sales"])
def test_empty_file(tmp_path, which):
    # 0 bytes: not even a header (a header-only sales file is valid, see the control above)
    rejected(tmp_path, **{which: b""}, which=which)


@pytest.mark.parametrize("which", ["plan", "network", "sales"])
def test_input_file_does_not_exist(tmp_path, which):
    rejected(tmp_path, **{which: MISSING}, which=which)


# --------------------------------------------------------------------------------------
# network.csv: placement (needs a plan with a placement-tree bonus)
# --------------------------------------------------------------------------------------


def _binary_plan():
    plan = default_plan()
    plan["bonuses"].append({"name": "team", "type": "binary", "base": "volume", "rate": "10%"})
    return plan


def _matrix_plan():
    plan = default_plan()
    plan["bonuses"].append({"name": "mx", "type": "matrix", "base": "amount",
                            "width": 2, "depth": 3, "rates": ["5%", "4%", "3%"]})
    return plan


PLACEMENT_HEADER = "id,sponsor_id,placement_id,position,joined"


def test_unknown_placement_parent(tmp_path):
    network = [PLACEMENT_HEADER, "A,,,,2026-01-01", "B,A,A,L,2026-01-15",
               "C,A,NOPE,R,2026-02-01", "D,A,,,2026-02-10"]
    rejected(tmp_path, plan=_binary_plan(), network=network, which="network", line=4, value="NOPE")


def test_binary_position_taken_twice(tmp_path):
    network = [PLACEMENT_HEADER, "A,,,,2026-01-01", "B,A,A,L,2026-01-15",
               "C,A,A,L,2026-02-01", "D,A,,,2026-02-10"]
    rejected(tmp_path, plan=_binary_plan(), network=network, which="network",
             line=4, value=["L", "A", "C"])


def test_binary_bad_position(tmp_path):
    network = [PLACEMENT_HEADER, "A,,,,2026-01-01", "B,A,A,X,2026-01-15",
               "C,A,,,2026-02-01", "D,A,,,2026-02-10"]
    rejected(tmp_path, plan=_binary_plan(), network=network, which="network", line=3, value="X")


def test_matrix_more_than_width_children(tmp_path):
    # width 2: position 3 under A does not exist
    network = [PLACEMENT_HEADER, "A,,,,2026-01-01", "B,A,A,1,2026-01-15",
               "C,A,A,2,2026-02-01", "D,A,A,3,2026-02-10"]
    rejected(tmp_path, plan=_matrix_plan(), network=network, which="network", line=5, value="3")


def test_matrix_position_taken_twice(tmp_path):
    network = [PLACEMENT_HEADER, "A,,,,2026-01-01", "B,A,A,1,2026-01-15",
               "C,A,A,1,2026-02-01", "D,A,,,2026-02-10"]
    rejected(tmp_path, plan=_matrix_plan(), network=network, which="network",
             line=4, value=["1", "A", "C"])


# --------------------------------------------------------------------------------------
# sales.csv
# --------------------------------------------------------------------------------------


def test_sales_missing_amount_column(tmp_path):
    sales = ["member_id,volume,kind", "C,100,retail", "B,40,personal"]
    rejected(tmp_path, sales=sales, which="sales", line=1, value="amount")


def test_sales_row_with_fewer_columns_than_header(tmp_path):
    sales, line = with_row(DEFAULT_SALES, "C,10.00", at=2)
    rejected(tmp_path, sales=sales, which="sales", line=line)


@pytest.mark.parametrize("bad", ["12.3.4", "abc", "1e3", "--5", ""])
def test_malformed_amount(tmp_path, bad):
    sales = with_cell(DEFAULT_SALES, 3, "amount", bad)
    rejected(tmp_path, sales=sales, which="sales", line=3, value=bad)


def test_amount_with_too_many_decimals(tmp_path):
    sales = with_cell(DEFAULT_SALES, 2, "amount", "1.234")  # money_decimals is 2
    rejected(tmp_path, sales=sales, which="sales", line=2, value="1.234")


def test_amount_with_too_many_decimals_for_money_decimals_0(tmp_path):
    plan = default_plan()
    plan["money_decimals"] = 0
    sales = DEFAULT_SALES
    for n in range(2, len(sales) + 1):  # whole amounts, valid with 0 decimals ...
        sales = with_cell(sales, n, "amount", str(10 * n))
    sales = with_cell(sales, 4, "amount", "20.5")  # ... except this one
    rejected(tmp_path, plan=plan, sales=sales, which="sales", line=4, value="20.5")


def test_volume_with_more_than_4_decimals(tmp_path):
    sales = with_cell(DEFAULT_SALES, 3, "volume", "1.00001")
    rejected(tmp_path, sales=sales, which="sales", line=3, value="1.00001")


def test_unknown_kind(tmp_path):
    sales = with_cell(DEFAULT_SALES, 2, "kind", "gift")
    rejected(tmp_path, sales=sales, which="sales", line=2, value="gift")


@pytest.mark.parametrize("bad_date", ["2026-04-31", "2026-13-01", "26-03-05"])
def test_bad_sale_date(tmp_path, bad_date):
    sales = with_cell(DEFAULT_SALES, 4, "date", bad_date)
    rejected(tmp_path, sales=sales, which="sales", line=4, value=bad_date)


def test_sale_for_member_not_in_network(tmp_path):
    sales, line = with_row(DEFAULT_SALES, "GHOST,10.00,10,retail,2026-03-01,o9")
    rejected(tmp_path, sales=sales, which="sales", line=line, value="GHOST")


@pytest.mark.parametrize(
    "column, big",
    [
        ("amount", "99999999999999999999999"),  # 23 digits: beyond int64 minor units
        ("amount", "9" * 45),                   # beyond any 128-bit fixed point
        ("volume", "99999999999999999999999"),
        ("amount", "-99999999999999999999999"),
    ],
    ids=["amount-23-digits", "amount-45-digits", "volume-23-digits", "negative-amount-23-digits"],
)
def test_number_overflow(tmp_path, column, big):
    sales = with_cell(DEFAULT_SALES, 2, column, big)
    rejected(tmp_path, sales=sales, which="sales", line=2, value=big)


def test_period_requires_a_date_on_every_line(tmp_path):
    sales = with_cell(DEFAULT_SALES, 3, "date", "")
    # the quoted value may be the empty date or the period that requires it
    rejected(tmp_path, "--period", "2026-03", sales=sales, which="sales", line=3,
             value=["", "2026-03"])


@pytest.mark.parametrize("bad_period", ["2026-3", "2026-13", "202603", "March"])
def test_malformed_period(tmp_path, bad_period):
    # a usage error: exit 2 is as acceptable as 1; no file is involved
    rejected(tmp_path, "--period", bad_period, value=bad_period, exit_codes=(1, 2))


# --------------------------------------------------------------------------------------
# plan (JSON)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['{"name": "x", "bonuses": [', "", "not json at all", '{"name": "x"} trailing'],
    ids=["truncated", "empty", "not-json", "trailing-garbage"],
)
def test_plan_invalid_json(tmp_path, text):
    rejected(tmp_path, plan=text, which="plan")


def test_plan_missing_name(tmp_path):
    plan = default_plan()
    del plan["name"]
    plan_rejected(tmp_path, plan, json_path="name")


def test_plan_unknown_top_level_key(tmp_path):
    plan = default_plan()
    plan["colour"] = "red"
    plan_rejected(tmp_path, plan, value="colour")


def test_plan_unknown_bonus_key(tmp_path):
    plan = default_plan()
    plan["bonuses"][0]["frobnicate"] = True
    plan_rejected(tmp_path, plan, json_path="bonuses[0]", value="frobnicate")


def test_plan_unknown_bonus_type(tmp_path):
    plan = default_plan()
    plan["bonuses"][0]["type"] = "bogus"
    plan_rejected(tmp_path, plan, json_path="bonuses[0].type", value="bogus")


def test_plan_min_rank_not_defined(tmp_path):
    plan = default_plan()
    plan["bonuses"][0]["min_rank"] = "Emperor"
    plan_rejected(tmp_path, plan, json_path="bonuses[0].min_rank", value="Emperor")


def test_plan_leg_rank_not_defined(tmp_path):
    plan = default_plan()
    plan["ranks"][1]["legs"][0]["rank"] = "Emperor"
    plan_rejected(tmp_path, plan, json_path="ranks[1].legs[0].rank", value="Emperor")


@pytest.mark.parametrize(
    "bonus, json_path",
    [
        pytest.param({"name": "diff", "type": "stairstep", "base": "amount",
          "steps": [{"rank": "Associate", "rate": "3%"}, {"rank": "Emperor", "rate": "6%"}]},
         "bonuses[1].steps[1].rank"),
        pytest.param({"name": "diff", "type": "stairstep", "base": "amount",
          "steps": [{"rank": "Associate", "rate": "3%"}],
          "breakaway": {"rank": "Emperor", "generations": ["5%"]}},
         "bonuses[1].breakaway.rank"),
        ({"name": "lvl2", "type": "unilevel", "base": "amount", "rates": ["1%"],
          "levels_by_rank": {"Emperor": 1}},
         "bonuses[1].levels_by_rank"),
    ],
    ids=["stairstep-step", "breakaway", "levels_by_rank"],
)
def test_plan_other_rank_references_not_defined(tmp_path, bonus, json_path):
    plan = default_plan()
    plan["bonuses"].append(bonus)
    plan_rejected(tmp_path, plan, json_path=json_path, value="Emperor")


@pytest.mark.parametrize(
    "rate, quoted",
    [("120%", "120%"), ("-1%", "-1%"), (120, "120")],
    ids=["120-percent", "negative", "json-number-120"],
)
def test_plan_rate_outside_0_100(tmp_path, rate, quoted):
    plan = default_plan()
    plan["bonuses"][0]["rates"][1] = rate
    plan_rejected(tmp_path, plan, json_path="bonuses[0].rates[1]", value=quoted)


def test_plan_rate_with_more_than_4_decimals(tmp_path):
    plan = default_plan()
    plan["bonuses"][0]["rates"][1] = "1.00001%"
    plan_rejected(tmp_path, plan, json_path="bonuses[0].rates[1]", value="1.00001%")


def test_plan_empty_rates(tmp_path):
    plan = default_plan()
    plan["bonuses"][0]["rates"] = []
    plan_rejected(tmp_path, plan, json_path="bonuses[0].rates")


@pytest.mark.parametrize("bad", [7, -1])
def test_plan_money_decimals_out_of_range(tmp_path, bad):
    plan = default_plan()
    plan["money_decimals"] = bad
    plan_rejected(tmp_path, plan, json_path="money_decimals", value=str(bad))


def test_plan_unknown_rounding(tmp_path):
    plan = default_plan()
    plan["rounding"] = "banker"
    plan_rejected(tmp_path, plan, json_path="rounding", value="banker")


def test_plan_duplicate_bonus_names(tmp_path):
    plan = default_plan()
    plan["bonuses"].append(copy.deepcopy(plan["bonuses"][0]))
    plan_rejected(tmp_path, plan, json_path="bonuses[1]", value="level")


# --------------------------------------------------------------------------------------
# rank-driven bonuses: stairstep, matching, fast_start, pool (SPEC §5.4–§5.7)
# --------------------------------------------------------------------------------------


def _matching(of, name="match"):
    return {"name": name, "type": "matching", "of": of, "rates": ["10%"]}


@pytest.mark.parametrize(
    "extra, json_path, value",
    [
        ([_matching("nope")], "bonuses[1].of", "nope"),
        ([_matching("match")], "bonuses[1].of", "match"),  # itself: not listed before it
        ([_matching("level", "m1"), _matching("m1", "m2")], "bonuses[2].of", "m1"),  # a cycle
        ([{"name": "diff", "type": "stairstep", "steps": [{"rank": "Manager", "rate": "5%"},
                                                          {"rank": "Associate", "rate": "3%"}]}],
         "bonuses[1].steps[1].rank", "Associate"),
        ([{"name": "a", "type": "stairstep", "steps": [{"rank": "Manager", "rate": "5%"}],
           "breakaway": {"rank": "Manager"}},
          {"name": "b", "type": "stairstep", "steps": [{"rank": "Manager", "rate": "5%"}],
           "breakaway": {"rank": "Associate"}}],
         "bonuses[2].breakaway.rank", "Associate"),
        ([{"name": "fs", "type": "fast_start", "days": 0, "rates": ["10%"]}], "bonuses[1].days", "0"),
        ([{"name": "p", "type": "pool", "share": "1%", "split": "rank"}], "bonuses[1].split", "rank"),
    ],
    ids=["matching-unknown", "matching-itself", "matching-of-matching", "steps-order",
         "two-breakaway-ranks", "fast-start-days", "pool-split"],
)
def test_plan_rank_driven_bonus_errors(tmp_path, extra, json_path, value):
    plan = default_plan()
    plan["bonuses"] += extra
    plan_rejected(tmp_path, plan, json_path=json_path, value=value)


def test_fast_start_needs_sale_dates(tmp_path):
    plan = default_plan()
    plan["bonuses"].append({"name": "fs", "type": "fast_start", "days": 30, "rates": ["10%"]})
    sales = with_cell(DEFAULT_SALES, 3, "date", "")
    rejected(tmp_path, plan=plan, sales=sales, which="sales", line=3, value="")


def test_fast_start_needs_joined_dates(tmp_path):
    plan = default_plan()
    plan["bonuses"].append({"name": "fs", "type": "fast_start", "days": 30, "rates": ["10%"]})
    line = network_line_of("C")
    network = with_cell(DEFAULT_NETWORK, line, "joined", "")
    rejected(tmp_path, plan=plan, network=network, which="network", line=line, value="C")


# --------------------------------------------------------------------------------------
# downline validate
# --------------------------------------------------------------------------------------


def test_validate_bad_plan(tmp_path):
    plan = default_plan()
    plan["bonuses"][0]["rates"][1] = "120%"
    case = Case(tmp_path, plan=plan).call(["validate", "--plan", str(tmp_path / "plan.json")])
    assert_rejected(case, which="plan", json_path="bonuses[0].rates[1]", value="120%")


def test_validate_bad_network(tmp_path):
    network, line = with_row(DEFAULT_NETWORK, "B,A,2026-02-11")
    case = Case(tmp_path, network=network)
    case.call(["validate", "--plan", str(case.plan), "--network", str(case.network)])
    assert_rejected(case, which="network", line=line, value="B")


def test_validate_good_plan(tmp_path):
    case = Case(tmp_path).call(["validate", "--plan", str(tmp_path / "plan.json")])
    assert_ok(case)
    assert case.stdout.startswith("ok"), f"validate must print 'ok ...'{case.describe()}"


def test_validate_good_trio(tmp_path):
    case = Case(tmp_path)
    case.call(["validate", "--plan", str(case.plan), "--network", str(case.network),
               "--sales", str(case.sales)])
    assert_ok(case)
