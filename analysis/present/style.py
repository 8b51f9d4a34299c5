"""Colours, symbols and labels that every figure and page shares, so a role or a side looks the same everywhere."""

from __future__ import annotations

# role -> (colour, marker symbol, legend label)
ROLE_STYLES = {
    "attack": ("#c0392b", "circle", "Attacks on US / coalition forces"),
    "response": ("#1f5fa8", "diamond", "US / coalition strikes"),
    "other": ("#7f7f7f", "square", "Other events"),
}
