# SPDX-License-Identifier: MIT
"""State between periods (SPEC §7): round trips always; two binary periods once binary exists."""
import shlex
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import downline


def test_state_round_trips(tmp_path):
    state = downline.State.from_arrays(["R", "A", "Z"], ["bin", "bin", "bin"], ["60", Decimal("0"), "0"],
                                       ["0", Decimal("12.5"), "0"])
    # A zero side has no row, as in a state file.
    assert len(state) == 2
    assert state.rows() == [("R", "carry_left:bin", "60"), ("A", "carry_right:bin", "12.5")]
    assert state.entries() == [("R", "bin", Decimal(60), Decimal(0)), ("A", "bin", Decimal(0), Decimal("12.5"))]
    state.to_csv(tmp_path / "state.csv")
    assert (tmp_path / "state.csv").read_text() == (
        "member_id,key,value\n,period,\nR,carry_left:bin,60\nA,carry_right:bin,12.5\n")
    again = downline.State.from_csv(tmp_path / "state.csv")
    assert again == state
    frame = again.to_frame()
    assert list(frame.columns) == ["member_id", "key", "value"]
    assert downline.State.from_frame(frame) == again
    # Integers are whole points unless told otherwise.
    assert downline.State.from_arrays(["R"], ["bin"], [600], [125], volume_decimals=1).entries() == [
        ("R", "bin", Decimal(60), Decimal("12.5"))]
    # The earlier four-column carry file is still read.
    (tmp_path / "old.csv").write_text("member_id,bonus,left,right\nR,bin,60,0\n")
    assert downline.State.from_csv(tmp_path / "old.csv").entries() == [("R", "bin", Decimal(60), Decimal(0))]
    # Any key, with the period that wrote it.
    history = downline.State.from_rows(["R", "A"], ["paid_rank", "last_active"], ["Gold", "0"], period="2026-03")
    assert history.period == "2026-03"
    assert history.get("R", "paid_rank") == "Gold"
    assert history.get("A", "grace") is None


def test_a_plan_without_binary_carries_nothing():
    plan = downline.Plan.from_json({"name": "u", "bonuses": [{"name": "level", "type": "unilevel", "rates": ["10%"]}]})
    net = downline.Network.from_arrays(["R", "A"], ["", "R"])
    res = downline.run(plan, net, downline.Ledger.from_arrays(["A"], ["10.00"]))
    assert len(res.state) == 0
    assert res.state.to_frame().empty


# Hand computation (SPEC §5.2, §7): R has A on its left and B on its right, rate 10%, no volume
# column (volume = amount).
#   January:  L = 100 (A), R = 40 (B)            -> matched 40, R earns 4.00, carry L 60, R 0
#   February: L = 60 + 0, R = 0 + 100 (B)        -> matched 60, R earns 6.00, carry L 0, R 40
#   February without January's carry: L = 0      -> nothing matched, R earns nothing.
BINARY_PLAN = {"name": "two periods", "bonuses": [{"name": "bin", "type": "binary", "rate": "10%"}]}


def binary_inputs():
    net = downline.Network.from_arrays(["R", "A", "B"], ["", "R", "R"], placement_ids=["", "R", "R"],
                                       positions=["", "L", "R"])
    sales = downline.Ledger.from_arrays(["A", "B", "B"], ["100.00", "40.00", "100.00"],
                                        dates=pd.to_datetime(["2026-01-10", "2026-01-11", "2026-02-03"]))
    return downline.Plan.from_json(BINARY_PLAN), net, sales


def payouts(res):
    return [(m, b, str(a)) for m, b, a in res.payouts.itertuples(index=False)]


def test_state_between_two_binary_periods(binary_available, tmp_path):
    plan, net, sales = binary_inputs()
    january = downline.run(plan, net, sales, period="2026-01")
    assert payouts(january) == [("R", "bin", "4.00")]
    carry = [(m, b, l, r) for m, b, l, r in january.state.entries() if l or r]
    assert carry == [("R", "bin", Decimal(60), Decimal(0))]

    february = downline.run(plan, net, sales, period="2026-02", state=january.state)
    assert payouts(february) == [("R", "bin", "6.00")]
    assert [(m, b, l, r) for m, b, l, r in february.state.entries() if l or r] == [
        ("R", "bin", Decimal(0), Decimal(40))]

    # Idempotent: the same inputs give the same outputs; the state also travels as a CSV file.
    january.state.to_csv(tmp_path / "state.csv")
    again = downline.run(plan, net, sales, period="2026-02", state=tmp_path / "state.csv")
    assert payouts(again) == payouts(february)
    assert again.state == february.state

    cold = downline.run(plan, net, sales, period="2026-02")
    assert payouts(cold) == []


# ---- the hand-computed two-period cases of tests/data/periods ------------------------------------

PERIODS_DIR = Path(__file__).resolve().parent.parent / "data" / "periods"


def period_cases():
    return sorted(p.name for p in PERIODS_DIR.iterdir() if p.is_dir()) if PERIODS_DIR.is_dir() else []


def period_of(case_dir, n):
    words = shlex.split((case_dir / f"args_{n}").read_text(encoding="utf-8"))
    assert words[0] == "--period" and len(words) == 2, f"{case_dir.name}: unexpected args_{n} {words}"
    return words[1]


@pytest.mark.parametrize("name", period_cases())
def test_two_periods_with_the_state_between(name, tmp_path):
    case_dir = PERIODS_DIR / name
    plan = downline.Plan.from_json(case_dir / "plan.json")
    net = downline.Network.from_csv(case_dir / "network.csv")
    sales = downline.Ledger.from_csv(case_dir / "sales.csv")
    first = downline.run(plan, net, sales, period=period_of(case_dir, 1))
    first.write_payouts(tmp_path / "payouts_1.csv")
    first.state.to_csv(tmp_path / "state_1.csv")
    assert (tmp_path / "payouts_1.csv").read_bytes() == (case_dir / "expected_payouts_1.csv").read_bytes()
    assert (tmp_path / "state_1.csv").read_bytes() == (case_dir / "expected_state_1.csv").read_bytes()

    second = downline.run(plan, net, sales, period=period_of(case_dir, 2), state=first.state)
    second.write_payouts(tmp_path / "payouts_2.csv")
    second.state.to_csv(tmp_path / "state_2.csv")
    assert (tmp_path / "payouts_2.csv").read_bytes() == (case_dir / "expected_payouts_2.csv").read_bytes()
    assert (tmp_path / "state_2.csv").read_bytes() == (case_dir / "expected_state_2.csv").read_bytes()

    # From the published state file, and from a DataFrame of it: the same period 2.
    for state in (case_dir / "expected_state_1.csv", downline.State.from_csv(case_dir / "expected_state_1.csv").to_frame()):
        again = downline.run(plan, net, sales, period=period_of(case_dir, 2), state=state)
        assert again.payouts.equals(second.payouts)
        assert again.state == second.state
