"""The argument registry and the models' signatures: every model argument is in the registry once,
models only narrow its domains, and every argument and result is typed."""

from __future__ import annotations

import importlib
import math
import typing

import pytest

from engine import arguments
from engine import domains as D
from engine.arguments import ARGUMENTS
from engine.errors import InvalidValueError, UnknownNameError
from engine.model import model
from engine.ops import Text, Value

MODEL_MODULES = ("training", "inference", "memory", "growth", "market", "network", "power", "hbm",
                 "export_control", "compute", "checks")


def _models():
    for name in MODEL_MODULES:
        module = importlib.import_module(f"engine.{name}")
        for attr, f in vars(module).items():
            if hasattr(f, "domains") and f.__module__ == module.__name__:
                yield f"{name}.{attr}", f


MODELS = dict(_models())


def test_the_model_modules_have_models():
    assert len(MODELS) >= 70
    assert "training.train_flops" in MODELS and "checks.within" in MODELS


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_argument_has_a_registered_domain_the_model_may_only_narrow(name):
    f = MODELS[name]
    assert list(f.domains) == list(f.signature.parameters)
    for arg, domain in f.domains.items():
        entry = ARGUMENTS[arg]
        assert entry.domain is not None, (name, arg)
        assert domain.within(entry.domain), (name, arg, domain, entry.domain)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_is_typed(name):
    hints = typing.get_type_hints(MODELS[name])
    assert set(hints) == {*MODELS[name].signature.parameters, "return"}, name
    assert all(hints[a] == Value for a in MODELS[name].signature.parameters), name
    assert hints["return"] == (Text if name.startswith("export_control.export_class") else Value), name


def test_the_registry_entries_are_complete():
    for name, entry in ARGUMENTS.items():
        assert entry.name == name
        assert entry.description.strip() and entry.unit.strip(), name
        assert len(entry.description) < 255, name      # Excel's limit for an argument's help


def test_every_registered_numeric_argument_is_used_by_a_model():
    used = {a for f in MODELS.values() for a in f.signature.parameters}
    numeric = {n for n, e in ARGUMENTS.items() if e.domain is not None}
    assert numeric - used == set()


def test_the_kind_argument_lists_the_catalogue_kinds():
    from engine import catalogue
    assert all(k in ARGUMENTS["kind"].description for k in catalogue.KINDS)


def test_argument_lookup():
    assert arguments.argument("utilization").domain == D.POSITIVE_FRACTION
    with pytest.raises(UnknownNameError, match="unknown argument 'utilisation'"):
        arguments.argument("utilisation")


def test_a_model_takes_its_domains_from_the_registry():
    @model
    def f(params, utilization):
        return params * utilization

    assert f.domains == {"params": D.COUNT, "utilization": D.POSITIVE_FRACTION}
    with pytest.raises(InvalidValueError, match="utilization must be in"):
        f(1, 30)


def test_a_model_may_narrow_a_domain():
    @model(gpus=D.POSITIVE_WHOLE)
    def f(gpus):
        return gpus

    assert f.domains["gpus"] == D.POSITIVE_WHOLE
    with pytest.raises(InvalidValueError, match="gpus must be a whole number >= 1"):
        f(0.5)


def test_a_model_may_not_widen_a_domain_or_use_an_unregistered_name():
    with pytest.raises(TypeError, match="wider than engine.arguments"):
        @model(utilization=D.NONNEGATIVE)
        def f(utilization):
            return utilization
    with pytest.raises(TypeError, match="'utilisation' has no numeric entry"):
        @model
        def g(utilisation):
            return utilisation
    with pytest.raises(TypeError, match="no numeric entry"):
        @model
        def h(name):       # a text argument of the Excel functions, not a model's
            return name
    with pytest.raises(TypeError, match="unknown arguments"):
        @model(days=D.POSITIVE)
        def k(params):
            return params


@pytest.mark.parametrize("narrow, wide, expected", [
    (D.POSITIVE, D.NONNEGATIVE, True),
    (D.NONNEGATIVE, D.POSITIVE, False),
    (D.WHOLE, D.COUNT, True),
    (D.COUNT, D.WHOLE, False),
    (D.POSITIVE_WHOLE, D.WHOLE, True),
    (D.POSITIVE_FRACTION, D.FRACTION, True),
    (D.FRACTION, D.POSITIVE_FRACTION, False),
    (D.FRACTION, D.NONNEGATIVE, True),
    (D.NONNEGATIVE, D.FRACTION, False),
    (D.SWITCH, D.FRACTION, True),
    (D.FRACTION, D.SWITCH, False),
    (D.SWITCH, D.SWITCH, True),
    (D.RADIX, D.POSITIVE_WHOLE, True),
    (D.POSITIVE_WHOLE, D.RADIX, False),
    (D.PUE, D.POSITIVE, True),
    (D.RATE, D.ANY, True),
    (D.ANY, D.RATE, False),
    (D.Domain(low=0, high=math.inf), D.NONNEGATIVE, True),
])
def test_domain_within(narrow, wide, expected):
    assert narrow.within(wide) is expected
