"""publish.figure: the layout computed once gives the same picture as matplotlib's own per-output layout; the
exports a paper needs (PDF, 2x PNG) land in the figures folder."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from regbench.report import publish


def _figure():
    fig = Figure(figsize=(6, 3), layout="constrained")
    axes = fig.subplots(1, 2)
    for i, ax in enumerate(axes):
        ax.plot(np.arange(10), np.arange(10) ** (i + 1), label=f"power {i + 1}")
        ax.set_title(f"a long title that constrained layout must make room for {i}")
        ax.set_ylabel("a y label")
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def test_layout_once_draws_what_savefig_draws(tmp_path):
    ref = io.BytesIO()
    _figure().savefig(ref, format="png", dpi=publish.DPI * publish.SCALE)  # constrained layout run by savefig
    shown = publish.figure(_figure(), "f", "two line plots", page="p", out_dir=tmp_path)
    a, b = imread(io.BytesIO(ref.getvalue())), imread(io.BytesIO(shown.png))
    assert a.shape == b.shape == (600, 1200, 4)
    assert np.array_equal(a, b)
    assert shown.width == 600 and shown.alt == "two line plots"


def test_exports_pdf_and_the_shown_png(tmp_path):
    shown = publish.figure(_figure(), "f", "two line plots", page="p", out_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p-f.pdf", "p-f.png"]
    assert (tmp_path / "p-f.png").read_bytes() == shown.png
    pdf = (tmp_path / "p-f.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf  # reproducible: no timestamp


def test_alt_text_is_required(tmp_path):
    with pytest.raises(ValueError, match="alt: expected a description of figure 'f'"):
        publish.figure(_figure(), "f", "  ", out_dir=tmp_path)
