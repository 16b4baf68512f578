# SPDX-License-Identifier: MIT
"""Property tests of SPEC invariants, with an independent oracle written here from SPEC §4, §5.1,
§5.2 and §5.8 in plain Python with exact Decimals:

- payouts do not depend on the order of network or sales rows;
- unilevel (compression none or dynamic) pays exactly what the oracle computes;
- dynamic compression never pays an unqualified member;
- the payout cap is never exceeded;
- explanation lines sum to amounts that round to the payouts;
- binary: carry-in + leg volume = matched + carry-out, pay = rate x matched (once binary exists).
"""
import decimal
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import downline
from conftest import type_available

EXACT = decimal.Context(prec=100)
ROUNDING = {"half_even": decimal.ROUND_HALF_EVEN, "half_up": decimal.ROUND_HALF_UP,
            "down": decimal.ROUND_DOWN, "up": decimal.ROUND_UP}
CENT = Decimal("0.01")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw, max_members=18):
    """A forest (parent index < own index), sale lines in cents, a unilevel plan."""
    n = draw(st.integers(1, max_members))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1)) if i > 3 else st.integers(0, i - 1))
                        for i in range(1, n)]
    lines = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(-3000, 40000)), max_size=30))
    rates = draw(st.lists(st.integers(0, 2500), min_size=1, max_size=4))  # hundredths of a percent
    plan = {
        "compression": draw(st.sampled_from(["none", "dynamic"])),
        "rounding": draw(st.sampled_from(sorted(ROUNDING))),
        "active_pv": draw(st.integers(0, 300)),
        "rank_pv": draw(st.one_of(st.none(), st.integers(0, 400))),  # a min_rank "Associate" at this PV
        "rates": rates,
        "cap": draw(st.one_of(st.none(), st.integers(1, 60))),
    }
    network_order = draw(st.permutations(range(n)))
    sales_order = draw(st.permutations(range(len(lines))))
    return n, parents, lines, plan, network_order, sales_order


def ident(i):
    return f"m{i}"


def plan_dict(p):
    bonus = {"name": "level", "type": "unilevel", "base": "amount", "compression": p["compression"],
             "rates": [f"{Decimal(r).scaleb(-2)}%" for r in p["rates"]]}
    plan = {"name": "property", "money_decimals": 2, "rounding": p["rounding"],
            "qualification": {"active_pv": str(p["active_pv"])}, "bonuses": [bonus]}
    if p["rank_pv"] is not None:
        plan["ranks"] = [{"name": "Associate", "pv": str(p["rank_pv"])}]
        bonus["min_rank"] = "Associate"
    if p["cap"] is not None:
        plan["payout_cap"] = f"{p['cap']}%"
    return plan


def load(n, parents, lines, plan, network_order, sales_order):
    ids = [ident(i) for i in network_order]
    sponsors = ["" if parents[i] is None else ident(parents[i]) for i in network_order]
    net = downline.Network.from_arrays(ids, sponsors)
    ordered = [lines[k] for k in sales_order]
    ledger = downline.Ledger.from_arrays([ident(m) for m, _ in ordered], [c for _, c in ordered], money_decimals=2)
    return downline.Plan.from_json(plan_dict(plan)), net, ledger


def oracle(n, parents, lines, p):
    """SPEC §4/§5.1 by hand: exact pay per member, qualified set, before rounding and cap."""
    pv = [Decimal(0)] * n
    for m, cents in lines:
        pv[m] += Decimal(cents) / 100
    active = [pv[m] >= p["active_pv"] for m in range(n)]
    ranked = [active[m] and (p["rank_pv"] is None or pv[m] >= p["rank_pv"]) for m in range(n)]
    qualified = [active[m] and ranked[m] for m in range(n)]
    rates = [EXACT.divide(Decimal(r), Decimal(10000)) for r in p["rates"]]
    exact = [Decimal(0)] * n
    for buyer, cents in lines:
        amount = Decimal(cents) / 100
        level, u = 0, parents[buyer]
        while u is not None and level < len(rates):
            if p["compression"] == "none":
                level += 1
                if qualified[u]:
                    exact[u] += rates[level - 1] * amount
            elif qualified[u]:
                level += 1
                exact[u] += rates[level - 1] * amount
            u = parents[u]
    return exact, qualified


def payouts_of(res):
    return {m: a for m, _, a in res.payouts.itertuples(index=False)}


@SETTINGS
@given(cases())
def test_unilevel_matches_the_oracle_in_any_row_order(case):
    n, parents, lines, p, network_order, sales_order = case
    plan, net, ledger = load(*case)
    res = downline.run(plan, net, ledger, explain=True)
    exact, qualified = oracle(n, parents, lines, p)
    rounded = {ident(m): v.quantize(CENT, rounding=ROUNDING[p["rounding"]], context=EXACT) for m, v in enumerate(exact)}
    rounded = {m: v for m, v in rounded.items() if v != 0}
    got = payouts_of(res)

    # Row-order independence: the same inputs in file order give the same payouts and ranks.
    plan0, net0, ledger0 = load(n, parents, lines, p, range(n), range(len(lines)))
    res0 = downline.run(plan0, net0, ledger0)
    assert payouts_of(res0) == got
    assert sorted(map(tuple, res0.ranks.itertuples(index=False))) == sorted(map(tuple, res.ranks.itertuples(index=False)))

    # Only qualified members are ever paid (with compression dynamic, too).
    assert all(qualified[int(m[1:])] for m in got)

    total = sum((Decimal(c) / 100 for _, c in lines), Decimal(0))
    positive = sum((v for v in rounded.values() if v > 0), Decimal(0))
    if p["cap"] is None or positive <= Decimal(p["cap"]) / 100 * total:
        assert got == rounded
    if p["cap"] is not None:
        # Never above the cap; negative lines (clawbacks) untouched; positives only shrink.
        assert sum((v for v in got.values() if v > 0), Decimal(0)) <= max(Decimal(p["cap"]) / 100 * total, Decimal(0))
        assert {m: v for m, v in got.items() if v < 0} == {m: v for m, v in rounded.items() if v < 0}
        assert all(Decimal(0) <= got.get(m, Decimal(0)) <= v for m, v in rounded.items() if v > 0)
    else:
        # The explanation lines' exact sums round to the payouts.
        sums = {}
        for m, amount in res.lines[["member_id", "amount"]].itertuples(index=False):
            sums[m] = sums.get(m, Decimal(0)) + amount
        assert {m: v.quantize(CENT, rounding=ROUNDING[p["rounding"]], context=EXACT) for m, v in sums.items()
                if v.quantize(CENT, rounding=ROUNDING[p["rounding"]], context=EXACT) != 0} == got
    # payouts_minor is the same money in cents.
    assert res.payouts_minor.tolist() == [int(a * 100) for a in res.payouts["amount"]]


@SETTINGS
@given(cases())
def test_dynamic_compression_never_pays_an_unqualified_member(case):
    n, parents, lines, p, network_order, sales_order = case
    p = dict(p, compression="dynamic")
    plan, net, ledger = load(n, parents, lines, p, network_order, sales_order)
    res = downline.run(plan, net, ledger)
    ranks = res.ranks.set_index("member_id")
    for member in payouts_of(res):
        assert ranks.loc[member, "active"]
        if p["rank_pv"] is not None:
            assert ranks.loc[member, "rank"] == "Associate"


# ---- binary (SPEC §5.2) -----------------------------------------------------------------------

BINARY = type_available("binary", {"rate": "10%"})


@st.composite
def binary_cases(draw):
    """A placement tree filled at random free positions, positive sales, some carry-in."""
    n = draw(st.integers(1, 16))
    placement = [None]
    free = [(0, "L"), (0, "R")]
    for i in range(1, n):
        k = draw(st.integers(0, len(free) - 1))
        parent, side = free.pop(k)
        placement.append((parent, side))
        free += [(i, "L"), (i, "R")]
    lines = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 50000)), max_size=25))
    carry = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 9000), st.integers(0, 9000)),
                          max_size=4, unique_by=lambda t: t[0]))
    return n, placement, lines, carry


@pytest.mark.skipif(not BINARY, reason="the binary bonus type is not available in this build yet")
@settings(max_examples=60, deadline=None)
@given(binary_cases())
def test_binary_carry_is_conserved(case):
    n, placement, lines, carry = case
    ids = [ident(i) for i in range(n)]
    parent_ids = ["" if p is None else ident(p[0]) for p in placement]
    net = downline.Network.from_arrays(ids, parent_ids, placement_ids=parent_ids,
                                       positions=["" if p is None else p[1] for p in placement])
    ledger = downline.Ledger.from_arrays([ident(m) for m, _ in lines], [c for _, c in lines], money_decimals=2)
    plan = downline.Plan.from_json({"name": "b", "bonuses": [{"name": "bin", "type": "binary", "rate": "10%"}]})
    state = downline.State.from_arrays([ident(m) for m, _, _ in carry], ["bin"] * len(carry),
                                       [Decimal(l) / 100 for _, l, _ in carry], [Decimal(r) / 100 for _, _, r in carry])
    res = downline.run(plan, net, ledger, state=state)

    # Leg volumes by hand: each line's base climbs the placement tree.
    legs = [[Decimal(0), Decimal(0)] for _ in range(n)]
    for m, l, r in carry:
        legs[m][0] += Decimal(l) / 100
        legs[m][1] += Decimal(r) / 100
    for buyer, cents in lines:
        child = buyer
        while placement[child] is not None:
            parent, side = placement[child]
            legs[parent][0 if side == "L" else 1] += Decimal(cents) / 100
            child = parent
    expected_pay, expected_carry = {}, {}
    for m in range(n):
        left, right = legs[m]
        matched = min(left, right)
        pay = (matched / 10).quantize(CENT, rounding=decimal.ROUND_HALF_EVEN)
        if pay:
            expected_pay[ident(m)] = pay
        # carry-in + volume = matched + carry-out, on each side
        if left - matched or right - matched:
            expected_carry[ident(m)] = (left - matched, right - matched)
    assert payouts_of(res) == expected_pay
    got_carry = {m: (l, r) for m, b, l, r in res.state.entries() if b == "bin" and (l or r)}
    assert got_carry == expected_carry

