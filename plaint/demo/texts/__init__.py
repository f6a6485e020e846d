"""The demo texts, one module per language."""
