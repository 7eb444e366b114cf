"""The interface through which the evaluator hands "foreign" values to the API model it serves.

The evaluator (:mod:`.evaluator`) knows Python, not any library: imports, names it cannot resolve,
attributes of non-native values and calls on them all go to a :class:`Handler`, which models an API
(for model code: Keras, :mod:`.keras_api`). A foreign value is any value whose class is not one of the
evaluator's own (:func:`.values.is_foreign`).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

# How the evaluator is about to use a foreign value: unpacking into names, an operand of a binary or
# unary operator, the container of ``x[...]``, a condition.
Use = Literal["unpack", "binary", "unary", "index", "bool"]


class Handler(Protocol):
    def import_module(self, dotted: str) -> Any:
        """The value ``import dotted`` binds (a :class:`.values.Module` for modules it does not model)."""
        ...

    def import_star(self, module: Any) -> None:
        """``from module import *``."""
        ...

    def undefined_name(self, name: str, line: int) -> Any | None:
        """The value of a name the code never defines, or None when it has none (the name is opaque)."""
        ...

    def attribute(self, obj: Any, attr: str, line: int) -> Any:
        """``obj.attr`` for a foreign value or a :class:`.values.Module`."""
        ...

    def assigned_attribute(self, attr: str, line: int) -> None:
        """The code assigns ``something.attr = ...`` (the evaluator stores nothing)."""
        ...

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        """A call of a foreign value (or of a method bound to one)."""
        ...

    def class_def(self, name: str, bases: list[Any], line: int) -> Any | None:
        """``class name(*bases): ...``: the value to bind the name to (None: an opaque value)."""
        ...

    def misuse(self, value: Any, use: Use, count: int = 0) -> str | None:
        """Why the foreign ``value`` cannot be used so (``count``: the names it unpacks into), or None."""
        ...

    def format_value(self, value: Any) -> Any:
        """The value an f-string formats in place of the foreign ``value`` (itself if none)."""
        ...

    def describe(self, value: Any) -> str | None:
        """How error messages name a foreign value, or None for a value that is not one of the handler's."""
        ...
