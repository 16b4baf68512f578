# SPDX-License-Identifier: MIT
"""Generate a network and a month of sales with NumPy, run a plan, show the top earners and the
payout ratio.

    pip install .            # from the repository root
    python examples/python/top_earners.py --members 20000 --seed 7

Everything stays exact: sale amounts are int64 cents, payouts come back as decimal.Decimal
(`res.payouts`) and int64 cents (`res.payouts_minor`); no float ever touches money.
"""
import argparse
from decimal import Decimal

import numpy as np

import downline

PLAN = {
    "name": "Analyst demo",
    "currency": "EUR",
    "money_decimals": 2,
    "qualification": {"active_pv": "50"},
    "ranks": [
        {"name": "Associate", "pv": "50"},
        {"name": "Manager", "pv": "100", "gv": "2000", "max_leg_share": "60%"},
    ],
    "bonuses": [
        {"name": "level", "type": "unilevel", "rates": ["10%", "5%", "4%", "3%", "2%"], "compression": "dynamic"},
        {"name": "leadership", "type": "unilevel", "min_rank": "Manager", "rates": ["2%", "2%", "1%"]},
    ],
    "payout_cap": "40%",
}


def generate(members, seed):
    """Sponsors by preferential attachment (a few big recruiters, most recruit no one), sales in cents."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"M{i:07d}" for i in range(members)], dtype=object)
    sponsors = np.empty(members, dtype=object)
    sponsors[0] = ""
    recruits = np.ones(members)
    for i in range(1, members):
        weights = recruits[:i]
        sponsor = rng.choice(i, p=weights / weights.sum()) if i < 2000 else rng.integers(max(0, i - 2000), i)
        sponsors[i] = ids[sponsor]
        recruits[sponsor] += 1
    lines = int(members * 1.5)
    buyers = ids[rng.integers(0, members, lines)]
    cents = rng.integers(500, 20000, lines, dtype=np.int64)           # 5.00 .. 200.00
    refunds = rng.random(lines) < 0.01
    cents[refunds] = -cents[refunds]
    kinds = rng.choice(np.array(["retail", "personal", "fee"], dtype=object), lines, p=[0.8, 0.17, 0.03])
    return ids, sponsors, buyers, cents, kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()

    ids, sponsors, buyers, cents, kinds = generate(args.members, args.seed)
    plan = downline.Plan.from_json(PLAN)
    net = downline.Network.from_arrays(ids, sponsors)
    sales = downline.Ledger.from_arrays(buyers, cents, kinds=kinds, money_decimals=2)  # cents: read in place
    res = downline.run(plan, net, sales)

    totals = res.member_totals.sort_values("amount_minor", ascending=False, kind="stable")
    print(f"{plan.name}: {len(net)} members, {len(cents)} sale lines")
    print(f"Top {args.top} earners:")
    for member, amount, _ in totals.head(args.top).itertuples(index=False):
        print(f"  {member}  {amount:>12} {plan.currency}")

    summary = res.summary
    total_amount = Decimal(int(cents.sum())).scaleb(-2)
    total_payout = Decimal(int(res.payouts_minor.sum())).scaleb(-2)
    assert total_payout == Decimal(summary["total_payout"])      # the same money, two exact views
    print(f"Total sales {total_amount} {plan.currency}, total payout {total_payout} {plan.currency}")
    print(f"Payout ratio {summary['payout_ratio']} (cap factor {summary['cap_factor']}), "
          f"{summary['earners']} earners, median earning {summary['earnings']['median']}")


if __name__ == "__main__":
    main()
