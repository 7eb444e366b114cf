"""Showing user text (layer and model names, messages that quote them) inside Streamlit
markdown: one line, every markdown character escaped, so a name can never format the page."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def md(text: object) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
