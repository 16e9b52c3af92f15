"""Hostile and damaged workbooks for the refresh tests, made at test time (nothing binary is kept)."""
