"""The embedded course model at run time: ``head.safetensors`` (trained by ``model_pipeline``) and
``build.py``, which lays it over the base encoder and writes a standard checkpoint folder."""
