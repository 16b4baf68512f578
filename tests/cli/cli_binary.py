"""The `downline` binary the CLI tests run: DOWNLINE_CLI, e.g.

    DOWNLINE_CLI=build/release/downline python3 -m pytest tests/cli

(ctest sets it). Each test module marks itself with `requires_cli` and builds its command
lines from `CLI`.
"""

import os
import shlex

import pytest

CLI_ENV = os.environ.get("DOWNLINE_CLI", "").strip()

requires_cli = pytest.mark.skipif(not CLI_ENV, reason="DOWNLINE_CLI is not set: point it at the downline binary")


def cli_argv():
    """The CLI as an argv prefix; a relative path is resolved against the starting directory."""
    argv = shlex.split(CLI_ENV)
    if argv and os.sep in argv[0]:
        argv[0] = os.path.abspath(argv[0])
    return argv


CLI = cli_argv()
