"""Where `downline run` writes (issue 15): all or nothing across every output, standard
output, symlinks, FIFOs and devices. See docs/reliability.md.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli/test_outputs.py
"""

import json
import os
import subprocess
import threading

import pytest

from cli_binary import CLI, requires_cli

pytestmark = requires_cli

PLAN = {"name": "outputs", "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%"]}]}
PAYOUTS = "member_id,bonus,amount\nA,level,5.00\n"


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "plan.json").write_text(json.dumps(PLAN))
    (tmp_path / "network.csv").write_text("id,sponsor_id\nA,\nB,A\n")
    (tmp_path / "sales.csv").write_text("member_id,amount\nB,50.00\n")
    (tmp_path / "out").mkdir()
    return tmp_path


def run(d, *outputs, quiet=True):
    argv = [*CLI, "run", "--plan", str(d / "plan.json"), "--network", str(d / "network.csv"),
            "--sales", str(d / "sales.csv"), *outputs]
    if quiet:
        argv.append("--quiet")
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def test_dash_and_dev_stdout_write_payouts_to_standard_output(inputs):
    proc = run(inputs, "--out", "-")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == PAYOUTS
    # Not quiet: the report goes to standard error, so standard output holds the CSV alone.
    proc = run(inputs, "--out", "/dev/stdout", "--ranks", str(inputs / "out" / "ranks.csv"), quiet=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == PAYOUTS
    assert "total payout" in proc.stderr
    assert sorted(os.listdir(inputs / "out")) == ["ranks.csv"]


def test_two_outputs_naming_one_file_is_a_usage_error_before_any_work(inputs):
    (inputs / "out" / "same.csv").write_text("precious\n")
    for other in ("same.csv", "./same.csv", "../out/same.csv"):
        proc = run(inputs, "--out", str(inputs / "out" / "same.csv"), "--ranks", str(inputs / "out" / other))
        assert proc.returncode == 2, proc.stderr
        assert "--out and --ranks name the same file" in proc.stderr
    assert (inputs / "out" / "same.csv").read_text() == "precious\n"
    assert os.listdir(inputs / "out") == ["same.csv"]
    # Found before the inputs are read: a missing network does not matter.
    (inputs / "network.csv").unlink()
    proc = run(inputs, "--out", "-", "--lines", "/dev/stdout")
    assert proc.returncode == 2 and "name the same file" in proc.stderr


def test_an_output_that_is_a_directory_leaves_nothing(inputs):
    (inputs / "out" / "p.csv").write_text("old\n")
    proc = run(inputs, "--out", str(inputs / "out" / "p.csv"), "--ranks", str(inputs / "out"))
    assert proc.returncode == 2
    assert "--ranks names a directory" in proc.stderr
    assert (inputs / "out" / "p.csv").read_text() == "old\n"
    assert os.listdir(inputs / "out") == ["p.csv"]


def test_a_device_that_fails_leaves_no_file_behind(inputs):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    (inputs / "out" / "ranks.csv").write_text("old ranks\n")
    proc = run(inputs, "--ranks", str(inputs / "out" / "ranks.csv"), "--lines", str(inputs / "out" / "lines.csv"),
               "--out", "/dev/full")
    assert proc.returncode == 1
    assert proc.stderr == "downline: error: /dev/full: write failed: No space left on device\n"
    assert (inputs / "out" / "ranks.csv").read_text() == "old ranks\n"
    assert os.listdir(inputs / "out") == ["ranks.csv"]


def test_dev_null_stays_a_device(inputs):
    proc = run(inputs, "--out", "/dev/null")
    assert proc.returncode == 0, proc.stderr
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_symlink_is_followed_and_kept(inputs):
    out = inputs / "out"
    (out / "real.csv").write_text("old\n")
    os.symlink("real.csv", out / "link.csv")
    proc = run(inputs, "--out", str(out / "link.csv"))
    assert proc.returncode == 0, proc.stderr
    assert os.path.islink(out / "link.csv")
    assert (out / "real.csv").read_text() == PAYOUTS
    assert sorted(os.listdir(out)) == ["link.csv", "real.csv"]


def test_a_fifo_is_written_directly(inputs):
    fifo = inputs / "out" / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
    reader.start()
    proc = run(inputs, "--out", str(fifo))
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert received == [PAYOUTS]
    assert os.listdir(inputs / "out") == ["fifo"]
