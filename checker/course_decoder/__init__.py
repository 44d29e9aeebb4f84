"""The embedded course decoder at run time: a small GPT-2 (``decoder.safetensors``, ``config.json``) and its
byte-level BPE tokenizer (``tokenizer.json``, ``tokenizer_config.json``), all written by
``python -m model_pipeline train-decoder``, and ``build.py``, which writes a standard checkpoint folder."""
