"""Offline evaluations: retrieval quality against the gold set, and build/search benchmarks."""
