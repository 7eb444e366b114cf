"""The Python operators and builtins the evaluator applies to constants, and the limits it keeps."""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable
from typing import Any

MAX_STEPS = 200_000  # statements and loop iterations interpreted
MAX_CALL_DEPTH = 40  # nested calls of user functions
MAX_LEN = 100_000  # length of strings, lists, ranges built from constants
MAX_INT = 2**63

FORMAT_SPEC = re.compile(r"(.?[<>^=])?[+\- ]?#?0?\d{0,3}[,_]?(\.\d{1,3})?[bcdeEfFgGnosxX%]?")

# Builtins applied to constants (``print`` is a builtin too: it does nothing).
BUILTINS: dict[str, Callable[..., Any]] = {
    "range": range,
    "len": len,
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "abs": abs,
    "round": round,
    "min": min,
    "max": max,
    "sum": sum,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "sorted": sorted,
    "reversed": reversed,
    "enumerate": enumerate,
    "zip": zip,
}
BUILTINS_WITH_KEYWORDS = {"sorted", "round", "int", "max", "min", "enumerate", "zip"}

PY_BUILTINS = set(dir(builtins))

BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}

CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}

STR_METHODS = {"upper", "lower", "strip", "replace", "join", "split", "startswith", "endswith"}
