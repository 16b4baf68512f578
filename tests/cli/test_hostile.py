"""Hostile input through the `downline` CLI (issue 15): values that would crash the process,
flood the terminal or smuggle bytes into outputs.

Each case must exit 1 with ``downline: error: ``, name the value escaped and bounded
(non-printable bytes as ``\\xNN``, a long value cut with its size), and leave no output file.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_hostile.py
"""

import json
import os
import subprocess

import pytest

from cli_binary import CLI, requires_cli

pytestmark = requires_cli

PLAN = {"name": "hostile", "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%", "5%"]}]}
NETWORK = b"id,sponsor_id\nA,\nB,A\nC,B\n"
SALES = b"member_id,amount,order_id\nC,100.00,o1\nB,50.00,o2\n"
# A message quotes at most 128 bytes of a value (4 characters each when escaped); the rest of
# a line is file, line and wording.
MAX_MESSAGE = 800


def run(tmp_path, *extra, plan=None, network=NETWORK, sales=SALES, command="run"):
    """Writes the inputs (bytes, or a dict for the plan) and runs the CLI; returns the process."""
    plan_path, network_path, sales_path = tmp_path / "plan.json", tmp_path / "network.csv", tmp_path / "sales.csv"
    plan = PLAN if plan is None else plan
    plan_path.write_bytes(plan if isinstance(plan, bytes) else json.dumps(plan).encode())
    network_path.write_bytes(network)
    sales_path.write_bytes(sales)
    argv = [*CLI, command, "--plan", str(plan_path), "--network", str(network_path), "--sales", str(sales_path)]
    if command == "run":
        argv += ["--quiet", "--out", str(tmp_path / "out" / "payouts.csv"), "--lines", str(tmp_path / "out" / "lines.csv")]
        (tmp_path / "out").mkdir(exist_ok=True)
    return subprocess.run(argv + list(extra), capture_output=True, timeout=120, check=False)


def expect_error(proc, tmp_path, *fragments):
    """Exit 1, one short message holding every fragment, nothing written."""
    err = proc.stderr.decode("utf-8", "strict")  # escaped: always valid UTF-8
    assert proc.returncode == 1, (proc.returncode, err[:1000])
    assert err.startswith("downline: error: "), err[:1000]
    assert len(err) < MAX_MESSAGE, err[:1000]
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    if (tmp_path / "out").exists():
        assert os.listdir(tmp_path / "out") == []
    return err


@pytest.mark.parametrize("command", ["validate", "run"])
def test_plan_nested_100000_deep_is_an_error_not_a_crash(tmp_path, command):
    deep = b'{"name":"x","bonuses":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    err = expect_error(run(tmp_path, plan=deep, command=command), tmp_path, "bonuses[0]: expected a JSON object")
    assert "'[[[[" in err


def test_a_huge_value_is_cut_with_its_size(tmp_path):
    plan = json.loads(json.dumps(PLAN))
    plan["bonuses"][0]["min_rank"] = "R" * 10_000_000
    expect_error(run(tmp_path, plan=plan), tmp_path, "'" + "R" * 128 + "\u2026' (10000000 bytes)")


def test_a_5000_digit_number_is_not_echoed_whole(tmp_path):
    sales = b"member_id,amount\nC," + b"9" * 5000 + b"\n"
    expect_error(run(tmp_path, sales=sales), tmp_path, "sales.csv:2:", "(5000 bytes)")


def test_a_nul_byte_in_a_value_is_shown_escaped_not_cut(tmp_path):
    sales = b"member_id,amount\nC,12\x00x\n"
    expect_error(run(tmp_path, sales=sales), tmp_path, "sales.csv:2:", r"'12\x00x'")


@pytest.mark.parametrize(
    "network, shown",
    [
        (b"id,sponsor_id\nA,\nB\x00X,A\n", r"'B\x00X'"),
        (b"id,sponsor_id\nA,\nB\xffX,A\n", r"'B\xFFX'"),
        (b"id,sponsor_id\nA,\nB\xc3(,A\n", r"'B\xC3('"),  # a character cut short
        (b"id,sponsor_id\nA,\nB\xed\xa0\x80,A\n", r"'B\xED\xA0\x80'"),  # a UTF-16 surrogate
    ],
)
def test_a_member_id_must_be_utf8_without_nul(tmp_path, network, shown):
    expect_error(run(tmp_path, network=network), tmp_path, "network.csv:3:", "not UTF-8 text", shown)


def test_a_utf8_member_id_is_fine(tmp_path):
    network = "id,sponsor_id\nA,\nMüller-李,A\nC,Müller-李\n".encode()
    proc = run(tmp_path, network=network, sales=b"member_id,amount\nC,50.00\n")
    assert proc.returncode == 0, proc.stderr
    assert "Müller-李,level,5.00" in (tmp_path / "out" / "payouts.csv").read_text("utf-8")


def test_an_order_id_must_be_utf8_without_nul(tmp_path):
    sales = b"member_id,amount,order_id\nC,100.00,o1\nB,50.00,o\x002\n"
    expect_error(run(tmp_path, sales=sales), tmp_path, "sales.csv:3:", "order_id is not UTF-8 text", r"'o\x002'")


def test_a_plan_string_with_a_nul_is_an_error(tmp_path):
    plan = json.loads(json.dumps(PLAN))
    plan["name"] = "pay\u0000day"
    expect_error(run(tmp_path, plan=plan), tmp_path, "name: a string must not hold a NUL byte", r"'pay\x00day'")


def test_a_plan_with_malformed_utf8_is_an_error(tmp_path):
    plan = json.dumps(PLAN).replace("hostile", "ho\udcffstile", 1).encode("utf-8", "surrogateescape")
    expect_error(run(tmp_path, plan=plan), tmp_path, "invalid JSON")


def test_a_row_longer_than_1_mib_names_file_and_line(tmp_path):
    sales = b"member_id,amount,order_id\nC,1.00,o1\nC,1.00," + b"x" * (1 << 20) + b"\n"
    expect_error(run(tmp_path, sales=sales), tmp_path, "sales.csv:3: row longer than 1048576 bytes")


def test_a_row_of_1_mib_is_still_read(tmp_path):
    order = b"x" * ((1 << 20) - len(b"C,1.00,\n"))  # the row with its newline: 1 MiB
    proc = run(tmp_path, sales=b"member_id,amount,order_id\nC,1.00," + order + b"\n")
    assert proc.returncode == 0, proc.stderr[:500]


def test_network_from_dev_zero_ends_with_an_error(tmp_path):
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(PLAN))
    proc = subprocess.run([*CLI, "validate", "--plan", str(plan_path), "--network", "/dev/zero"],
                          capture_output=True, timeout=30, check=False)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert err.startswith("downline: error: /dev/zero:1: row longer than 1048576 bytes"), err[:500]
    assert len(err) < MAX_MESSAGE


def test_a_position_taken_twice_names_the_member_on_the_offending_row(tmp_path):
    network = b"id,sponsor_id,placement_id,position\nA,,,\nB,A,A,L\nC,A,A,L\n"
    plan = {"name": "b", "bonuses": [{"name": "bin", "type": "binary", "rate": "10%"}]}
    expect_error(run(tmp_path, plan=plan, network=network), tmp_path, "network.csv:4:",
                 "position 'L' under placement parent 'A' taken twice (first by 'B' on", "member 'C'")


def test_an_unknown_option_is_quoted_escaped(tmp_path):
    proc = subprocess.run([*CLI, "run", "--x\x01" + "y" * 200], capture_output=True, timeout=30, check=False)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert r"'--x\x01yyy" in err and "(204 bytes)" in err, err
