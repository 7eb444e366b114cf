"""The values of the Python-subset evaluator that are not plain Python constants or containers.

Constants, lists, tuples and dicts are themselves. Everything else the evaluator makes is one of the
classes here: an :class:`Opaque` value (something not modelled: harmless until it is needed), a
:class:`Module` outside the handler's API, a user function, a method bound to a value, a builtin.
Values of any other class belong to the handler (see :mod:`.handler`) and are "foreign" here.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(eq=False)
class Opaque:
    """Something the importer does not model (the result of np.load(...), an undefined name...)."""

    label: str  # code-like: "numpy.load(...)", "x", "lambda"
    line: int
    skipped_call: bool = False
    why: str = "which the importer does not model"

    @property
    def what(self) -> str:
        return f"`{self.label}` (line {self.line}), {self.why}"


@dataclass(frozen=True)
class Module:
    """A module the handler does not model (numpy, os, tensorflow itself...) or one of its attributes."""

    path: str


class Scope:
    """The names of a module or of one call of a user function."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Any]:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return True, scope.vars[name]
            scope = scope.parent
        return False, None


NO_DEFAULT = object()  # a keyword-only parameter without a default


@dataclass(eq=False)
class UserFunc:
    node: ast.FunctionDef
    scope: Scope
    defaults: list[Any]
    kw_defaults: list[Any]


@dataclass(eq=False)
class Bound:
    """``obj.name`` where ``name`` is a method (of a list, dict or str, or of a handler's value)."""

    obj: Any
    name: str


@dataclass(frozen=True)
class Builtin:
    name: str


class Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class Break(Exception):
    pass


class Continue(Exception):
    pass


NATIVE = (type(None), bool, int, float, str, list, tuple, dict, slice, Opaque, Module, UserFunc, Bound, Builtin)


def is_foreign(value: Any) -> bool:
    """A value of the handler's (a tensor, a layer...), or a method bound to one."""
    if isinstance(value, Bound):
        return is_foreign(value.obj)
    return not isinstance(value, NATIVE)


def first_opaque(*values: Any) -> Opaque | None:
    """The opaque operand an expression depends on (so errors name the root cause)."""
    for v in values:
        if isinstance(v, Opaque):
            return v
        if isinstance(v, Module):
            return Opaque(v.path, 0, why="not model code")
    return None


def hashable(v: Any) -> bool:
    return (
        v is None or isinstance(v, bool | int | float | str) or (isinstance(v, tuple) and all(hashable(x) for x in v))
    )


def all_const(values: list[Any]) -> bool:
    for v in values:
        if v is None or isinstance(v, bool | int | float | str):
            continue
        if isinstance(v, list | tuple):
            if not all_const(list(v)):
                return False
            continue
        if isinstance(v, dict):
            if not all_const(list(v.keys())) or not all_const(list(v.values())):
                return False
            continue
        return False
    return True


def listify(v: Any) -> Any:
    if isinstance(v, tuple | list):
        return [listify(x) for x in v]
    if isinstance(v, dict):
        return {k: listify(x) for k, x in v.items()}
    return v


def _no_foreign_text(value: Any) -> str | None:
    return None


def describe(v: Any, foreign: Callable[[Any], str | None] = _no_foreign_text) -> str:
    """How an error message names a value; ``foreign`` names the handler's values (None: not one of its)."""
    text = foreign(v)
    if text is not None:
        return text
    if isinstance(v, Opaque):
        return v.what
    if isinstance(v, Module):
        return v.path
    if isinstance(v, UserFunc):
        return f"the function {v.node.name}"
    if isinstance(v, Builtin):
        return f"the builtin {v.name}"
    if isinstance(v, Bound):
        return f"the method `.{v.name}` of {describe(v.obj, foreign)}"
    if isinstance(v, Scope):
        return "scope"
    r = repr(v)
    return r if len(r) < 60 else r[:57] + "..."


def describe_callee(v: Any, foreign: Callable[[Any], str | None] = _no_foreign_text) -> str:
    if isinstance(v, Module):
        return v.path
    if isinstance(v, Opaque):
        return v.label.removesuffix("(...)")
    return describe(v, foreign)
