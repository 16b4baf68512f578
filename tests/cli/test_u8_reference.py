# SPDX-License-Identifier: MIT
"""The U8 workload (unilevel, 8 levels 10/5/4/3/2/1/1/1 % of amounts, dynamic compression,
active = PV >= 50, half-even to the cent) on a generated network, checked against an
independent plain-Python implementation written from the contract (walk up the sponsors per
buyer, skipping inactive members). Exact: Fractions, never floats."""
import csv
import json
import os
import subprocess
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

CLI = os.environ.get("DOWNLINE_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="DOWNLINE_CLI is not set")

RATES = [Fraction(r, 100) for r in (10, 5, 4, 3, 2, 1, 1, 1)]
PLAN = {"name": "U8", "currency": "EUR", "money_decimals": 2, "rounding": "half_even",
        "qualification": {"active_pv": "50"},
        "bonuses": [{"name": "level", "type": "unilevel", "base": "amount", "compression": "dynamic",
                     "rates": ["10%", "5%", "4%", "3%", "2%", "1%", "1%", "1%"]}]}


def u8_reference(network: Path, sales: Path) -> dict:
    parent = {}
    with network.open() as f:
        for row in csv.DictReader(f):
            parent[row["id"]] = row["sponsor_id"] or None
    amount, volume = {}, {}
    with sales.open() as f:
        for row in csv.DictReader(f):
            m = row["member_id"]
            amount[m] = amount.get(m, 0) + Fraction(Decimal(row["amount"]))
            volume[m] = volume.get(m, 0) + Fraction(Decimal(row["volume"] or row["amount"]))
    active = {m for m in parent if volume.get(m, 0) >= 50}
    earned = {}
    for buyer, base in amount.items():
        level, u = 0, parent[buyer]
        while u is not None and level < len(RATES):
            if u in active:
                earned[u] = earned.get(u, 0) + RATES[level] * base
                level += 1
            u = parent[u]
    # round() on a Fraction rounds half to even
    return {m: round(x * 100) for m, x in earned.items() if round(x * 100) != 0}


@pytest.mark.parametrize("seed", [1, 2])
def test_u8_matches_independent_reference(tmp_path, seed):
    subprocess.run([CLI, "generate", "--members", "20000", "--sales-per-member", "3", "--seed", str(seed),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    (tmp_path / "u8.json").write_text(json.dumps(PLAN))
    out = tmp_path / "payouts.csv"
    subprocess.run([CLI, "run", "--plan", str(tmp_path / "u8.json"), "--network", str(tmp_path / "network.csv"),
                    "--sales", str(tmp_path / "sales.csv"), "--out", str(out), "--quiet"], check=True)
    with out.open() as f:
        got = {row["member_id"]: int(Decimal(row["amount"]) * 100) for row in csv.DictReader(f)}
    expected = u8_reference(tmp_path / "network.csv", tmp_path / "sales.csv")
    assert len(expected) > 1000  # the data set really exercises the plan
    assert got == expected
