# SPDX-License-Identifier: MIT
"""Settlement (SPEC §11) through the Python package: the hand-computed cases of
tests/data/settlement, and random multi-period runs against an independent implementation of
§11 (and of the one-level unilevel that earns the money), compared period after period:
payables rows and the `balance` the state carries."""
import csv
import random
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from pathlib import Path

import numpy as np
import pytest

import downline

SETTLEMENT_DIR = Path(__file__).resolve().parent.parent / "data" / "settlement"
MONEY = ("earned", "balance_in", "fee", "deductions", "paid", "balance_out", "forfeited")
CENT = Decimal("0.01")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def cases():
    return sorted(p.name for p in SETTLEMENT_DIR.iterdir() if p.is_dir()) if SETTLEMENT_DIR.is_dir() else []


def periods_of(case_dir):
    return sorted(int(p.name.split("_")[1]) for p in case_dir.glob("args_*"))


def period_text(case_dir, n):
    words = (case_dir / f"args_{n}").read_text(encoding="utf-8").split()
    assert words[0] == "--period" and len(words) == 2
    return words[1]


def balances(state, tmp_path):
    """member_id -> balance (Decimal) from the state's CSV form."""
    path = tmp_path / "state_for_balances.csv"
    state.to_csv(path)
    return {r["member_id"]: Decimal(r["value"]) for r in read_csv(path) if r["key"] == "balance"}


@pytest.mark.parametrize("name", cases())
def test_hand_computed_periods(name, tmp_path):
    case_dir = SETTLEMENT_DIR / name
    plan = downline.Plan.from_json(case_dir / "plan.json")
    state = None
    for n in periods_of(case_dir):
        net = downline.Network.from_csv(case_dir / f"network_{n}.csv")
        sales = downline.Ledger.from_csv(case_dir / "sales.csv")
        res = downline.run(plan, net, sales, period=period_text(case_dir, n), state=state)
        expected = read_csv(case_dir / f"expected_payables_{n}.csv")
        frame = res.payables
        assert list(frame.columns) == ["member_id", *MONEY, "status"]
        got = [{k: str(v) for k, v in row.items()} for row in frame.to_dict("records")]
        assert got == expected
        for column in MONEY:
            assert all(isinstance(v, Decimal) for v in frame[column])
            minor = res.payables_minor[column]
            assert minor.dtype == np.int64
            assert [int(v) for v in minor] == [int(Decimal(r[column]) * 100) for r in expected]
        res.write_payables(tmp_path / f"payables_{n}.csv")
        assert (tmp_path / f"payables_{n}.csv").read_bytes() == (case_dir / f"expected_payables_{n}.csv").read_bytes()
        res.state.to_csv(tmp_path / f"state_{n}.csv")
        assert (tmp_path / f"state_{n}.csv").read_bytes() == (case_dir / f"expected_state_{n}.csv").read_bytes()
        assert sum(frame["paid"], Decimal(0)) == Decimal(res.summary["settlement"]["paid"])
        state = res.state


def test_status_from_arrays_matches_the_csv():
    case_dir = SETTLEMENT_DIR / "three_periods"
    rows = read_csv(case_dir / "network_2.csv")
    from_arrays = downline.Network.from_arrays([r["id"] for r in rows], [r["sponsor_id"] for r in rows],
                                               status=[r["status"] or None for r in rows])
    plan = downline.Plan.from_json(case_dir / "plan.json")
    sales = downline.Ledger.from_csv(case_dir / "sales.csv")
    state = downline.State.from_csv(case_dir / "expected_state_1.csv")
    res = downline.run(plan, from_arrays, sales, period="2026-02", state=state)
    assert [{k: str(v) for k, v in r.items()} for r in res.payables.to_dict("records")] == \
        read_csv(case_dir / "expected_payables_2.csv")


def test_an_unknown_status_in_arrays_names_the_row():
    with pytest.raises(downline.Error, match=r"network row 1: status is not active, hold or terminated 'paused'"):
        downline.Network.from_arrays(["A", "B"], ["", "A"], status=["active", "paused"])


# ---- random periods against an independent implementation -----------------------------------

def reference_settle(payout, status, earned, balance_in):
    """SPEC §11 for one member, in Decimal money: the payables figures and the status."""
    total = earned + balance_in
    zero = Decimal(0)
    row = dict(earned=earned, balance_in=balance_in, fee=zero, deductions=zero, paid=zero, balance_out=zero,
               forfeited=zero)
    if status == "terminated":
        return {**row, "forfeited": total, "status": "forfeited"}
    if status == "hold":
        return {**row, "balance_out": total, "status": "hold"}
    # Each deduction toward zero to the cent (Decimal's quantize with ROUND_DOWN truncates).
    deducted = sum(((total * rate).quantize(CENT, rounding=ROUND_DOWN) for _, rate in payout["deductions"]),
                   zero)
    net = total - payout["fee"] - deducted
    if total <= 0 or total < payout["minimum"] or net <= 0:
        return {**row, "balance_out": total, "status": "negative" if total < 0 else "below_minimum"}
    return {**row, "fee": payout["fee"], "deductions": deducted, "paid": net, "status": "paid"}


def random_payout(rng):
    deductions, left = [], 95
    for i in range(rng.randint(0, 3)):
        percent = Decimal(rng.randint(0, left * 100)) / 100 / 2
        left -= int(percent) + 1
        deductions.append((f"d{i}", percent / 100))
    return {"minimum": Decimal(rng.choice([0, 500, 2000, 5000])) / 100,
            "fee": Decimal(rng.choice([0, 0, 150, 999])) / 100,
            "deductions": deductions}


def plan_json(rate_percent, payout):
    return {"name": "random settlement", "money_decimals": 2,
            "bonuses": [{"name": "direct", "type": "unilevel", "rates": [f"{rate_percent}%"], "require_active": False}],
            "payout": {"minimum": str(payout["minimum"]), "fee": str(payout["fee"]),
                       "deductions": [{"name": n, "rate": f"{(r * 100).normalize():f}%"} for n, r in payout["deductions"]]}}


@pytest.mark.parametrize("seed", range(12))
def test_random_periods_against_an_independent_settlement(seed, tmp_path):
    rng = random.Random(seed)
    size = rng.randint(2, 40)
    ids = [f"m{i}" for i in range(size)]
    sponsors = [""] + [ids[rng.randrange(i)] if rng.random() < 0.85 else "" for i in range(1, size)]
    rate = Decimal(rng.choice(["10", "7.5", "33.3333", "1"]))
    payout = random_payout(rng)
    plan = downline.Plan.from_json(plan_json(rate, payout))
    balance = {i: Decimal(0) for i in ids}
    state = None
    for month in range(1, 5):
        period = f"2026-{month:02d}"
        statuses = [rng.choice(["active"] * 6 + ["hold", "terminated", ""]) for _ in ids]
        net = downline.Network.from_arrays(ids, sponsors, status=statuses)
        lines = [(rng.choice(ids), Decimal(rng.randint(-30000, 90000)) / 100) for _ in range(rng.randint(0, 3 * size))]
        sales = downline.Ledger.from_arrays([m for m, _ in lines], [str(a) for _, a in lines],
                                            dates=[f"{period}-10"] * len(lines))
        res = downline.run(plan, net, sales, period=period, state=state)

        # Independent earnings: `rate` of each line to the buyer's sponsor, rounded once per member.
        exact = {i: Decimal(0) for i in ids}
        for member, amount in lines:
            sponsor = sponsors[ids.index(member)]
            if sponsor:
                exact[sponsor] += amount * rate / 100
        earned = {i: exact[i].quantize(CENT, rounding=ROUND_HALF_EVEN) for i in ids}

        expected = []
        for i, status in zip(ids, statuses):
            row = reference_settle(payout, status or "active", earned[i], balance[i])
            balance[i] = row["balance_out"]
            if any(row[k] for k in MONEY):
                expected.append({"member_id": i, **{k: str(row[k].quantize(CENT)) for k in MONEY},
                                 "status": row["status"]})
        got = [{k: str(v) for k, v in r.items()} for r in res.payables.to_dict("records")]
        assert got == expected, f"seed {seed}, {period}"
        assert balances(res.state, tmp_path) == {i: b for i, b in balance.items() if b != 0}, f"seed {seed}, {period}"
        s = res.summary["settlement"]
        assert Decimal(s["paid"]) == sum((Decimal(r["paid"]) for r in expected), Decimal(0))
        state = res.state
