"""The ``@model`` decorator: one definition, checked when computed, untouched when rendered.

A model function declares the :class:`~engine.domains.Domain` of each argument.  Called
with numbers or arrays, its arguments are checked first and a bad one raises an error that
names it; called with :class:`~engine.ops.Formula` values (a template being rendered), the
body runs as is and returns the formula.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
from contextlib import contextmanager

from .domains import Domain
from .ops import is_symbolic

__all__ = ["model", "unchecked"]

_CHECKING = contextvars.ContextVar("suanli_checking", default=True)


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


def model(**domains: Domain):
    """Decorate a model function with the domain of each of its arguments."""

    def decorate(fn):
        sig = inspect.signature(fn)
        unknown = set(domains) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{fn.__name__}: domains for unknown arguments {sorted(unknown)}")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not _CHECKING.get() or is_symbolic(*args, *kwargs.values()):
                return fn(*args, **kwargs)          # nothing to check: no need to bind
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            for name, domain in domains.items():
                values[name] = domain.check(name, values[name])
            return fn(**values)

        wrapper.domains = dict(domains)
        wrapper.signature = sig
        return wrapper

    return decorate
