"""The ``@model`` decorator: one definition, checked when computed, untouched when rendered.

Each argument of a model function takes its :class:`~engine.domains.Domain` from the argument
registry (:mod:`engine.arguments`) by its name; ``@model(days=POSITIVE)`` narrows one where the
model needs it.  Called with numbers or arrays, a model checks its arguments first and a bad
one raises an error that names it; called with :class:`~engine.ops.Formula` values (a template
being rendered), the body runs as is and returns the formula.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, TypeVar, overload

from .arguments import ARGUMENTS
from .cellvalue import DIV0, DIVISION_BY_ZERO, ErrorValue, Undefined, is_division_by_zero
from .domains import Domain
from .ops import is_symbolic

__all__ = ["model", "unchecked"]

_CHECKING = contextvars.ContextVar("suanli_checking", default=True)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def unchecked():
    """Skip argument checks inside the block.

    The exhibit evaluator uses it: scenario inputs are checked once against their bounds
    before evaluation, so the models need not check each intermediate array again.
    """
    token = _CHECKING.set(False)
    try:
        yield
    finally:
        _CHECKING.reset(token)


@overload
def model(fn: F, /) -> F: ...


@overload
def model(fn: None = None, /, **narrower: Domain) -> Callable[[F], F]: ...


def model(fn: F | None = None, /, *, undefined: str | None = None, **narrower: Domain) -> F | Callable[[F], F]:
    """Decorate a model function: ``@model``, or ``@model(name=DOMAIN, ...)`` to narrow a domain.

    Every argument must be in :data:`engine.arguments.ARGUMENTS` with a domain; a domain given
    here must lie within the registry's (a model may narrow what a name accepts, never widen it).
    ``undefined`` says in words what a division by zero in the body means ("CAGR from a zero
    start is undefined"): a ``#DIV/0!`` that arises in the body (an :class:`~engine.cellvalue.ErrorValue`,
    or on arrays the error numpy raises) says that text instead, which the exhibit evaluator shows
    beside the cell's ``#DIV/0!``.
    The wrapper carries ``domains`` (name -> Domain, every argument) and ``signature``.
    """

    def decorate(fn: F) -> F:
        sig = inspect.signature(fn)
        unknown = set(narrower) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{fn.__name__}: domains for unknown arguments {sorted(unknown)}")
        domains = {name: _domain(fn.__name__, name, narrower.get(name)) for name in sig.parameters}
        body = fn if undefined is None else _saying(fn, undefined)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not _CHECKING.get() or is_symbolic(*args, *kwargs.values()):
                return body(*args, **kwargs)        # nothing to check: no need to bind
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            for name, domain in domains.items():
                values[name] = domain.check(name, values[name])
            return body(**values)

        wrapper.domains = domains
        wrapper.signature = sig
        return wrapper  # type: ignore[return-value]

    return decorate if fn is None else decorate(fn)


def _saying(fn: Callable, why: str) -> Callable:
    """``fn``, whose division errors say ``why``."""

    def body(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except ArithmeticError as exc:
            if isinstance(exc, Undefined) or not is_division_by_zero(exc):
                raise
            raise Undefined(why) from None
        arose_here = isinstance(result, ErrorValue) and result.excel == DIV0 and result.why == DIVISION_BY_ZERO \
            and all(a is not result for a in (*args, *kwargs.values()))
        return ErrorValue(DIV0, why) if arose_here else result

    return body


def _domain(model_name: str, name: str, narrower: Domain | None) -> Domain:
    """The domain of argument ``name``: the registry's, or the narrower one the model gives."""
    arg = ARGUMENTS.get(name)
    if arg is None or arg.domain is None:
        raise TypeError(f"{model_name}: argument {name!r} has no numeric entry in engine.arguments; add one there")
    if narrower is None:
        return arg.domain
    if not narrower.within(arg.domain):
        raise TypeError(f"{model_name}: the domain given for {name!r} ({narrower.describe()}) is wider than "
                        f"engine.arguments' ({arg.domain.describe()})")
    return narrower
