# SPDX-License-Identifier: MIT
"""Hostile values through Python (issue 15): the same rules and messages as the CLI and the C
API, values escaped and bounded."""
import numpy as np
import pytest

import downline


def test_sale_line_rules_give_the_builders_messages():
    # The same words as sales.csv and downline_ledger_from_arrays: the rules live in the core.
    with pytest.raises(downline.InputError, match=r"^sales row 0: unknown kind \(expected 0 retail, 1 personal or 2 fee\) '3'$"):
        downline.Ledger.from_arrays(["B"], ["1.00"], kinds=np.array([3]))
    with pytest.raises(downline.InputError,
                       match=r"^sales row 0: amount has more than 4 decimals and no volume to stand in for it '1.23456'$"):
        downline.Ledger.from_arrays(["B"], ["1.23456"], money_decimals=6)


def test_an_order_id_with_a_nul_is_refused_and_shown_escaped():
    with pytest.raises(downline.InputError, match=r"order_id is not UTF-8 text .* 'o\\x001'"):
        downline.Ledger.from_arrays(["B"], ["1.00"], order_ids=np.array([b"o\x001"], dtype=object))


def test_a_huge_value_is_cut_with_its_size():
    with pytest.raises(downline.NumberOverflowError) as e:
        downline.Ledger.from_arrays(["B"], ["9" * 1_000_000])
    message = str(e.value)
    assert message.endswith("\u2026' (1000000 bytes)")
    assert len(message) < 300
