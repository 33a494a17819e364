"""Reproducible NLU benchmarks (app environment; they drive the engine environment)."""
