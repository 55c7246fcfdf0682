"""Benchmarks: the tool's cost against a bare Playwright script (see README.md)."""
