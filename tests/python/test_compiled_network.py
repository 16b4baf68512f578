# SPDX-License-Identifier: MIT
"""Network.compile / Network.from_file: a compiled network gives the same results as its CSV."""
import pytest

import downline
from conftest import GOLDEN_DIR, golden_cases
from test_golden import run_case


@pytest.mark.parametrize("name", golden_cases())
def test_compiled_network_gives_the_same_results(name, tmp_path):
    case_dir = GOLDEN_DIR / name
    plan = downline.Plan.from_json(case_dir / "plan.json")
    compiled = tmp_path / "network.dlnet"
    downline.Network.from_csv(case_dir / "network.csv").compile(compiled, plan)
    _, from_csv = run_case(name)
    _, from_compiled = run_case(name, network=downline.Network.from_file(compiled))
    assert from_compiled.payouts.equals(from_csv.payouts)
    assert from_compiled.ranks.equals(from_csv.ranks)
    assert from_compiled.lines.equals(from_csv.lines)
    assert from_compiled.summary == from_csv.summary
    # from_file reads the CSV too.
    _, again = run_case(name, network=downline.Network.from_file(case_dir / "network.csv"))
    assert again.payouts.equals(from_csv.payouts)


def test_damaged_file_is_an_error_naming_it(tmp_path):
    compiled = tmp_path / "network.dlnet"
    downline.Network.from_csv(GOLDEN_DIR / "01_unilevel_none_inactive_upline" / "network.csv").compile(compiled)
    data = compiled.read_bytes()
    compiled.write_bytes(data[: len(data) // 2])
    with pytest.raises(downline.Error, match="truncated compiled network") as e:
        downline.Network.from_file(compiled)
    assert str(compiled) in str(e.value)
    compiled.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    with pytest.raises(downline.Error, match="checksum mismatch"):
        downline.Network.from_file(compiled)
