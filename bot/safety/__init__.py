"""Deterministic safety checks that run before any model: crisis guard and redaction."""
