"""What learners write for section 3 (``03_batching_multiple_sequences.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt
RIGHT_ROWS = "def rows_agree(logits):\n    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)"


def rows(body: str) -> str:
    """A `rows_agree` whose body is one return line (the argument is `logits`)."""
    return f"import numpy as np\n\n\ndef rows_agree(logits):\n    return {body}"


ATTEMPTS = [
    # --- batched_ids: a (2, n) int64 tensor, `ids` twice ---
    A(
        "batched_ids",
        "the list of lists, not a tensor",
        "batched_ids = [ids, ids]",
        names=("a Python list, not a tensor", "torch.tensor"),
    ),
    A(
        "batched_ids",
        "the ids joined into one sequence",
        "batched_ids = torch.tensor(ids + ids)",
        names=("one long sequence", "[ids, ids]"),
    ),
    A(
        "batched_ids",
        "the batch of one of section 2",
        "batched_ids = torch.tensor([ids])",
        names=("holds the sequence once",),
    ),
    A(
        "batched_ids",
        "each copy with its own batch dimension",
        "batched_ids = torch.tensor([[ids], [ids]])",
        names=("3 dimensions",),
    ),
    A(
        "batched_ids",
        "capital-T Tensor makes floats",
        "batched_ids = torch.Tensor([ids, ids])",
        names=("holds floats",),
    ),
    A(
        "batched_ids",
        "the tokenizer's ids, with [CLS] and [SEP]",
        'batched_ids = tokenizer([sequence, sequence], return_tensors="pt")["input_ids"]',
        names=("[CLS] and [SEP]",),
    ),
    A(
        "batched_ids",
        "the tokenizer's whole output",
        'batched_ids = tokenizer([sequence, sequence], return_tensors="pt")',
        names=("tokenizer's whole output",),
    ),
    A(
        "batched_ids",
        "the tokens made into a tensor: the cell raises",
        "batched_ids = torch.tensor([tokenizer.tokenize(sequence)] * 2)",
        names=("raised ValueError", "convert_tokens_to_ids"),
    ),
    A(
        "batched_ids",
        "the tokens, as lists",
        "batched_ids = [tokenizer.tokenize(sequence)] * 2",
        names=("token strings", "convert_tokens_to_ids"),
    ),
    A(
        "batched_ids",
        "int32 ids",
        "batched_ids = torch.tensor([ids, ids], dtype=torch.int32)",
        names=("dtype torch.int32", "torch.int64"),
    ),
    A(
        "batched_ids",
        "transposed",
        "batched_ids = torch.tensor([ids, ids]).T",
        names=("transposed",),
    ),
    A(
        "batched_ids",
        "a NumPy array",
        "import numpy as np\nbatched_ids = np.array([ids, ids])",
        names=("NumPy array",),
    ),
    A(
        "batched_ids",
        "torch.stack of lists raises, after a right answer: the old value is not judged",
        ("batched_ids = torch.tensor([ids, ids])", "batched_ids = torch.stack([ids, ids])"),
        names=("raised TypeError", "earlier run"),
    ),
    A(
        "batched_ids",
        "the starter code left",
        "batched_ids = None  # replace None with your answer\n"
        "# YOUR CODE HERE\nraise NotImplementedError()",
        expect="not attempted",
        names=("replace the starter code",),
    ),
    A("batched_ids", "right", "batched_ids = torch.tensor([ids, ids])", expect="correct"),
    A(
        "batched_ids",
        "right, a list times two",
        "batched_ids = torch.tensor([ids] * 2)",
        expect="correct",
    ),
    A(
        "batched_ids",
        "right, repeat",
        "batched_ids = torch.tensor([ids]).repeat(2, 1)",
        expect="correct",
    ),
    A(
        "batched_ids",
        "right, stack",
        "batched_ids = torch.stack([torch.tensor(ids), torch.tensor(ids)])",
        expect="correct",
    ),
    A(
        "batched_ids",
        "right, explicit dtype",
        "batched_ids = torch.tensor([ids, ids], dtype=torch.long)",
        expect="correct",
    ),
    A(
        "batched_ids",
        "right, expand",
        "batched_ids = torch.tensor([ids]).expand(2, -1)",
        expect="correct",
    ),
    # --- batched_logits: the logits of ONE call on batched_ids ---
    A(
        "batched_logits",
        "the whole output",
        "batched_logits = model(batched_ids)",
        names=("model's whole output", ".logits"),
    ),
    A(
        "batched_logits",
        "each row run alone and joined",
        "batched_logits = torch.cat([model(torch.tensor([ids])).logits, model(torch.tensor([ids])).logits])",
        names=("row of a model call on a batch of one", "torch.cat"),
    ),
    A(
        "batched_logits",
        "the batch of one repeated",
        "batched_logits = single_logits.repeat(2, 1)",
        names=("built from the row of a model call on a batch of one", "repeat"),
    ),
    A(
        "batched_logits",
        "rows stacked from single calls",
        "batched_logits = torch.stack([model(torch.tensor([i])).logits[0] for i in [ids, ids]])",
        names=("batch of one",),
    ),
    A(
        "batched_logits",
        "numbers typed in from the print",
        "batched_logits = torch.tensor([[-2.5358, 2.5810], [-2.5358, 2.5810]])",
        names=("typed in", "4 decimals", "as a print shows them"),
    ),
    A(
        "batched_logits",
        "numbers typed in, rounded",
        "batched_logits = torch.tensor([[-2.54, 2.58], [-2.54, 2.58]])",
        names=("typed in", "2 decimals"),
    ),
    A(
        "batched_logits",
        "the batch of one's logits",
        "batched_logits = single_logits",
        names=("only one row", "batch of one"),
    ),
    A(
        "batched_logits",
        "one row kept",
        "batched_logits = model(batched_ids).logits[0]",
        names=("only one row", "logits[0]"),
    ),
    A(
        "batched_logits",
        "probabilities",
        "batched_logits = torch.softmax(model(batched_ids).logits, dim=-1)",
        names=("probabilities",),
    ),
    A(
        "batched_logits",
        "sigmoid",
        "batched_logits = torch.sigmoid(model(batched_ids).logits)",
        names=("sigmoid",),
    ),
    A(
        "batched_logits",
        "the predicted labels",
        "batched_logits = model(batched_ids).logits.argmax(dim=-1)",
        names=("holds integers",),
    ),
    A(
        "batched_logits",
        "the tokenizer's batch, with [CLS] and [SEP]",
        'batched_logits = model(**tokenizer([sequence, sequence], return_tensors="pt")).logits',
        names=("shape (2, 16)", "[CLS]"),
    ),
    A(
        "batched_logits",
        "a Python list",
        "batched_logits = model(batched_ids).logits.tolist()",
        names=("a Python list",),
    ),
    A(
        "batched_logits",
        "a NumPy array",
        "batched_logits = model(batched_ids).logits.detach().numpy()",
        names=("NumPy array",),
    ),
    # fresh: in this kernel earlier attempts' calls on batched_ids returned these very numbers, bit for bit, and a
    # tensor's values are all the check can trace
    A(
        "batched_logits",
        "two rows of a batch of three",
        "batched_logits = model(torch.tensor([ids, ids, ids])).logits[:2]",
        names=("takes its rows from a model call on a batch of shape (3, 14)",),
        fresh=True,
    ),
    A(
        "batched_logits",
        "the model in training mode (dropout)",
        "model.train()\nbatched_logits = model(batched_ids).logits",
        names=("training mode", "model.eval()"),
    ),
    A(
        "batched_logits",
        "the model on the list of lists: the cell raises",
        ("_ = model.eval()", "batched_logits = model(batched_ids.tolist()).logits"),
        names=("raised", "earlier run"),
    ),
    A("batched_logits", "right", "batched_logits = model(batched_ids).logits", expect="correct"),
    A(
        "batched_logits",
        "right, no_grad",
        "with torch.no_grad():\n    batched_logits = model(batched_ids).logits",
        expect="correct",
    ),
    A(
        "batched_logits",
        "right, inference_mode",
        "with torch.inference_mode():\n    batched_logits = model(batched_ids).logits",
        expect="correct",
    ),
    A(
        "batched_logits",
        "right, keyword",
        "batched_logits = model(input_ids=batched_ids).logits",
        expect="correct",
    ),
    A(
        "batched_logits",
        "right, index 0",
        "batched_logits = model(batched_ids)[0]",
        expect="correct",
    ),
    A(
        "batched_logits",
        "right, two lines",
        "outputs = model(batched_ids)\nbatched_logits = outputs.logits",
        expect="correct",
    ),
    A(
        "batched_logits",
        "right, detached",
        "batched_logits = model(batched_ids).logits.detach()",
        expect="correct",
    ),
    A(
        "batched_logits",
        "right, a mask of ones (the task leaves the mask free)",
        "batched_logits = model(batched_ids, attention_mask=torch.ones_like(batched_ids)).logits",
        expect="correct",
    ),
    # --- rows_agree: every row within atol=1e-4, rtol=1e-4 of the first, a Python bool ---
    A(
        "rows_agree",
        "exact comparison",
        rows("all(torch.equal(row, logits[0]) for row in logits)"),
        names=("3e-6", "exact comparison"),
    ),
    A(
        "rows_agree",
        "== on the whole tensor",
        rows("bool((logits == logits[0]).all())"),
        names=("exact comparison",),
    ),
    A(
        "rows_agree",
        "rounded, then ==",
        rows(
            "torch.equal(logits.round(decimals=4), logits[0].round(decimals=4).expand_as(logits))"
        ),
        names=("rounding boundary", "rounding and then comparing"),
    ),
    A(
        "rows_agree",
        "allclose with its defaults",
        rows("torch.allclose(logits, logits[0].expand_as(logits))"),
        names=("tighter", "rtol=1e-5, atol=1e-8"),
    ),
    A(
        "rows_agree",
        "only atol given",
        rows("torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4)"),
        names=("near 20", "relative part"),
    ),
    A(
        "rows_agree",
        "the largest absolute difference",
        rows("bool((logits - logits[0]).abs().max() < 1e-4)"),
        names=("relative part",),
    ),
    A(
        "rows_agree",
        "only rtol given",
        rows("torch.allclose(logits, logits[0].expand_as(logits), rtol=1e-4)"),
        names=("atol=1e-4, is missing",),
    ),
    A(
        "rows_agree",
        "a tolerance ten times too loose",
        rows("torch.allclose(logits, logits[0].expand_as(logits), atol=1e-3, rtol=1e-3)"),
        names=("too loose",),
    ),
    A(
        "rows_agree",
        "the first two rows only",
        rows("len(logits) < 2 or torch.allclose(logits[0], logits[1], atol=1e-4, rtol=1e-4)"),
        names=("last row was not compared",),
    ),
    A(
        "rows_agree",
        "the first and the last row only",
        rows("torch.allclose(logits[0], logits[-1], atol=1e-4, rtol=1e-4)"),
        names=("middle row was not compared",),
    ),
    A(
        "rows_agree",
        "the first column only",
        rows(
            "torch.allclose(logits[:, 0], logits[0, 0].expand(len(logits)), atol=1e-4, rtol=1e-4)"
        ),
        names=("second column was not compared",),
    ),
    A(
        "rows_agree",
        "each row with the previous one",
        rows(
            "all(torch.allclose(logits[i], logits[i + 1], atol=1e-4, rtol=1e-4) for i in range(len(logits) - 1))"
        ),
        names=("previous one", "add up"),
    ),
    A(
        "rows_agree",
        "the mean absolute difference",
        rows("bool((logits - logits[0]).abs().mean() < 1e-4)"),
        names=("average",),
    ),
    A(
        "rows_agree",
        "the sum of the differences",
        rows("bool(abs((logits - logits[0]).sum()) < 1e-4)"),
        names=("cancel",),
    ),
    A(
        "rows_agree",
        "the sum of the absolute differences",
        rows("bool((logits - logits[0]).abs().sum() < 1e-4)"),
        names=("every entry on its own",),
    ),
    A(
        "rows_agree",
        "the norm of the differences",
        rows("bool(torch.norm(logits - logits[0]) < 1e-4)"),
        names=("norm",),
    ),
    A(
        "rows_agree",
        "a row compared with itself",
        rows("all(torch.allclose(row, row, atol=1e-4, rtol=1e-4) for row in logits)"),
        names=("True on every case", "nothing is really compared"),
    ),
    A(
        "rows_agree",
        "a one-element tensor",
        rows("((logits - logits[0]).abs() <= 1e-4 + 1e-4 * logits[0].abs()).all()"),
        names=("one-element tensor", "bool(...)"),
    ),
    A(
        "rows_agree",
        "isclose, not reduced",
        rows("torch.isclose(logits, logits[0], atol=1e-4, rtol=1e-4)"),
        names=("entry by entry",),
    ),
    A(
        "rows_agree",
        "a NumPy bool",
        rows("np.isclose(logits.numpy(), logits[0].numpy(), atol=1e-4, rtol=1e-4).all()"),
        names=("NumPy bool",),
    ),
    A(
        "rows_agree",
        "a list of one bool per row",
        rows("[torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits]"),
        names=("True/False values",),
    ),
    A(
        "rows_agree",
        "prints instead of returning",
        "def rows_agree(logits):\n    print(all(torch.allclose(r, logits[0], atol=1e-4, rtol=1e-4) for r in logits))",
        names=("returned None",),
    ),
    A(
        "rows_agree",
        "logits[1] on a single row",
        rows("torch.allclose(logits[0], logits[1], atol=1e-4, rtol=1e-4)"),
        names=("IndexError", "single row"),
    ),
    A(
        "rows_agree",
        "a broken redefinition after a right one: the old function is not judged",
        (RIGHT_ROWS, "def rows_agree(logits)\n    return True"),
        names=("SyntaxError", "earlier run"),
    ),
    A("rows_agree", "right", RIGHT_ROWS, expect="correct"),
    A(
        "rows_agree",
        "right, all rows at once",
        rows("torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-4)"),
        expect="correct",
    ),
    A(
        "rows_agree",
        "right, broadcasting",
        rows("torch.allclose(logits, logits[0], atol=1e-4, rtol=1e-4)"),
        expect="correct",
    ),
    A(
        "rows_agree",
        "right, the formula by hand",
        rows("bool(((logits - logits[0]).abs() <= 1e-4 + 1e-4 * logits[0].abs()).all())"),
        expect="correct",
    ),
    A(
        "rows_agree",
        "right, NumPy",
        rows("np.allclose(logits.numpy(), logits[0].numpy(), atol=1e-4, rtol=1e-4)"),
        expect="correct",
    ),
    A(
        "rows_agree",
        "right, isclose reduced",
        rows("torch.isclose(logits, logits[0], atol=1e-4, rtol=1e-4).all().item()"),
        expect="correct",
    ),
    A(
        "rows_agree",
        "right, a loop",
        "def rows_agree(logits):\n    first = logits[0]\n    for row in logits[1:]:\n"
        "        if not torch.allclose(row, first, atol=1e-4, rtol=1e-4):\n            return False\n    return True",
        expect="correct",
    ),
]
