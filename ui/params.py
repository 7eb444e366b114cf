"""Text <-> value for the catalog param kinds that the inspector edits as text. Pure Python."""

from __future__ import annotations

import json
import re
from typing import Any

from builder.core.catalog import PAD_RANK, Param, catalog, check_param, is_default

TEXT_KINDS = {
    "int_or_tuple",
    "shape",
    "int_list",
    "padding2d",
    "padding3d",
    "any",
    "axes",
    "dims",
    "factor",
    "pair",
    "numbers",
    "str_list",
}


class ParamInputError(ValueError):
    """Text that is not a value of the param's kind; the message says what was expected."""


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        parts = [format_value(v) if isinstance(v, (list, tuple)) else ("None" if v is None else str(v)) for v in value]
        inner = ", ".join(f"({p})" if isinstance(v, (list, tuple)) else p for p, v in zip(parts, value))
        return inner + ("," if len(value) == 1 else "")
    return str(value)


def _int(token: str, name: str, allow_none: bool = False) -> int | None:
    token = token.strip()
    if allow_none and token.lower() in {"none", "null", "?"}:
        return None
    if not re.fullmatch(r"[+-]?\d{1,12}", token):
        what = "an integer or None" if allow_none else "an integer"
        raise ParamInputError(f"`{name}`: {token!r} is not {what}")
    return int(token)


def _split(text: str) -> list[str]:
    text = text.strip().strip("()[]").strip()
    if not text:
        return []
    return [t for t in (p.strip() for p in text.split(",")) if t != ""]


def parse_value(param: Param, text: str) -> Any:
    """The value typed for ``param`` (``None``: empty, back to the Keras default)."""
    text = (text or "").strip()
    if text == "":
        return None
    kind, name = param.kind, param.name
    if kind == "any":
        return text
    if kind == "int_or_tuple":
        items = _split(text)
        if len(items) == 1:
            return _int(items[0], name)
        if len(items) != param.rank:
            raise ParamInputError(f"`{name}` takes one integer or {param.rank} integers, got {len(items)}")
        return tuple(_int(t, name) for t in items)
    if kind in {"shape", "int_list"}:
        items = _split(text)
        if not items:
            raise ParamInputError(f"`{name}` needs at least one dimension")
        return tuple(_int(t, name, allow_none=kind == "shape") for t in items)
    if kind in {"axes", "dims"}:  # one integer, or a tuple (dims: None for a dim left to the input)
        items = _split(text)
        if not items:
            raise ParamInputError(f"`{name}` needs at least one value")
        one = len(items) == 1 and "," not in text and "(" not in text and "[" not in text
        if one:
            return _int(items[0], name)
        return tuple(_int(t, name, allow_none=kind == "dims") for t in items)
    if kind in PAD_RANK:
        rank = PAD_RANK[kind]
        forms = (
            "n, (rows, cols) or ((top, bottom), (left, right))"
            if rank == 2
            else "n, (d1, d2, d3) or ((before, after), (before, after), (before, after))"
        )
        if "(" in text.strip()[1:] or "[" in text.strip()[1:]:
            groups = re.findall(r"[\(\[]([^\)\]]*)[\)\]]", text)
            pairs = [tuple(_int(t, name) for t in _split(g)) for g in groups]
            if len(pairs) != rank or any(len(p) != 2 for p in pairs):
                raise ParamInputError(f"`{name}` takes {forms}")
            return tuple(pairs)
        items = _split(text)
        if len(items) == 1:
            return _int(items[0], name)
        if len(items) != rank:
            raise ParamInputError(f"`{name}` takes {forms}")
        return tuple(_int(t, name) for t in items)
    if kind in {"factor", "pair", "numbers"}:
        items = _split(text)
        numbers = tuple(_number(t, name) for t in items)
        if kind == "factor" and len(numbers) not in (1, 2):
            raise ParamInputError(f"`{name}` takes one number or two (lower, upper), got {len(numbers)}")
        if kind == "pair" and len(numbers) != 2:
            raise ParamInputError(f"`{name}` takes two numbers (low, high), got {len(numbers)}")
        if not numbers:
            raise ParamInputError(f"`{name}` needs at least one number")
        return numbers[0] if len(numbers) == 1 else numbers
    if kind == "str_list":
        return parse_tokens(text)
    raise ParamInputError(f"`{name}` ({kind}) is not edited as text")


def _number(token: str, name: str) -> int | float:
    token = token.strip()
    if re.fullmatch(r"[+-]?\d{1,15}", token):
        return int(token)
    try:
        value = float(token)
    except ValueError:
        raise ParamInputError(f"`{name}`: {token!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ParamInputError(f"`{name}`: {token!r} is not a finite number")
    return value


def parse_tokens(text: str) -> tuple[str, ...] | str:
    """A vocabulary typed as text: a JSON list (``["a", "b"]``), one token per line, or tokens
    separated by commas. A single token that looks like a file path stays a path."""
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise ParamInputError(f"not a JSON list of strings: {exc}") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ParamInputError("a JSON vocabulary must be a list of strings")
        return tuple(value)
    sep = "\n" if "\n" in text else ","
    tokens = tuple(t.strip() for t in text.split(sep) if t.strip())
    if len(tokens) == 1 and ("/" in tokens[0] or tokens[0].endswith(".txt")):
        return tokens[0]
    return tokens


def format_tokens(value: object) -> str:
    """A vocabulary as the text the inspector shows: a JSON list (round-trips any token)."""
    if isinstance(value, str):
        return value
    return json.dumps(list(value) if isinstance(value, (list, tuple)) else value, ensure_ascii=False)


def check(param: Param, value: Any) -> str | None:
    """The catalog's verdict on ``value`` (None when acceptable)."""
    return check_param(param, value, catalog().activations)


def same_as_default(param: Param, value: Any) -> bool:
    """Whether ``value`` is Keras' default for ``param`` (then the inspector unsets it)."""
    return is_default(param, value)
