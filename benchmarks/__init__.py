"""Benchmarks of exitledger: scripts that print ratios against baselines measured in the same run.

Run ``.venv/bin/python -m benchmarks.run`` (``--help`` for the options). Nothing here is a test:
no assertion fails a run; each row says whether its target was met.
"""
