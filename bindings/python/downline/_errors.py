# SPDX-License-Identifier: MIT
"""downline's exceptions: ``downline.Error`` and one subclass per kind of failure.

The message is the CLI's, without its ``downline: error:`` prefix: it names the file and line
(or the JSON path) and quotes the offending value::

    try:
        downline.Network.from_csv("network.csv")
    except downline.NetworkError as e:
        print(e)   # network.csv:5: duplicate id (first on network.csv:2) 'A17'
"""


class Error(Exception):
    """The root of every error downline raises for bad input or misuse."""


class FileError(Error, OSError):
    """A file cannot be read or written."""


class InputError(Error, ValueError):
    """A malformed sales or state file, or a bad value in an array."""


class InputTypeError(InputError, TypeError):
    """A column of the wrong type: money or volume as floats, an object where text belongs."""


class NetworkError(Error, ValueError):
    """A network that is not a forest: an unknown, duplicate or cyclic id."""


class PlanError(Error, ValueError):
    """A plan that does not follow the schema (the message names the JSON path)."""


class NumberOverflowError(Error, ArithmeticError):
    """A number or a sum outside the exact fixed-point range."""


class UsageError(Error, ValueError):
    """A call that breaks the API's preconditions (a bad period, lines not kept, ...)."""


__all__ = ["Error", "FileError", "InputError", "InputTypeError", "NetworkError", "PlanError", "NumberOverflowError", "UsageError"]
