# SPDX-License-Identifier: MIT
"""The hand-computed golden cases (tests/data/golden/*) through the Python package: from CSV
files, from arrays and from DataFrames, payouts compared with expected_payouts.csv to the cent."""
import csv
import decimal
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import downline
from conftest import GOLDEN_DIR, case_args, golden_cases

_ROUNDING = {"half_even": decimal.ROUND_HALF_EVEN, "half_up": decimal.ROUND_HALF_UP,
             "down": decimal.ROUND_DOWN, "up": decimal.ROUND_UP}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected_payouts(case_dir):
    return [(r["member_id"], r["bonus"], r["amount"]) for r in read_csv(case_dir / "expected_payouts.csv")]


def payout_rows(res):
    """(member_id, bonus, amount text) rows; the Decimal's text has exactly money_decimals digits."""
    return [(m, b, str(a)) for m, b, a in res.payouts.itertuples(index=False)]


def run_case(name, explain=True, **loaders):
    case_dir = GOLDEN_DIR / name
    plan = downline.Plan.from_json(case_dir / "plan.json")
    net = loaders.get("network") or downline.Network.from_csv(case_dir / "network.csv")
    sales = loaders.get("ledger") or downline.Ledger.from_csv(case_dir / "sales.csv")
    return plan, downline.run(plan, net, sales, explain=explain, **case_args(case_dir))


@pytest.mark.parametrize("name", golden_cases())
def test_payouts_from_csv(name):
    case_dir = GOLDEN_DIR / name
    plan, res = run_case(name)
    expected = expected_payouts(case_dir)
    assert payout_rows(res) == expected
    assert all(isinstance(a, Decimal) for a in res.payouts["amount"])
    # The same amounts in minor units, row for row.
    scale = Decimal(10) ** plan.money_decimals
    assert res.payouts_minor.dtype == np.int64
    assert res.payouts_minor.tolist() == [int(Decimal(a) * scale) for _, _, a in expected]
    # The summary agrees with the lines.
    assert res.summary["members"] == len(read_csv(case_dir / "network.csv"))
    assert Decimal(res.summary["total_payout"]) == sum((Decimal(a) for _, _, a in expected), Decimal(0))


@pytest.mark.parametrize("name", golden_cases())
def test_ranks(name):
    case_dir = GOLDEN_DIR / name
    if not (case_dir / "expected_ranks.csv").exists():
        pytest.skip("no expected_ranks.csv")
    _, res = run_case(name, explain=False)
    expected = read_csv(case_dir / "expected_ranks.csv")
    got = res.ranks
    assert got["member_id"].tolist() == [r["member_id"] for r in expected]
    assert got["rank"].tolist() == [r["rank"] for r in expected]
    assert got["pv"].tolist() == [Decimal(r["pv"]) for r in expected]
    assert got["gv"].tolist() == [Decimal(r["gv"]) for r in expected]
    assert got["active"].tolist() == [r["active"] == "true" for r in expected]


@pytest.mark.parametrize("name", golden_cases())
def test_explanation_lines_round_to_payouts(name):
    """Each (member, bonus)'s exact line amounts sum to a value that rounds to its payout."""
    case_dir = GOLDEN_DIR / name
    plan_json = json.loads((case_dir / "plan.json").read_text(encoding="utf-8"))
    if "payout_cap" in plan_json:
        pytest.skip("the cap changes payouts after rounding")
    plan, res = run_case(name)
    quantum = Decimal(1).scaleb(-plan.money_decimals)
    sums = {}
    for m, b, amount in res.lines[["member_id", "bonus", "amount"]].itertuples(index=False):
        sums[(m, b)] = sums.get((m, b), Decimal(0)) + amount
    rounded = {k: v.quantize(quantum, rounding=_ROUNDING[plan.rounding]) for k, v in sums.items()}
    payouts = {(m, b): Decimal(a) for m, b, a in expected_payouts(case_dir)}
    assert {k: v for k, v in rounded.items() if v != 0} == payouts


@pytest.mark.parametrize("name", golden_cases())
def test_payouts_from_arrays(name):
    """The same case given as columns: ids and exact text amounts, rows as in the files."""
    case_dir = GOLDEN_DIR / name
    rows = read_csv(case_dir / "network.csv")
    net = downline.Network.from_arrays([r["id"] for r in rows], [r["sponsor_id"] for r in rows],
                                       [r.get("placement_id", "") for r in rows] if "placement_id" in rows[0] else None,
                                       [r.get("position", "") for r in rows] if "position" in rows[0] else None,
                                       [r["joined"] for r in rows] if "joined" in rows[0] else None)
    lines = read_csv(case_dir / "sales.csv")

    def column(name):
        return [r[name] for r in lines] if lines and name in lines[0] else None

    volumes = column("volume")
    if volumes is not None and any(v == "" for v in volumes):  # empty volume: equal to the amount
        volumes = [v if v != "" else a for v, a in zip(volumes, column("amount"))]
    ledger = downline.Ledger.from_arrays(column("member_id"), column("amount"), volumes, column("kind"),
                                         column("date"), column("order_id"))
    _, res = run_case(name, network=net, ledger=ledger)
    assert payout_rows(res) == expected_payouts(case_dir)


@pytest.mark.parametrize("name", golden_cases())
def test_payouts_from_frames(name):
    """pandas DataFrames read with dtype=str, as an analyst would."""
    case_dir = GOLDEN_DIR / name
    network = pd.read_csv(case_dir / "network.csv", dtype=str, keep_default_na=False)
    sales = pd.read_csv(case_dir / "sales.csv", dtype=str, keep_default_na=False)
    if "volume" in sales.columns:
        sales["volume"] = [v if v != "" else a for v, a in zip(sales["volume"], sales["amount"])]
    _, res = run_case(name, network=downline.Network.from_frame(network),
                      ledger=downline.Ledger.from_frame(sales))
    assert payout_rows(res) == expected_payouts(case_dir)


def test_int64_minor_units_are_read_exactly():
    """Case 01's sale lines as int64 cents (no copy), and as Decimal: the same payouts."""
    case_dir = GOLDEN_DIR / "01_unilevel_none_inactive_upline"
    net = downline.Network.from_csv(case_dir / "network.csv")
    lines = read_csv(case_dir / "sales.csv")
    members = np.array([r["member_id"] for r in lines])
    cents = np.array([int(Decimal(r["amount"]) * 100) for r in lines], dtype=np.int64)
    by_cents = downline.Ledger.from_arrays(members, cents, money_decimals=2)
    by_decimal = downline.Ledger.from_arrays(list(members), [Decimal(r["amount"]) for r in lines])
    for ledger in (by_cents, by_decimal):
        _, res = run_case("01_unilevel_none_inactive_upline", network=net, ledger=ledger)
        assert payout_rows(res) == expected_payouts(case_dir)


def test_writes_the_clis_files(tmp_path):
    case_dir = GOLDEN_DIR / "01_unilevel_none_inactive_upline"
    _, res = run_case("01_unilevel_none_inactive_upline")
    res.write_payouts(tmp_path / "payouts.csv")
    res.write_ranks(tmp_path / "ranks.csv")
    res.write_lines(tmp_path / "lines.csv")
    res.write_summary_json(tmp_path / "summary.json")
    assert (tmp_path / "payouts.csv").read_bytes() == (case_dir / "expected_payouts.csv").read_bytes()
    assert (tmp_path / "ranks.csv").read_bytes() == (case_dir / "expected_ranks.csv").read_bytes()
    assert json.loads((tmp_path / "summary.json").read_text(), parse_float=Decimal) == res.summary
    assert len(read_csv(tmp_path / "lines.csv")) == len(res.lines)
