"""Publishable output: every figure shown on a page as a sharp (2x) PNG with alt text, and saved as PDF (vector)
and that PNG; every table shown without an index column, and saved as CSV, Markdown and LaTeX, in the report folder.

The notebooks run with the report folder as working directory, so ``figures/<page>-<name>.pdf`` and
``tables/<page>-<name>.csv`` land beside the pages, ready to drop into a paper.

One vector format, PDF: it is what LaTeX includes as is (``\\includegraphics``, beside the ``.tex`` tables) and what
vector editors (Inkscape, Illustrator) open; SVG would be a second vector export of the same drawing, about a third of
a figure's cost, that a LaTeX paper would convert to PDF anyway. The PNG beside it is the page's own 2x image (no
extra rendering), for slides and word processors.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["Shown", "figure", "slug", "table"]

#: PNG resolution on the page: 2x the CSS pixels the figure takes (sharp on high-density screens)
DPI, SCALE = 100, 2


def slug(text: str) -> str:
    """A file-name-safe version of ``text``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip("-") or "item"


class Shown:
    """A figure as the page shows it: a 2x PNG displayed at its CSS size, with alt text (see the template)."""

    def __init__(self, png: bytes, width: int, alt: str):
        self.png, self.width, self.alt = png, width, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}
        return data, {"image/png": {"width": self.width, "alt": self.alt}}


def figure(fig: Figure, name: str, alt: str, *, page: str = "", out_dir="figures") -> Shown:
    """Save ``fig`` as ``<out_dir>/<page>-<name>.pdf`` and ``.png`` (2x); return it as that PNG with ``alt`` text.

    The figure's layout engine (constrained layout) runs once, at the PNG's resolution, then is switched off: each
    ``savefig`` of a figure with a layout engine draws it twice (layout, then output), so the two outputs cost three
    draws, not four. The PNG is pixel for pixel what ``savefig`` alone draws; the PDF reuses the same layout (laid
    out at 72 dpi on its own, it would differ by rounding only).
    """
    if not alt.strip():
        raise ValueError(f"alt: expected a description of figure {name!r}, got an empty string")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = slug(f"{page}-{name}" if page else name)
    if fig.get_layout_engine() is not None:
        dpi = fig.get_dpi()
        fig.set_dpi(DPI * SCALE)
        fig.draw_without_rendering()  # positions every artist; the outputs below reuse them
        fig.set_layout_engine("none")
        fig.set_dpi(dpi)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI * SCALE)
    png = buf.getvalue()
    (out / f"{stem}.png").write_bytes(png)
    fig.savefig(out / f"{stem}.pdf", format="pdf", metadata={"CreationDate": None})
    return Shown(png, int(round(fig.get_figwidth() * DPI)), alt)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Index turned into columns (unless it is a default range), NaN as empty, booleans as yes/no."""
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.rename_axis(df.index.names if any(df.index.names) else [""] * df.index.nlevels).reset_index()
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "yes", False: "no"})
        elif pd.api.types.is_float_dtype(out[c]) and out[c].notna().any():
            v = out[c].dropna()
            if np.all(np.isclose(v % 1, 0)) and v.abs().max() < 1e15:
                out[c] = out[c].map(lambda x: "" if pd.isna(x) else f"{int(x)}")
            else:  # one format per column: 3 significant digits for its typical value
                a = np.abs(v[v != 0])
                d = int(np.clip(2 - np.floor(np.log10(np.median(a))), 0, 6)) if len(a) else 3
                out[c] = out[c].map(lambda x, d=d: "" if pd.isna(x) else f"{x:.{d}f}")
    return out.astype(object).where(out.notna(), "")


def table(df, name: str, *, page: str = "", out_dir="tables", caption: str = ""):
    """Save ``df`` (a DataFrame or a pandas Styler) as CSV, Markdown and LaTeX; return it for display with no
    index column and no NaN."""
    data = df.data if hasattr(df, "data") and hasattr(df, "hide") else df
    plain = _plain(data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = slug(f"{page}-{name}" if page else name)
    plain.to_csv(out / f"{stem}.csv", index=False)
    (out / f"{stem}.md").write_text(plain.to_markdown(index=False) + "\n", encoding="utf-8")
    (out / f"{stem}.tex").write_text(plain.style.hide(axis="index").to_latex(caption=caption or None,
                                                                                hrules=True), encoding="utf-8")
    if df is not data:  # a Styler: keep its colours, hide its index
        return df.hide(axis="index")
    styled = plain.style.hide(axis="index")
    return styled.set_caption(caption) if caption else styled
