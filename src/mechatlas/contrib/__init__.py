"""Contributor tools built on the pipeline: entry scaffolding, coverage, references to verify."""
