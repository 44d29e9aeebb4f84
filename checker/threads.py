"""The checks' share of the CPU: torch on one thread while a check runs.

A check's model calls are tiny (a few texts of the course model), and two threads on a CPU that anything
else uses mostly wait for each other: a 512-token call of the course model took 130 ms on one thread and
760 ms on two while one other process ran; section 10's training steps were eight times slower. The
learner's thread count comes back when the check ends.
"""

from __future__ import annotations

from contextlib import contextmanager

import torch


@contextmanager
def one_thread():
    threads = torch.get_num_threads()
    if threads != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
