"""The embedded course decoder: a standard, small GPT-2 checkpoint with GPT-2's tokenizer conventions,
built reproducibly, on which the batched-generation lesson holds: left padding with the attention
mask and position ids that skip the pads gives every prompt exactly its own greedy continuation,
right padding does not."""

from __future__ import annotations

import json
import time

import pytest
import torch

from checker import CheckpointUnavailable, config, load_decoder
from checker import model as model_module
from checker.course_decoder import build

# Course sentences cut after a few words (and the notebook's short prompts): 2 to 11 tokens.
PROMPTS = [
    "The food was",
    "This film",
    "An absolute joy from start",
    "Not bad at all,",
    "The cast has wonderful",
    "Gorgeous cinematography and a moving",
    "Best thriller I've seen",
    "Ten out of ten, would rewatch",
]
NEW_TOKENS = 12


@pytest.fixture(scope="module")
def decoder():
    return load_decoder(config.COURSE_MODEL, "cpu")


@pytest.fixture(scope="module")
def tokenizer():
    """A tokenizer of its own (the loaded one is shared), given GPT-2's usual pad token: eos."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(build.ensure_built()))
    tok.pad_token = tok.eos_token
    return tok


def greedy(
    model,
    ids: torch.Tensor,
    mask: torch.Tensor,
    positions: torch.Tensor | None,
    steps: int = NEW_TOKENS,
):
    """Greedy decoding written out: each step reads the whole sequence and appends the argmax token.

    ``positions`` continue from each row's last one; ``None`` lets the model number the columns 0, 1, ...
    """
    new = []
    with torch.inference_mode():
        for _ in range(steps):
            logits = model(input_ids=ids, attention_mask=mask, position_ids=positions).logits[:, -1]
            token = logits.argmax(-1, keepdim=True)
            new.append(token)
            ids, mask = torch.cat([ids, token], 1), torch.cat([mask, torch.ones_like(token)], 1)
            if positions is not None:
                positions = torch.cat([positions, positions[:, -1:] + 1], 1)
    return torch.cat(new, 1)


def alone(model, tokenizer, prompt: str) -> torch.Tensor:
    enc = tokenizer(prompt, return_tensors="pt")
    return greedy(model, enc["input_ids"], enc["attention_mask"], None)[0]


def real_token_positions(mask: torch.Tensor) -> torch.Tensor:
    """0, 1, 2, ... over the real tokens, 0 on the pads: what ``generate`` derives from the mask."""
    return (mask.cumsum(-1) - 1).clamp(min=0)


def test_assembled_folder_loads_with_nothing_missing_or_new():
    from transformers import AutoModelForCausalLM, GPT2LMHeadModel

    model, info = AutoModelForCausalLM.from_pretrained(
        str(build.ensure_built()), output_loading_info=True
    )
    assert {k: v for k, v in info.items() if v} == {}
    assert isinstance(model, GPT2LMHeadModel) and model.dtype == torch.float32
    assert model.lm_head.weight.data_ptr() == model.transformer.wte.weight.data_ptr(), (
        "embeddings are not tied"
    )


def test_committed_weights_are_one_small_float16_file():
    from safetensors.torch import load_file

    assert build.WEIGHTS_FILE.stat().st_size <= 10 * 1024 * 1024
    tensors = load_file(str(build.WEIGHTS_FILE))
    assert {t.dtype for t in tensors.values()} == {torch.float16}
    assert "lm_head.weight" not in tensors, "the output embedding is tied; it is not stored twice"
    binaries = [
        p.name
        for p in config.COURSE_DECODER_DIR.iterdir()
        if p.is_file() and p.suffix not in {".py", ".json"}
    ]
    assert binaries == [build.WEIGHTS_FILE.name]


def test_tokenizer_is_gpt2s_kind_with_no_pad_token(decoder):
    from transformers import GPT2TokenizerFast

    tok = decoder.tokenizer
    assert isinstance(tok, GPT2TokenizerFast) and tok.is_fast
    assert tok.pad_token is None and tok.pad_token_id is None
    assert tok.eos_token == tok.bos_token == tok.unk_token == "<|endoftext|>"
    assert tok.all_special_tokens == ["<|endoftext|>"]
    assert (
        tok.eos_token_id == decoder.model.config.eos_token_id == decoder.model.config.bos_token_id
    )
    assert len(tok) == decoder.model.config.vocab_size
    ids = tok("The food was")["input_ids"]
    assert tok.eos_token_id not in ids and tok.decode(ids) == "The food was", (
        "GPT-2 adds no special tokens itself"
    )


def test_tokenizer_training_reproduces_the_committed_files(tmp_path):
    from model_pipeline import train_decoder

    train_decoder.train_tokenizer(train_decoder.texts()).save_pretrained(str(tmp_path))
    for committed in build.TOKENIZER_FILES:
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), committed.name


def test_model_training_is_seeded(monkeypatch):
    """Two short trainings on a few sentences give bit-identical weights (the recipe's, shortened)."""
    from model_pipeline import train_decoder

    monkeypatch.setattr(train_decoder, "WARMUP_STEPS", 2)
    tokenizer = train_decoder.train_tokenizer(train_decoder.texts())
    corpus = train_decoder.texts()[:40]
    first, second = (
        train_decoder.train_model(tokenizer, corpus, epochs=1).state_dict() for _ in range(2)
    )
    assert all(torch.equal(first[name], second[name]) for name in first)


def test_committed_config_is_the_training_recipe():
    from model_pipeline import train_decoder as recipe

    cfg = json.loads(build.CONFIG_FILE.read_text())
    assert (
        cfg["n_layer"],
        cfg["n_embd"],
        cfg["n_head"],
        cfg["n_positions"],
        cfg["vocab_size"],
    ) == (recipe.N_LAYER, recipe.N_EMBD, recipe.N_HEAD, recipe.N_POSITIONS, recipe.VOCAB_SIZE)
    assert cfg["tie_word_embeddings"] and cfg.get("pad_token_id") is None


def test_build_is_quick_cached_and_keyed_by_its_inputs(tmp_path, monkeypatch):
    import transformers  # noqa: F401  (the import is not the build's time)

    monkeypatch.setenv("COURSE_CACHE", str(tmp_path))
    started = time.perf_counter()
    first = build.ensure_built()
    assert time.perf_counter() - started < 10
    mtime = (first / build.MARKER).stat().st_mtime_ns
    assert build.ensure_built() == first and (first / build.MARKER).stat().st_mtime_ns == mtime
    changed = tmp_path / "tokenizer_config.json"
    changed.write_text(
        build.TOKENIZER_FILES[1].read_text().replace('"errors": "replace"', '"errors": "strict"')
    )
    monkeypatch.setattr(build, "TOKENIZER_FILES", (build.TOKENIZER_FILES[0], changed))
    assert build.fingerprint() not in first.name


def test_two_builds_give_bit_identical_greedy_generations(tmp_path, monkeypatch, tokenizer):
    from transformers import AutoModelForCausalLM

    runs = []
    for cache in ("a", "b"):
        monkeypatch.setenv("COURSE_CACHE", str(tmp_path / cache))
        model = AutoModelForCausalLM.from_pretrained(str(build.ensure_built())).eval()
        batch = tokenizer(PROMPTS, padding=True, padding_side="left", return_tensors="pt")
        with torch.inference_mode():
            runs.append(
                model.generate(
                    **batch,
                    max_new_tokens=NEW_TOKENS,
                    do_sample=False,
                    pad_token_id=tokenizer.eos_token_id,
                )
            )
    assert runs[0].shape[1] > batch["input_ids"].shape[1]
    assert torch.equal(runs[0], runs[1])


def test_greedy_generation_is_deterministic(decoder, tokenizer):
    batch = tokenizer(PROMPTS, padding=True, padding_side="left", return_tensors="pt")
    with torch.inference_mode():
        first, second = (
            decoder.model.generate(
                **batch,
                max_new_tokens=NEW_TOKENS,
                do_sample=False,
                pad_token_id=tokenizer.eos_token_id,
            )
            for _ in range(2)
        )
    assert torch.equal(first, second)


def test_left_padding_with_mask_and_positions_gives_each_prompt_its_own_continuation(
    decoder, tokenizer
):
    batch = tokenizer(PROMPTS, padding=True, padding_side="left", return_tensors="pt")
    assert len(set(batch["attention_mask"].sum(1).tolist())) >= 5, (
        "the prompts should have different lengths"
    )
    mask = batch["attention_mask"]
    batched = greedy(decoder.model, batch["input_ids"], mask, real_token_positions(mask))
    for prompt, row in zip(PROMPTS, batched):
        assert row.tolist() == alone(decoder.model, tokenizer, prompt).tolist(), prompt


def generate(model, tokenizer, prompts: list[str], side: str) -> list[list[int]]:
    """``model.generate``'s new tokens for ``prompts`` padded on ``side``, cut after each row's first eos."""
    batch = tokenizer(prompts, padding=True, padding_side=side, return_tensors="pt")
    with torch.inference_mode():
        out = model.generate(
            **batch, max_new_tokens=NEW_TOKENS, do_sample=False, pad_token_id=tokenizer.eos_token_id
        )
    rows = []
    for row in out[
        :, batch["input_ids"].shape[1] :
    ].tolist():  # a finished row is padded with eos after its eos
        rows.append(
            row[: row.index(tokenizer.eos_token_id) + 1] if tokenizer.eos_token_id in row else row
        )
    return rows


def test_generate_with_left_padding_matches_each_prompt_alone(decoder, tokenizer):
    """``generate`` derives the positions from the mask itself."""
    batched = generate(decoder.model, tokenizer, PROMPTS, "left")
    for prompt, row in zip(PROMPTS, batched):
        assert row == generate(decoder.model, tokenizer, [prompt], "left")[0], prompt


def test_right_padding_gives_several_prompts_wrong_continuations(decoder, tokenizer):
    batched = generate(decoder.model, tokenizer, PROMPTS, "right")
    lengths = [len(tokenizer(p)["input_ids"]) for p in PROMPTS]
    padded = [p for p, n in zip(PROMPTS, lengths) if n < max(lengths)]
    wrong = [
        p
        for p, row in zip(PROMPTS, batched)
        if row != generate(decoder.model, tokenizer, [p], "right")[0]
    ]
    assert len(wrong) >= len(padded) - 1 and len(wrong) >= 4, f"only these came out wrong: {wrong}"


def test_left_padding_with_positions_counted_over_the_pads_changes_continuations(
    decoder, tokenizer
):
    """The mask alone is not enough for learned absolute positions: the pads must not be counted."""
    batch = tokenizer(PROMPTS, padding=True, padding_side="left", return_tensors="pt")
    batched = greedy(decoder.model, batch["input_ids"], batch["attention_mask"], None)
    wrong = [
        p
        for p, row in zip(PROMPTS, batched)
        if row.tolist() != alone(decoder.model, tokenizer, p).tolist()
    ]
    assert len(wrong) >= 3, f"only these came out wrong: {wrong}"


def test_default_decoder_is_the_course_decoder(monkeypatch):
    monkeypatch.delenv("COURSE_DECODER", raising=False)
    assert config.decoder() == config.COURSE_MODEL
    loaded = load_decoder()
    assert loaded.name == config.COURSE_DECODER_NAME and not loaded.model.training
    assert loaded.model.config.model_type == "gpt2" and loaded.model.device.type == "cpu"


def test_course_decoder_may_name_a_local_folder(monkeypatch):
    folder = str(build.ensure_built())
    monkeypatch.setenv("COURSE_DECODER", folder)
    loaded = load_decoder()
    assert loaded.name == folder and loaded.tokenizer.pad_token is None


def test_offline_hub_decoder_fails_at_once_with_the_way_back(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("COURSE_DECODER", config.DISTILGPT2)
    monkeypatch.setattr(model_module, "_in_local_cache", lambda _: False)
    monkeypatch.setattr(
        model_module, "_hub_reachable", lambda: pytest.fail("probed the network while offline")
    )
    started = time.perf_counter()
    with pytest.raises(
        CheckpointUnavailable, match="unset COURSE_DECODER to use the embedded course decoder"
    ):
        load_decoder()
    assert time.perf_counter() - started < 1


def test_a_missing_decoder_folder_is_named_in_the_error():
    with pytest.raises(
        CheckpointUnavailable, match="COURSE_DECODER='./no-such-decoder' is not a checkpoint folder"
    ):
        load_decoder("./no-such-decoder")
