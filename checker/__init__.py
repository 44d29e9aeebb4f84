"""Feedback for the course "Handling multiple sequences": the model loaders and the exercise checks."""

from .model import CheckpointUnavailable, Loaded, load_decoder, load_model

__all__ = ["CheckpointUnavailable", "Loaded", "load_decoder", "load_model"]
