"""What the subcommands share: argument types, the logger and the exit status of bad input."""

from __future__ import annotations

import argparse
import json
import logging
import sys

log = logging.getLogger("regbench")

#: exit status of a command refused because of its input (nothing written)
BAD_INPUT = 2


def json_arg(text):
    """argparse type: a JSON value."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc}): {text[:80]!r}") from exc


def fail(cmd, exc) -> int:
    """Print one clear error line for ``regbench cmd`` and return :data:`BAD_INPUT`."""
    print(f"regbench {cmd}: error: {exc}", file=sys.stderr)
    return BAD_INPUT
