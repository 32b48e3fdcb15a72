"""Benchmarks of the atlas, as ratios measured in one run (python -m bench)."""
