# SPDX-License-Identifier: MIT
"""Shared helpers of the Python suite.

Run against the build tree (ctest: PYTHONPATH=<build>/python) or against the package installed
with ``pip install .`` (tools/test.sh runs both). With DOWNLINE_CLI set, error messages are also
compared with the CLI's.
"""
import os
import shlex
from pathlib import Path

import pytest

import downline

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "data" / "golden"


def golden_cases():
    return sorted(p.name for p in GOLDEN_DIR.iterdir() if p.is_dir()) if GOLDEN_DIR.is_dir() else []


def case_args(case_dir):
    """The case's extra CLI arguments as run() keywords: --period, --state-in."""
    path = case_dir / "args"
    words = shlex.split(path.read_text(encoding="utf-8")) if path.exists() else []
    kwargs = {}
    for flag, value in zip(words[::2], words[1::2]):
        if flag == "--period":
            kwargs["period"] = value
        elif flag == "--state-in":
            kwargs["state"] = downline.State.from_csv(value if os.path.isabs(value) else case_dir / value)
        else:
            raise AssertionError(f"{case_dir.name}: unexpected argument {flag}")
    return kwargs


def type_available(bonus_type, extra=None):
    """Whether this build evaluates `bonus_type` (planned types say 'not available')."""
    bonus = {"name": "b", "type": bonus_type, **(extra or {})}
    try:
        downline.Plan.from_json({"name": "probe", "bonuses": [bonus]})
    except downline.PlanError as e:
        if "not available in this version" in str(e) or "unknown bonus type" in str(e):
            return False
        return True  # known type, the probe's keys were not enough
    return True


@pytest.fixture(scope="session")
def binary_available():
    if not type_available("binary", {"rate": "10%"}):
        pytest.skip("the binary bonus type is not available in this build yet")


@pytest.fixture(scope="session")
def cli():
    """The CLI as an argv prefix, or skip."""
    value = os.environ.get("DOWNLINE_CLI", "").strip()
    if not value:
        pytest.skip("DOWNLINE_CLI is not set: no CLI to compare messages with")
    argv = shlex.split(value)
    argv[0] = os.path.abspath(argv[0])
    return argv
