"""``regbench report-params OUT.yaml key=JSON ...``: a report page's typed papermill parameters (notebook_params)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from regbench.cli._args import key_value

HELP = "write KEY=VALUE pairs (values parsed as JSON) to a YAML file of papermill parameters"


def add_arguments(p):
    p.add_argument("out")
    p.add_argument("pairs", nargs="*", type=key_value, help="KEY=VALUE, the value parsed as JSON (else a string)")


def run(args):
    values = {}
    for key, raw in args.pairs:
        try:
            values[key] = json.loads(raw)
        except json.JSONDecodeError:
            values[key] = raw
    Path(args.out).write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
