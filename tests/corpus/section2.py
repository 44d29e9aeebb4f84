"""What learners write for section 2 (``02_models_expect_a_batch.ipynb``)."""

from tests.corpus.runner import Attempt

A = Attempt
ATTEMPTS = [
    # --- batch_dimension: (1, n) int64 tensor of the manual ids ---
    A(
        "batch_dimension",
        "no batch dimension",
        "input_ids = torch.tensor(ids)",
        names=("no batch dimension",),
    ),
    A(
        "batch_dimension",
        "a list of the list",
        "input_ids = [ids]",
        names=("a Python list, not a tensor",),
    ),
    A(
        "batch_dimension",
        "floats",
        "input_ids = torch.tensor([ids]).float()",
        names=("holds floats",),
    ),
    A(
        "batch_dimension",
        "the tokenizer's ids",
        'input_ids = tokenizer(sequence, return_tensors="pt")["input_ids"]',
        names=("[CLS] and [SEP] added",),
    ),
    A(
        "batch_dimension",
        "the tokenizer's whole output",
        'input_ids = tokenizer(sequence, return_tensors="pt")',
        names=("tokenizer's whole output",),
    ),
    A(
        "batch_dimension",
        "encode() with special tokens",
        "input_ids = torch.tensor([tokenizer.encode(sequence)])",
        names=("[CLS] and [SEP] added",),
    ),
    A(
        "batch_dimension",
        "two dimensions of batch",
        "input_ids = torch.tensor([[ids]])",
        names=("one dimension too many",),
    ),
    A(
        "batch_dimension",
        "unsqueeze on the wrong axis",
        "input_ids = torch.tensor(ids).unsqueeze(1)",
        names=("wrong place", "unsqueeze(0)"),
    ),
    A(
        "batch_dimension",
        "int32",
        "input_ids = torch.tensor([ids], dtype=torch.int32)",
        names=("dtype torch.int32",),
    ),
    A(
        "batch_dimension",
        "the sentence twice",
        "input_ids = torch.tensor([ids, ids])",
        names=("2 times", "batch of one"),
    ),
    A(
        "batch_dimension",
        "the tokens, not the ids",
        "input_ids = torch.tensor([tokens])",
        names=("raised ValueError", "earlier run"),
    ),
    A("batch_dimension", "right", "input_ids = torch.tensor([ids])", expect="correct"),
    A(
        "batch_dimension",
        "right, unsqueeze",
        "input_ids = torch.tensor(ids).unsqueeze(0)",
        expect="correct",
    ),
    A(
        "batch_dimension",
        "right, None index",
        "input_ids = torch.tensor(ids)[None]",
        expect="correct",
    ),
    A(
        "batch_dimension",
        "right, view",
        "input_ids = torch.tensor(ids).view(1, -1)",
        expect="correct",
    ),
    A(
        "batch_dimension",
        "right, reshape",
        "input_ids = torch.tensor(ids).reshape(1, len(ids))",
        expect="correct",
    ),
    # --- seed_logits: model(input_ids).logits ---
    A(
        "seed_logits",
        "the whole output",
        "logits = model(input_ids)",
        names=("model's whole output", ".logits"),
    ),
    A(
        "seed_logits",
        "the model on the list",
        "logits = model(ids).logits",
        names=("raised AttributeError", "earlier run"),
    ),
    A(
        "seed_logits",
        "probabilities",
        "logits = torch.softmax(model(input_ids).logits, dim=-1)",
        names=("probabilities", "softmax"),
    ),
    A(
        "seed_logits",
        "the predicted label",
        "logits = model(input_ids).logits.argmax(dim=-1)",
        names=("holds integers",),
    ),
    A(
        "seed_logits",
        "one row",
        "logits = model(input_ids).logits[0]",
        names=("no batch dimension",),
    ),
    A(
        "seed_logits",
        "the tokenizer's ids",
        'logits = model(**tokenizer(sequence, return_tensors="pt")).logits',
        names=("with [CLS] and [SEP]",),
    ),
    A(
        "seed_logits",
        "hidden states",
        "logits = model(input_ids, output_hidden_states=True).hidden_states[-1]",
        names=("hidden states",),
    ),
    A(
        "seed_logits",
        "numbers copied from the print",
        "logits = torch.tensor([[-2.5358, 2.5810]])",
        names=("no call of the course model",),
    ),
    A(
        "seed_logits",
        "a list of floats",
        "logits = model(input_ids).logits.tolist()",
        names=("a Python list",),
    ),
    A(
        "seed_logits",
        "the model given the tokenizer output positionally",
        'batch = tokenizer(sequence, return_tensors="pt")\nlogits = model(batch).logits',
        names=("AttributeError", "model(**batch)"),
    ),
    A("seed_logits", "right", "logits = model(input_ids).logits", expect="correct"),
    A(
        "seed_logits",
        "right, two lines",
        "output = model(input_ids)\nlogits = output.logits",
        expect="correct",
    ),
    A(
        "seed_logits",
        "right, no_grad",
        "with torch.no_grad():\n    logits = model(input_ids).logits",
        expect="correct",
    ),
    A(
        "seed_logits",
        "right, inference_mode",
        "with torch.inference_mode():\n    logits = model(input_ids).logits",
        expect="correct",
    ),
    A(
        "seed_logits",
        "right, keyword",
        "logits = model(input_ids=input_ids).logits",
        expect="correct",
    ),
    A("seed_logits", "right, index 0", "logits = model(input_ids)[0]", expect="correct"),
    A(
        "seed_logits",
        "right, detached",
        "logits = model(input_ids).logits.detach()",
        expect="correct",
    ),
]
