# SPDX-License-Identifier: MIT
"""run(..., threads=N) and compare(..., threads=N): the same result for every count; bad counts refused."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import downline

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "examples" / "data" / "demo"
PLANS = [DEMO / "plan.json", ROOT / "examples" / "plans" / "binary.json",
         ROOT / "examples" / "plans" / "stairstep_breakaway.json"]

# Runs every plan on 1, 2 and 7 threads and prints each result's payouts, ranks and state; the
# parent runs it with the parallel threshold lowered (passes in chunks of 2 members) and without.
SCRIPT = """
import sys, downline
net = downline.Network.from_csv(sys.argv[1])
ledger = downline.Ledger.from_csv(sys.argv[2])
plans = [downline.Plan.from_json(p) for p in sys.argv[3:]]
for threads in (None, 1, 2, 7):
    for plan in plans:
        res = downline.run(plan, net, ledger, explain=True, threads=threads)
        print(threads is None, res.payouts.to_csv(), res.ranks.to_csv(), res.lines.to_csv(), res.state.to_frame().to_csv())
    print(threads is None, downline.compare(plans, net, ledger, threads=threads).table.to_csv())
"""


@pytest.fixture(scope="module")
def inputs():
    return downline.Network.from_csv(DEMO / "network.csv"), downline.Ledger.from_csv(DEMO / "sales.csv")


def _outputs(threshold):
    env = dict(os.environ)
    env.pop("DOWNLINE_PARALLEL_THRESHOLD", None)
    if threshold:
        env["DOWNLINE_PARALLEL_THRESHOLD"] = threshold
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(DEMO / "network.csv"), str(DEMO / "sales.csv"),
                           *map(str, PLANS)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_results_do_not_depend_on_threads_or_chunks():
    serial = _outputs(None)
    assert "M" in serial or "," in serial
    blocks = serial.split("True ")
    assert len(blocks) > 1
    chunked = _outputs("8")  # chunks of 2 members or lines
    assert chunked == serial
    # Within one process every count printed the same text as the default.
    runs = [b for b in serial.replace("False ", "True ").split("True ") if b]
    per_count = len(PLANS) + 1
    assert len(runs) == 4 * per_count
    for i in range(per_count, len(runs)):
        assert runs[i] == runs[i % per_count]


def test_threads_keyword(inputs):
    net, ledger = inputs
    plan = downline.Plan.from_json(PLANS[0])
    expected = downline.run(plan, net, ledger).payouts
    assert downline.run(plan, net, ledger, threads=3).payouts.equals(expected)
    for bad in (0, -1, 1025):
        with pytest.raises(downline.UsageError, match=f"threads must be 1 to 1024, not '{bad}'"):
            downline.run(plan, net, ledger, threads=bad)
        with pytest.raises(downline.UsageError, match=f"threads must be 1 to 1024, not '{bad}'"):
            downline.compare([plan, downline.Plan.from_json(PLANS[1])], net, ledger, threads=bad)
    for bad in ("2", 2.0, True):
        with pytest.raises(TypeError, match="threads must be an int or None"):
            downline.run(plan, net, ledger, threads=bad)
