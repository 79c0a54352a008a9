"""Benchmarks: one command each, printing figures (never run by `make test`)."""
