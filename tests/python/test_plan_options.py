"""Plan options of SPEC §5 that depend on the earner's rank (generous compression, binary
rate/pay/cap by rank, pool shares) reached from Python through the plan JSON. The golden
cases 40-44 (tests/data/golden) run through test_golden.py; here: dict plans, arrays in,
and the JSON-path errors."""

from decimal import Decimal

import pytest

import downline

RANKS = [{"name": "Gold", "pv": "100"}, {"name": "Diamond", "pv": "300"}]


@pytest.mark.parametrize("bonus, message", [
    ({"type": "binary", "cycle": {"left": "1", "right": "1", "pay": "1"}, "rate_by_rank": {"Gold": "5%"}},
     r"bonuses\[0\]\.rate_by_rank: rate_by_rank needs rate pairing"),
    ({"type": "binary", "rate": "5%", "cap_by_rank": {"Platinum": "10.00"}},
     r"bonuses\[0\]\.cap_by_rank\.Platinum: rank is not defined .*'Platinum'"),
    ({"type": "pool", "share": "1%", "split": "shares", "shares_by_rank": {"Gold": Decimal("1.5")}},
     r"bonuses\[0\]\.shares_by_rank\.Gold: a share count must be a whole number .*'1\.5'"),
    ({"type": "unilevel", "rates": ["5%"], "compression": "generous"},
     r"bonuses\[0\]\.compression: compression generous needs levels_by_rank"),
    ({"type": "unilevel", "rates": ["5%"], "cap_by_rank": {"Gold": "1.00"}},
     r"bonuses\[0\]\.cap_by_rank: unknown key"),
])
def test_by_rank_errors_name_the_json_path(bonus, message):
    with pytest.raises(downline.PlanError, match=message):
        downline.Plan.from_json({"name": "t", "ranks": RANKS, "bonuses": [{"name": "b", **bonus}]})


def test_pool_by_shares_from_arrays():
    # Pool 10% of 1,000 = 100 (whole units). D Diamond (3 shares), G1 and G2 Gold (1 each):
    # 5 shares, share value 100 / 5 = 20; R (PV 0) holds none.
    plan = downline.Plan.from_json({
        "name": "shares", "money_decimals": 0, "ranks": RANKS, "qualification": {"active_pv": "50"},
        "bonuses": [{"name": "pool", "type": "pool", "share": "10%", "split": "shares",
                     "shares_by_rank": {"Gold": 1, "Diamond": 3}}]})
    net = downline.Network.from_arrays(["R", "D", "G1", "G2"], ["", "R", "R", "D"])
    ledger = downline.Ledger.from_arrays(["R", "D", "G1", "G2"], ["400", "300", "150", "150"],
                                         volumes=["0", "300", "150", "150"], money_decimals=0)
    res = downline.run(plan, net, ledger)
    assert list(res.payouts.itertuples(index=False, name=None)) == [
        ("D", "pool", Decimal("60")), ("G1", "pool", Decimal("20")), ("G2", "pool", Decimal("20"))]
    assert res.summary["breakage"] in ("0", 0, Decimal("0"))
