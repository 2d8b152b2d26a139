"""What the subcommands share: argument types, the logger and the exit status of bad input."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
from pathlib import Path

log = logging.getLogger("regbench")

#: exit status of a command refused because of its input (nothing written)
BAD_INPUT = 2


def json_arg(text):
    """argparse type: a JSON value."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text[:80]!r}") from exc


def key_value(text):
    """argparse type: ``KEY=VALUE`` with KEY a Python identifier; returns (KEY, VALUE)."""
    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"must be KEY=VALUE with KEY a name (letters, digits, _); got {text!r}")
    return key, value


def fail(cmd, exc) -> int:
    """Print one clear error line for ``regbench cmd`` and return :data:`BAD_INPUT`."""
    print(f"regbench {cmd}: error: {exc}", file=sys.stderr)
    return BAD_INPUT


def note(cmd, notes) -> None:
    """Print what was done to read the input (e.g. a dropped row-index column), one ``note:`` line each."""
    for text in notes:
        print(f"regbench {cmd}: note: {text}", file=sys.stderr)


def bounded(kind, low=None, high=None, *, low_open=False, high_open=False, what=""):
    """argparse type: an ``int`` or ``float`` in a range; the error names the allowed range and the value given.

    argparse prefixes the option (``argument --cv: ...``) and exits with status 2.
    """
    lo_op, hi_op = (">" if low_open else ">="), ("<" if high_open else "<=")
    parts = [f"{lo_op} {low:g}" if low is not None else "", f"{hi_op} {high:g}" if high is not None else ""]
    allowed = f"{'an integer' if kind is int else 'a number'} {' and '.join(p for p in parts if p)}".strip()
    allowed += f" ({what})" if what else ""

    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {allowed}; got {text!r}") from None
        if kind is float and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be {allowed}; got {text!r}")
        if low is not None and (value <= low if low_open else value < low):
            raise argparse.ArgumentTypeError(f"must be {allowed}; got {text}")
        if high is not None and (value >= high if high_open else value > high):
            raise argparse.ArgumentTypeError(f"must be {allowed}; got {text}")
        return value

    convert.__name__ = f"{kind.__name__} in range"
    return convert


#: K of a K-fold CV
folds_arg = bounded(int, 2, what="K-fold cross-validation needs at least 2 folds")
#: a count of at least one (cores, replicates)
positive_int = bounded(int, 1)
#: a seed, a replicate number or a 1-based row number minus one
non_negative_int = bounded(int, 0)


def output_file(text):
    """argparse type: a file to write: not a directory, in an existing directory that can be written."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a directory; give the path of a file to write")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder of {text!r} does not exist ({str(parent)!r}); create it first")
    if not os.access(parent, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write in {str(parent)!r} (permission denied)")
    return text


def unwritable(path, exc: OSError) -> str:
    """The message of an output that could not be written (a read-only folder, a full disk, a file in the way)."""
    return (f"cannot write {str(path)!r}: {exc.strerror or exc} ({type(exc).__name__}); check that its folder can be "
            "written (permissions, free space) and that no file stands where a folder is needed")
