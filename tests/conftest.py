"""Shared test set-up: deterministic, deadline-free hypothesis runs (CI machines are shared)."""

from hypothesis import settings

settings.register_profile("suanli", deadline=None, max_examples=150, derandomize=True)
settings.load_profile("suanli")
