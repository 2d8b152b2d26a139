"""``regbench report-params OUT.yaml key=JSON ...``: a report page's typed papermill parameters (notebook_params)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

HELP = "write KEY=VALUE pairs (values parsed as JSON) to a YAML file of papermill parameters"


def add_arguments(p):
    p.add_argument("out")
    p.add_argument("pairs", nargs="*")


def run(args):
    values = {}
    for pair in args.pairs:
        key, _, raw = pair.partition("=")
        try:
            values[key] = json.loads(raw)
        except json.JSONDecodeError:
            values[key] = raw
    Path(args.out).write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
