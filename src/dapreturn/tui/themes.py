"""The two looks of the apps: the default theme and a high-contrast one.

Colour never carries meaning on its own (markers and words do), so both themes, and
``NO_COLOR`` terminals, show the same information.
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "dapreturn"
"""Name of the default theme."""
HIGH_CONTRAST_THEME = "dapreturn-high-contrast"
"""Name of the high-contrast theme."""

DEFAULT = Theme(
    name=DEFAULT_THEME,
    primary="#2a6fb0",
    secondary="#5a4a9c",
    accent="#f0b030",
    warning="#f0b030",
    error="#ff6b6b",
    success="#5cc27a",
    foreground="#e6e6e6",
    background="#1b1d23",
    surface="#24272e",
    panel="#2c3038",
    dark=True,
)
"""Calm dark theme with clear focus borders."""

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff8080",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#ffffff",
    dark=True,
    variables={
        "border": "#ffff00",
        "border-blurred": "#ffffff",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#ffff00",
        "block-cursor-blurred-foreground": "#000000",
        "block-cursor-blurred-background": "#c0c0c0",
        "input-selection-background": "#00ffff 60%",
        "footer-key-foreground": "#ffff00",
        "footer-background": "#000000",
        "footer-foreground": "#ffffff",
    },
)
"""Black background, white text, yellow focus; no mid-tones."""

THEMES = (DEFAULT, HIGH_CONTRAST)
"""Both themes, to register on an app."""

CONFIG_NAMES = {"default": DEFAULT_THEME, "high-contrast": HIGH_CONTRAST_THEME}
"""Config value -> theme name."""
