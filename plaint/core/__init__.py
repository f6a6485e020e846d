"""Pieces with no domain knowledge: the clock, errors, reference numbers, testing helpers."""
