"""Runbooks for Gravitee Cloud."""
