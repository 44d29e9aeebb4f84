"""What the course teaches, as code the notebooks import and learners may reuse.

- ``batching``: the reference batched inference (sorted, token-budgeted, exact).
- ``benchmark``: measuring padding and throughput of several ways to classify many texts.
- ``plots``: the figures of the notebooks.
- ``messages``: the library's own warnings, shown in the one cell where they teach.
"""
