"""An evaluator of a small, side-effect-free subset of Python, over a syntax tree that is never run.

It knows statements, expressions, names and scopes, user functions (interpreted in place), loops,
comprehensions, f-strings and the builtins in :mod:`.operators`, within the limits there
(``MAX_STEPS``, ``MAX_CALL_DEPTH``, ``MAX_LEN``, ``MAX_INT``). It knows no library: imports, undefined
names, attributes and calls of values that are not its own go to a :class:`.handler.Handler`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import Any

from ...errors import GraphImportError
from .diagnostics import Diagnostics
from .handler import Handler
from .operators import (
    BINOPS,
    BUILTINS,
    BUILTINS_WITH_KEYWORDS,
    CMPOPS,
    FORMAT_SPEC,
    MAX_CALL_DEPTH,
    MAX_INT,
    MAX_LEN,
    MAX_STEPS,
    PY_BUILTINS,
    STR_METHODS,
)
from .values import (
    NO_DEFAULT,
    Bound,
    Break,
    Builtin,
    Continue,
    Module,
    Opaque,
    Return,
    Scope,
    UserFunc,
    all_const,
    describe,
    describe_callee,
    first_opaque,
    hashable,
    is_foreign,
)


class Evaluator:
    def __init__(self, handler: Handler, diag: Diagnostics) -> None:
        self.handler = handler
        self.diag = diag
        self.steps = 0
        self.depth = 0
        self.called_funcs: set[int] = set()  # ids of the FunctionDef nodes the code calls
        self.globals = Scope()
        self.globals.vars["__name__"] = "__main__"

    # ------------------------------------------------------------------ helpers
    def fail(self, message: str, line: int | None = None) -> GraphImportError:
        return self.diag.fail(message, line)

    def describe(self, value: Any) -> str:
        return describe(value, self.handler.describe)

    def misuse(self, value: Any, use: Any, count: int = 0) -> str | None:
        return self.handler.misuse(value, use, count) if is_foreign(value) else None

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise self.fail(f"the code runs more than {MAX_STEPS:,} steps (a loop too long to import)")

    def check_len(self, n: int) -> None:
        if n > MAX_LEN:
            raise self.fail(f"a sequence longer than {MAX_LEN:,} items")

    def check_value(self, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise self.fail("a number too large to import")
        if isinstance(value, str | list | tuple):
            self.check_len(len(value))

    # ------------------------------------------------------------------ module
    def run_module(self, tree: ast.Module) -> None:
        try:
            self.exec_block(tree.body, self.globals)
        except Return:
            raise self.fail("`return` outside a function") from None
        except (Break, Continue):
            raise self.fail("`break` / `continue` outside a loop") from None

    # ------------------------------------------------------------------ statements
    def loop_body(self, body: list[ast.stmt], scope: Scope) -> bool:
        """Run one iteration of a loop body; False when it ``break``s (``continue`` ends it early)."""
        try:
            self.exec_block(body, scope)
        except Break:
            return False
        except Continue:
            pass
        return True

    def exec_block(self, stmts: Iterable[ast.stmt], scope: Scope) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: ast.stmt, scope: Scope) -> None:
        self.tick()
        self.diag.line = stmt.lineno
        try:
            self._exec_stmt(stmt, scope)
        except (GraphImportError, Return, Break, Continue, RecursionError):
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError) as exc:
            raise self.fail(f"cannot evaluate this statement: {type(exc).__name__}: {exc}"[:400], stmt.lineno) from None

    def _exec_stmt(self, stmt: ast.stmt, scope: Scope) -> None:
        if isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Call):
                value = self.ev(stmt.value, scope)
                if isinstance(value, Opaque) and value.skipped_call:
                    self.diag.note(f"skipped {value.label}: not model code (never run)", stmt.lineno)
            return  # docstrings, bare attribute reads (`lstm.output`)...
        if isinstance(stmt, ast.Assign):
            value = self.ev(stmt.value, scope)
            for target in stmt.targets:
                self.assign(target, value, scope)
            return
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.ev(stmt.value, scope), scope)
            return
        if isinstance(stmt, ast.AugAssign):
            load = _as_load(stmt.target)
            value = self.binop(stmt.op, self.ev(load, scope), self.ev(stmt.value, scope), stmt)
            self.assign(stmt.target, value, scope)
            return
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            self.do_import(stmt, scope)
            return
        if isinstance(stmt, ast.FunctionDef):
            defaults = [self.ev(d, scope) for d in stmt.args.defaults]
            kw_defaults = [NO_DEFAULT if d is None else self.ev(d, scope) for d in stmt.args.kw_defaults]
            scope.vars[stmt.name] = UserFunc(stmt, scope, defaults, kw_defaults)
            return
        if isinstance(stmt, ast.AsyncFunctionDef):
            scope.vars[stmt.name] = Opaque(f"the async function {stmt.name}", stmt.lineno)
            return
        if isinstance(stmt, ast.ClassDef):
            bases = [self.ev(base, scope) for base in stmt.bases]
            bound = self.handler.class_def(stmt.name, bases, stmt.lineno)
            scope.vars[stmt.name] = bound if bound is not None else Opaque(f"the class {stmt.name}", stmt.lineno)
            return
        if isinstance(stmt, ast.If):
            branch = stmt.body if self.truth(self.ev(stmt.test, scope), stmt.test) else stmt.orelse
            self.exec_block(branch, scope)
            return
        if isinstance(stmt, ast.For):
            items = self.iterate(self.ev(stmt.iter, scope), stmt.iter)
            for item in items:
                self.tick()
                self.assign(stmt.target, item, scope)
                if not self.loop_body(stmt.body, scope):
                    return
            self.exec_block(stmt.orelse, scope)
            return
        if isinstance(stmt, ast.While):
            while self.truth(self.ev(stmt.test, scope), stmt.test):
                self.tick()
                if not self.loop_body(stmt.body, scope):
                    return
            self.exec_block(stmt.orelse, scope)
            return
        if isinstance(stmt, ast.Return):
            raise Return(None if stmt.value is None else self.ev(stmt.value, scope))
        if isinstance(stmt, ast.Break):
            raise Break()
        if isinstance(stmt, ast.Continue):
            raise Continue()
        if isinstance(stmt, ast.Pass | ast.Assert | ast.Global | ast.Nonlocal):
            return
        if isinstance(stmt, ast.Delete):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    scope.vars.pop(t.id, None)
            return
        if isinstance(stmt, ast.With):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, Opaque("a `with` context", stmt.lineno), scope)
            self.exec_block(stmt.body, scope)
            return
        if isinstance(stmt, ast.Try):
            self.exec_block(stmt.body, scope)
            self.exec_block(stmt.orelse, scope)
            self.exec_block(stmt.finalbody, scope)
            return
        if isinstance(stmt, ast.Raise):
            raise self.fail("the code raises an exception here (`raise`), so it builds no model along this path")
        raise self.fail(f"`{type(stmt).__name__}` statements are not supported by the importer")

    def assign(self, target: ast.expr, value: Any, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.vars[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            refused = self.misuse(value, "unpack", len(target.elts))
            if refused:
                raise self.fail(refused)
            items = self.iterate(value, target)
            starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
            if starred:
                i = starred[0]
                after = len(target.elts) - i - 1
                if len(items) < len(target.elts) - 1:
                    raise self.fail(f"not enough values to unpack (expected at least {len(target.elts) - 1})")
                parts = items[:i] + [list(items[i : len(items) - after])] + items[len(items) - after :]
                for elt, v in zip(target.elts, parts):
                    self.assign(elt.value if isinstance(elt, ast.Starred) else elt, v, scope)
                return
            if len(items) != len(target.elts):
                raise self.fail(f"cannot unpack {len(items)} values into {len(target.elts)} names")
            for elt, v in zip(target.elts, items):
                self.assign(elt, v, scope)
        elif isinstance(target, ast.Subscript):
            container = self.ev(target.value, scope)
            key = self.ev(target.slice, scope)
            if isinstance(container, dict) and hashable(key):
                container[key] = value
            elif isinstance(container, list) and isinstance(key, int) and not isinstance(key, bool):
                container[key] = value
            # other item assignments (numpy arrays...) do not build the model
        elif isinstance(target, ast.Attribute):
            self.handler.assigned_attribute(target.attr, self.diag.line)  # self.x = ... stores nothing
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, scope)
        else:
            raise self.fail(f"cannot assign to a {type(target).__name__}")

    def do_import(self, stmt: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    scope.vars[alias.asname] = self.handler.import_module(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    scope.vars[top] = self.handler.import_module(top)
            return
        module = stmt.module or ""
        if stmt.level:
            for alias in stmt.names:
                scope.vars[alias.asname or alias.name] = Opaque(f"the relative import {alias.name}", stmt.lineno)
            return
        base = self.handler.import_module(module)
        for alias in stmt.names:
            if alias.name == "*":
                self.handler.import_star(base)
                continue
            scope.vars[alias.asname or alias.name] = self.handler.attribute(base, alias.name, stmt.lineno)

    # ------------------------------------------------------------------ expressions
    def ev(self, node: ast.expr, scope: Scope) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node.id, scope, node)
        if isinstance(node, ast.Attribute):
            return self.get_attr(self.ev(node.value, scope), node.attr, node)
        if isinstance(node, ast.Call):
            return self.ev_call(node, scope)
        if isinstance(node, ast.List | ast.Tuple):
            items: list[Any] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    items.extend(self.iterate(self.ev(elt.value, scope), elt))
                else:
                    items.append(self.ev(elt, scope))
            self.check_len(len(items))
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict):
            out: dict[Any, Any] = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    extra = self.ev(v, scope)
                    if isinstance(extra, dict):
                        out.update(extra)
                    else:
                        raise self.fail("`**` on something that is not a dict")
                    continue
                key = self.ev(k, scope)
                if not hashable(key):
                    raise self.fail("dict keys must be constants")
                out[key] = self.ev(v, scope)
            return out
        if isinstance(node, ast.BinOp):
            return self.binop(node.op, self.ev(node.left, scope), self.ev(node.right, scope), node)
        if isinstance(node, ast.UnaryOp):
            return self.unaryop(node, self.ev(node.operand, scope))
        if isinstance(node, ast.BoolOp):
            value: Any = None
            for v in node.values:
                value = self.ev(v, scope)
                t = self.truth(value, v)
                if isinstance(node.op, ast.And) and not t:
                    return value
                if isinstance(node.op, ast.Or) and t:
                    return value
            return value
        if isinstance(node, ast.Compare):
            return self.compare(node, scope)
        if isinstance(node, ast.Subscript):
            return self.subscript(self.ev(node.value, scope), self.ev(node.slice, scope), node)
        if isinstance(node, ast.Slice):
            parts = [None if p is None else self.ev(p, scope) for p in (node.lower, node.upper, node.step)]
            if not all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
                return Opaque("a slice", node.lineno)
            return slice(*parts)
        if isinstance(node, ast.IfExp):
            return self.ev(node.body if self.truth(self.ev(node.test, scope), node.test) else node.orelse, scope)
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node, scope)
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self.comprehension(node, scope)
        if isinstance(node, ast.DictComp):
            return dict(self.comprehension(node, scope))
        if isinstance(node, ast.NamedExpr):
            value = self.ev(node.value, scope)
            self.assign(node.target, value, scope)
            return value
        if isinstance(node, ast.Lambda):
            return Opaque("a lambda", node.lineno)
        if isinstance(node, ast.Set):
            return Opaque("a set", node.lineno)
        raise self.fail(f"`{type(node).__name__}` expressions are not supported by the importer", node.lineno)

    def lookup(self, name: str, scope: Scope, node: ast.expr) -> Any:
        found, value = scope.lookup(name)
        if found:
            return value
        if name in BUILTINS or name == "print":
            return Builtin(name)
        if name in PY_BUILTINS:
            return Opaque(name, node.lineno, why="a Python builtin the importer does not run")
        implicit = self.handler.undefined_name(name, node.lineno)
        if implicit is not None:
            return implicit
        return Opaque(name, node.lineno, why="which is not defined in this file")

    def get_attr(self, obj: Any, attr: str, node: ast.expr) -> Any:
        if isinstance(obj, list | dict | str):
            return Bound(obj, attr)
        if isinstance(obj, Opaque):
            return Opaque(f"{obj.label}.{attr}", node.lineno, why=obj.why)
        if isinstance(obj, Module) or is_foreign(obj):
            return self.handler.attribute(obj, attr, node.lineno)
        return Opaque(f".{attr}", node.lineno)

    def ev_call(self, node: ast.Call, scope: Scope) -> Any:
        func = self.ev(node.func, scope)
        args: list[Any] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                args.extend(self.iterate(self.ev(a.value, scope), a))
            else:
                args.append(self.ev(a, scope))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                extra = self.ev(kw.value, scope)
                if not isinstance(extra, dict) or not all(isinstance(k, str) for k in extra):
                    if isinstance(func, Opaque | Module):
                        return Opaque(f"{describe_callee(func)}(...)", node.lineno, True, "not model code")
                    raise self.fail("`**` on something that is not a dict of keyword arguments", node.lineno)
                kwargs.update(extra)
            else:
                kwargs[kw.arg] = self.ev(kw.value, scope)
        self.diag.line = node.lineno
        return self.call(func, args, kwargs, node.lineno)

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        if isinstance(func, UserFunc):
            self.called_funcs.add(id(func.node))
            return self.invoke(func, args, kwargs, line)
        if is_foreign(func):
            return self.handler.call(func, args, kwargs, line)
        if isinstance(func, Bound):
            return self.method(func, args, kwargs, line)
        if isinstance(func, Builtin):
            return self.builtin(func.name, args, kwargs, line)
        if isinstance(func, Module | Opaque):
            return Opaque(f"{describe_callee(func)}(...)", line, True, "not model code")
        raise self.fail(f"{self.describe(func)} is not callable", line)

    # ------------------------------------------------------------------ methods of lists, dicts, strings
    def method(self, bound: Bound, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        obj, name = bound.obj, bound.name
        if isinstance(obj, list):
            if name == "append" and len(args) == 1:
                self.check_len(len(obj) + 1)
                obj.append(args[0])
                return None
            if name == "extend" and len(args) == 1:
                items = self.iterate(args[0], None)
                self.check_len(len(obj) + len(items))
                obj.extend(items)
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.insert(args[0], args[1])
                return None
            if name == "pop" and len(args) <= 1:
                return obj.pop(*args)
            if name in ("index", "count") and len(args) == 1:
                return getattr(obj, name)(args[0])
        if isinstance(obj, dict):
            if name in ("keys", "values", "items") and not args:
                return list(getattr(obj, name)())
            if name == "get" and 1 <= len(args) <= 2 and hashable(args[0]):
                return obj.get(*args)
            if name == "update" and len(args) <= 1:
                obj.update(*args, **kwargs)
                return None
        if isinstance(obj, str) and all_const(args) and not kwargs:
            if name in ("format",):
                return Opaque("str.format(...)", line)
            if name in STR_METHODS:
                if name == "join":
                    items = self.iterate(args[0], None) if args else []
                    if not all(isinstance(i, str) for i in items):
                        return Opaque("str.join(...)", line)
                    result = obj.join(items)
                else:
                    result = getattr(obj, name)(*args)
                if isinstance(result, str):
                    self.check_len(len(result))
                return result
        return Opaque(f"the method .{name}(...)", line)

    # ------------------------------------------------------------------ user functions
    def invoke(self, func: UserFunc, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        """Interpret the body of a user function (in place, never run) with these arguments."""
        fn = func.node
        if self.depth >= MAX_CALL_DEPTH:
            raise self.fail(f"functions call each other more than {MAX_CALL_DEPTH} levels deep", line)
        local = self.bind_arguments(func, args, kwargs, line)
        self.depth += 1
        saved = self.diag.line
        try:
            self.exec_block(fn.body, local)
        except Return as ret:
            return ret.value
        finally:
            self.depth -= 1
            self.diag.line = saved
        return None

    def bind_arguments(self, func: UserFunc, args: list[Any], kwargs: dict[str, Any], line: int) -> Scope:
        fn = func.node
        a = fn.args
        local = Scope(func.scope)
        positional = [p.arg for p in a.posonlyargs + a.args]
        n_required = len(positional) - len(func.defaults)
        kw = dict(kwargs)
        for i, pname in enumerate(positional):
            if i < len(args):
                if pname in kw:
                    raise self.fail(f"{fn.name}() got multiple values for argument '{pname}'", line)
                local.vars[pname] = args[i]
            elif pname in kw:
                local.vars[pname] = kw.pop(pname)
            elif i >= n_required:
                local.vars[pname] = func.defaults[i - n_required]
            else:
                raise self.fail(f"{fn.name}() missing required argument '{pname}'", line)
        extra = args[len(positional) :]
        if a.vararg is not None:
            local.vars[a.vararg.arg] = tuple(extra)
        elif extra:
            raise self.fail(
                f"{fn.name}() takes {len(positional)} positional arguments but {len(args)} were given", line
            )
        for p, default in zip(a.kwonlyargs, func.kw_defaults):
            if p.arg in kw:
                local.vars[p.arg] = kw.pop(p.arg)
            elif default is not NO_DEFAULT:
                local.vars[p.arg] = default
            else:
                raise self.fail(f"{fn.name}() missing keyword argument '{p.arg}'", line)
        if a.kwarg is not None:
            local.vars[a.kwarg.arg] = kw
        elif kw:
            raise self.fail(f"{fn.name}() got unexpected keyword arguments: {', '.join(sorted(kw))}", line)
        return local

    # ------------------------------------------------------------------ constants
    def builtin(self, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        if name == "print":
            return None
        if kwargs and name not in BUILTINS_WITH_KEYWORDS:
            return Opaque(f"{name}(...)", line)
        if name == "range":
            if not args or not all(isinstance(a, int) and not isinstance(a, bool) for a in args) or len(args) > 3:
                return Opaque("range(...)", line)
            r = range(*args)
            self.check_len(len(r))
            return list(r)
        if name in ("list", "tuple"):
            items = self.iterate(args[0], None) if args else []
            return list(items) if name == "list" else tuple(items)
        if name == "len":
            if len(args) == 1 and isinstance(args[0], list | tuple | dict | str):
                return len(args[0])
            return Opaque("len(...)", line)
        if name == "enumerate":
            start = kwargs.get("start", args[1] if len(args) > 1 else 0)
            return [(i + start, v) for i, v in enumerate(self.iterate(args[0], None))]
        if name == "zip":
            lists = [self.iterate(a, None) for a in args]
            return [tuple(t) for t in zip(*lists)]
        if name == "reversed":
            return list(reversed(self.iterate(args[0], None)))
        if name == "dict":
            if not args:
                return dict(kwargs)
            return Opaque("dict(...)", line)
        if not all_const(args) or not all_const(list(kwargs.values())):
            return Opaque(f"{name}(...)", line)
        if name == "str" and not all(isinstance(a, int | float | str | bool) or a is None for a in args):
            return Opaque("str(...)", line)
        try:
            result = BUILTINS[name](*args, **kwargs)
        except (TypeError, ValueError, OverflowError) as exc:
            raise self.fail(f"{name}(...): {exc}", line) from None
        self.check_value(result)
        return result

    def binop(self, op: ast.operator, a: Any, b: Any, node: ast.AST) -> Any:
        line = getattr(node, "lineno", self.diag.line)
        refused = self.misuse(a, "binary") or self.misuse(b, "binary")
        if refused:
            raise self.fail(refused, line)
        seqs = (str, list, tuple)
        if isinstance(op, ast.Add) and isinstance(a, list | tuple) and type(a) is type(b):
            self.check_len(len(a) + len(b))
            return a + b  # lists of tensors too: inputs = [x1, x2] + extra
        if isinstance(op, ast.Mult) and (isinstance(a, seqs) or isinstance(b, seqs)):
            n, seq = (b, a) if isinstance(a, seqs) else (a, b)
            if not isinstance(n, int) or isinstance(n, bool):
                return Opaque("an expression", line)
            self.check_len(len(seq) * max(n, 0))
            return seq * n
        if not all_const([a, b]):
            return first_opaque(a, b) or Opaque("an expression", line)
        if isinstance(op, ast.Pow) and (
            isinstance(b, int | float) and abs(b) > 64 or isinstance(a, int | float) and abs(a) > MAX_INT
        ):
            raise self.fail("a number too large to import", line)
        if isinstance(op, ast.Mod) and isinstance(a, str) and re.search(r"%[^a-zA-Z%]*\d{4,}", a):
            raise self.fail("a format width too large to import", line)
        fn = BINOPS.get(type(op))
        if fn is None:
            return Opaque("an expression", line)
        try:
            result = fn(a, b)
        except ZeroDivisionError:
            raise self.fail("division by zero", line) from None
        self.check_value(result)
        return result

    def unaryop(self, node: ast.UnaryOp, v: Any) -> Any:
        if isinstance(node.op, ast.Not):
            return not self.truth(v, node.operand)
        refused = self.misuse(v, "unary")
        if refused:
            raise self.fail(refused, node.lineno)
        if isinstance(v, int | float) and not isinstance(v, bool) or isinstance(v, bool):
            if isinstance(node.op, ast.USub):
                return -v
            if isinstance(node.op, ast.UAdd):
                return +v
            if isinstance(node.op, ast.Invert) and isinstance(v, int):
                return ~v
        return Opaque("an expression", node.lineno)

    def compare(self, node: ast.Compare, scope: Scope) -> Any:
        left = self.ev(node.left, scope)
        for op, comp in zip(node.ops, node.comparators):
            right = self.ev(comp, scope)
            if isinstance(op, ast.Is | ast.IsNot):
                if not (left is None or right is None or isinstance(left, bool) or isinstance(right, bool)):
                    if not all_const([left, right]):
                        return first_opaque(left, right) or Opaque("a comparison", node.lineno)
                result = (left is right) if isinstance(op, ast.Is) else (left is not right)
            else:
                if not all_const([left, right]):
                    return first_opaque(left, right) or Opaque("a comparison", node.lineno)
                fn = CMPOPS[type(op)]
                try:
                    result = fn(left, right)
                except TypeError as exc:
                    raise self.fail(f"cannot compare: {exc}", node.lineno) from None
            if not result:
                return False
            left = right
        return True

    def subscript(self, container: Any, key: Any, node: ast.Subscript) -> Any:
        refused = self.misuse(container, "index")
        if refused:
            raise self.fail(refused, node.lineno)
        if isinstance(container, list | tuple | str) and (
            isinstance(key, int) and not isinstance(key, bool) or isinstance(key, slice)
        ):
            try:
                return container[key]
            except IndexError:
                raise self.fail("index out of range", node.lineno) from None
        if isinstance(container, dict) and hashable(key):
            if key not in container:
                raise self.fail(f"key {key!r} not found", node.lineno)
            return container[key]
        return first_opaque(container, key) or Opaque("an item of a container", node.lineno)

    def fstring(self, node: ast.JoinedStr, scope: Scope) -> Any:
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
                continue
            assert isinstance(v, ast.FormattedValue)
            value = self.ev(v.value, scope)
            if is_foreign(value):
                value = self.handler.format_value(value)
            if not (value is None or isinstance(value, int | float | str | bool)):
                return Opaque("an f-string", node.lineno)
            spec = ""
            if v.format_spec is not None:
                s = self.fstring(v.format_spec, scope)
                if not isinstance(s, str) or not FORMAT_SPEC.fullmatch(s):
                    raise self.fail("an f-string format spec the importer does not support", node.lineno)
                spec = s
            if v.conversion == ord("r"):
                value = repr(value)
            elif v.conversion in (ord("s"), ord("a")):
                value = str(value) if v.conversion == ord("s") else ascii(value)
            parts.append(format(value, spec))
        result = "".join(parts)
        self.check_len(len(result))
        return result

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp, scope: Scope) -> Any:
        local = Scope(scope)
        out: list[Any] = []

        def loop(i: int) -> None:
            if i == len(node.generators):
                self.tick()
                if isinstance(node, ast.DictComp):
                    out.append((self.ev(node.key, local), self.ev(node.value, local)))
                else:
                    out.append(self.ev(node.elt, local))
                self.check_len(len(out))
                return
            gen = node.generators[i]
            for item in self.iterate(self.ev(gen.iter, local), gen.iter):
                self.assign(gen.target, item, local)
                if all(self.truth(self.ev(c, local), c) for c in gen.ifs):
                    loop(i + 1)

        loop(0)
        return out

    def truth(self, value: Any, node: ast.AST) -> bool:
        if value is None or isinstance(value, bool | int | float | str | list | tuple | dict):
            return bool(value)
        refused = self.misuse(value, "bool")
        if refused:
            raise self.fail(refused, getattr(node, "lineno", None))
        opaque = first_opaque(value)
        if opaque is not None:
            raise self.fail(
                f"this condition depends on `{opaque.label}`, which the importer cannot evaluate without running "
                "the code",
                getattr(node, "lineno", None),
            )
        return True

    def iterate(self, value: Any, node: ast.AST | None) -> list[Any]:
        if isinstance(value, list | tuple):
            return list(value)
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, str):
            return list(value)
        line = getattr(node, "lineno", None) if node is not None else None
        opaque = first_opaque(value)
        if opaque is not None:
            raise self.fail(f"cannot loop over `{opaque.label}` without running the code", line)
        raise self.fail(f"cannot iterate over {self.describe(value)}", line)


def _as_load(target: ast.expr) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)
    if isinstance(target, ast.Subscript):
        return ast.copy_location(ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load()), target)
    if isinstance(target, ast.Attribute):
        return ast.copy_location(ast.Attribute(value=target.value, attr=target.attr, ctx=ast.Load()), target)
    return target
