"""The palette holds WCAG AA contrast: text 4.5:1 on its background, chart marks 3:1 on the panel."""

from __future__ import annotations

import pytest

from billbot.web.style import MARK_COLOURS, PALETTE, TEXT_PAIRS, stylesheet


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(PALETTE[a]), luminance(PALETTE[b])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_colours_reach_aa_on_their_background(text: str, background: str) -> None:
    assert contrast(text, background) >= 4.5


@pytest.mark.parametrize("mark", MARK_COLOURS)
def test_chart_marks_stand_out_from_the_panel(mark: str) -> None:
    assert contrast(mark, "panel") >= 3


def test_every_colour_the_stylesheet_uses_is_in_the_palette() -> None:
    css = stylesheet()
    used = {part.split(")")[0] for part in css.split("var(--")[1:]}
    assert used <= set(PALETTE)
    assert "@media print" in css and "@media (max-width: 36rem)" in css
