"""Landsby: a Norwegian chat assistant for parents whose children live in foster care."""

__version__ = "0.1.0"
