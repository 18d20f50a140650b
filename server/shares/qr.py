"""QR codes of share links, as inline SVG (no inline styles, no script: the CSP stays strict)."""

from __future__ import annotations

import segno


def svg(text: str, *, title: str = "QR code of the share link") -> str:
    """An SVG element whose size the page's CSS sets (its viewBox keeps the proportions)."""
    code = segno.make(text, error="m", micro=False)
    return str(
        code.svg_inline(
            scale=4, border=2, title=title, svgclass="qr-code", lineclass="qr-line", omitsize=True
        )
    )
