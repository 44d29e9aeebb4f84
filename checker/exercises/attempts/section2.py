"""What learners write for the exercises of section 2 (``02_models_expect_a_batch.ipynb``)."""

from . import CORRECT, Rows

batch_dimension = Rows("batch_dimension")
seed_logits = Rows("seed_logits")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- batch_dimension ---
    batch_dimension("no_batch_dimension", "no batch dimension",
        "input_ids = torch.tensor(ids)",
        "no batch dimension"),
    batch_dimension("python_list", "a list of the list", "input_ids = [ids]", "a Python list, not a tensor"),
    batch_dimension("floats", "floats", "input_ids = torch.tensor([ids]).float()", "holds floats"),
    batch_dimension("special_tokens_added", "the tokenizer's ids",
        'input_ids = tokenizer(sequence, return_tensors="pt")["input_ids"]',
        "[CLS] and [SEP] added"),
    batch_dimension("tokenizer_output", "the tokenizer's whole output",
        'input_ids = tokenizer(sequence, return_tensors="pt")',
        "tokenizer's whole output"),
    batch_dimension("special_tokens_added", "encode() with special tokens",
        "input_ids = torch.tensor([tokenizer.encode(sequence)])",
        "[CLS] and [SEP] added"),
    batch_dimension("extra_dimension", "two dimensions of batch",
        "input_ids = torch.tensor([[ids]])",
        "one dimension too many"),
    batch_dimension("batch_dimension_misplaced", "unsqueeze on the wrong axis",
        "input_ids = torch.tensor(ids).unsqueeze(1)",
        "wrong place", "unsqueeze(0)"),
    batch_dimension("ids_dtype", "int32",
        "input_ids = torch.tensor([ids], dtype=torch.int32)",
        "dtype torch.int32"),
    batch_dimension("sentence_repeated", "the sentence twice",
        "input_ids = torch.tensor([ids, ids])",
        "2 times", "batch of one"),
    batch_dimension("cell_raised", "the tokens, not the ids, after a right answer ran",
        ("input_ids = torch.tensor([ids])", "input_ids = torch.tensor([tokens])",),
        "raised ValueError", "earlier run"),
    batch_dimension("wrong_length", "the last id (the full stop) dropped",
        "input_ids = torch.tensor([ids[:-1]])",
        "stops one id short", "'.'", "is missing"),
    batch_dimension(CORRECT, "right", "input_ids = torch.tensor([ids])"),
    batch_dimension(CORRECT, "right, unsqueeze", "input_ids = torch.tensor(ids).unsqueeze(0)"),
    batch_dimension(CORRECT, "right, None index", "input_ids = torch.tensor(ids)[None]"),
    batch_dimension(CORRECT, "right, view", "input_ids = torch.tensor(ids).view(1, -1)"),
    batch_dimension(CORRECT, "right, reshape", "input_ids = torch.tensor(ids).reshape(1, len(ids))"),
    # --- seed_logits ---
    seed_logits("model_output", "the whole output",
        "logits = model(input_ids)",
        "model's whole output", ".logits"),
    seed_logits("cell_raised", "the model on the list, after a right answer ran",
        ("logits = model(input_ids).logits", "logits = model(ids).logits",),
        "raised AttributeError", "earlier run"),
    seed_logits("probabilities", "probabilities",
        "logits = torch.softmax(model(input_ids).logits, dim=-1)",
        "probabilities", "softmax"),
    seed_logits("integers", "the predicted label",
        "logits = model(input_ids).logits.argmax(dim=-1)",
        "holds integers"),
    seed_logits("logits_no_batch_dimension", "one row",
        "logits = model(input_ids).logits[0]",
        "no batch dimension"),
    seed_logits("known_wrong_logits", "the tokenizer's ids",
        'logits = model(**tokenizer(sequence, return_tensors="pt")).logits',
        "with [CLS] and [SEP]"),
    seed_logits("logits_shape", "hidden states",
        "logits = model(input_ids, output_hidden_states=True).hidden_states[-1]",
        "hidden states"),
    seed_logits("no_model_call", "numbers copied from the print",
        "logits = torch.tensor([[-2.5358, 2.5810]])",
        "no call of the course model"),
    seed_logits("known_wrong_logits", "without the full stop",
        "logits = model(torch.tensor([ids[:-1]])).logits",
        "without their last one", "13 of the 14 ids", "'.'"),
    seed_logits("python_list", "a list of floats",
        "logits = model(input_ids).logits.tolist()",
        "a Python list"),
    seed_logits("cell_raised", "the model given the tokenizer output positionally",
        (
            'batch = tokenizer(sequence, return_tensors="pt")\n'
            "logits = model(batch).logits"
        ),
        "AttributeError", "model(**batch)"),
    seed_logits(CORRECT, "right", "logits = model(input_ids).logits"),
    seed_logits(CORRECT, "right, two lines",
        (
            "output = model(input_ids)\n"
            "logits = output.logits"
        )),
    seed_logits(CORRECT, "right, no_grad",
        (
            "with torch.no_grad():\n"
            "    logits = model(input_ids).logits"
        )),
    seed_logits(CORRECT, "right, inference_mode",
        (
            "with torch.inference_mode():\n"
            "    logits = model(input_ids).logits"
        )),
    seed_logits(CORRECT, "right, keyword", "logits = model(input_ids=input_ids).logits"),
    seed_logits(CORRECT, "right, index 0", "logits = model(input_ids)[0]"),
    seed_logits(CORRECT, "right, detached", "logits = model(input_ids).logits.detach()"),
    # --- from the unit tests (tests/checker/exercises/test_section2.py) ---
    batch_dimension("no_batch_dimension", "no batch dimension, with the fix", "input_ids = torch.tensor(ids)", "no batch dimension", "(1, 14)", "torch.tensor([ids])"),
    seed_logits("typed_in", "the original course's printed DistilBERT logits", "logits = torch.tensor([[-2.7276, 2.8789]])", "DistilBERT numbers, typed in", "this notebook's model computes"),
]
# fmt: on
