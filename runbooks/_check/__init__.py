"""`runbook check`: nightly UI regression checks, to the brink and back (issue #11).

A check signs in, performs every documented step that only looks or
navigates, rehearses the first step that would change the portal (its dialog
opened, its gate proven, cancelled), rehearses or leaves out the rest, and
reports each step's drift. It never delivers or creates a secret.
"""
