"""Signing up, signing in, password reset and the person's own profile (language, name)."""
