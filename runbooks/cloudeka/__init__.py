"""Runbooks for Cloudeka Service Portal AI."""
