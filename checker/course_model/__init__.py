"""The embedded course model: a MiniLM-L6 sentiment classifier that the course builds offline.

- ``data/``: the labelled sentences written for the course (train and held-out).
- ``train.py``: the seeded script that trains ``head.safetensors`` from them.
- ``build.py``: assembles base encoder + trained head into a standard checkpoint folder.
- ``evaluate.py``: held-out accuracy.
"""
