"""What learners write for section 5 (``05_padding_in_practice.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt
RIGHT_ROWS = (
    "def changed_rows(sequences):\n    width = max(len(seq) for seq in sequences)\n"
    "    return [i for i, seq in enumerate(sequences) if len(seq) < width]"
)


def rows(body: str) -> str:
    """A `changed_rows` whose body is one return line (the argument is `sequences`)."""
    return f"def changed_rows(sequences):\n    return {body}"


LONGEST = "max(len(s) for s in sequences)"

ATTEMPTS = [
    # --- padded_logits: ONE call on `padded`, no mask ---
    A(
        "padded_logits",
        "the whole output",
        "padded_logits = model(padded)",
        names=("model's whole output", ".logits"),
    ),
    A(
        "padded_logits",
        "with the attention mask (section 6's answer)",
        "padded_logits = model(padded, attention_mask=torch.tensor([[1, 1, 1], [1, 1, 0]])).logits",
        names=("comes from a call with an attention mask", "without one"),
    ),
    A(
        "padded_logits",
        "a mask of all ones",
        "padded_logits = model(padded, attention_mask=torch.ones_like(padded)).logits",
        names=("with an attention mask", "all ones"),
    ),
    A(
        "padded_logits",
        "each sequence alone, joined",
        "padded_logits = torch.cat([logits1, logits2])",
        names=(
            "put together from 2 separate model calls",
            "batch of one",
            "no sequence meets padding",
        ),
    ),
    A(
        "padded_logits",
        "each row run alone in a loop",
        "padded_logits = torch.cat([model(torch.tensor([row[row != 0].tolist()])).logits for row in padded])",
        names=("put together from 2 separate model calls",),
    ),
    A(
        "padded_logits",
        "numbers typed in from the print",
        "padded_logits = torch.tensor([[2.3606, -2.4083], [0.2437, -0.2431]])",
        names=("typed in", "as a print shows them"),
    ),
    A(
        "padded_logits",
        "the original course's numbers typed in",
        "padded_logits = torch.tensor([[1.5694, -1.3895], [1.3373, -1.2163]])",
        names=("typed in", "DistilBERT"),
    ),
    A(
        "padded_logits",
        "the ragged list to the model: the cell raises",
        "padded_logits = model(torch.tensor(sequence1_ids + sequence2_ids)).logits",
        names=("raised ValueError", "earlier run"),
    ),
    A(
        "padded_logits",
        "only the padded row",
        "padded_logits = model(padded).logits[1]",
        names=("no batch dimension", "one row of the logits of a call on shape (2, 3)"),
    ),
    A(
        "padded_logits",
        "the second sequence alone",
        "padded_logits = logits2",
        names=("comes from a model call on a batch of shape (1, 2)", "batch of one"),
    ),
    A(
        "padded_logits",
        "probabilities",
        "padded_logits = model(padded).logits.softmax(dim=-1)",
        names=("probabilities",),
    ),
    A(
        "padded_logits",
        "the predicted labels",
        "padded_logits = model(padded).logits.argmax(dim=-1)",
        names=("holds integers",),
    ),
    A(
        "padded_logits",
        "padded with 100 ([UNK]), the original course's first try",
        "padded_logits = model(torch.tensor([[200, 200, 200], [200, 200, 100]])).logits",
        names=("differs from the reference", "its ids were not the ones of"),
    ),
    A(
        "padded_logits",
        "padded on the left",
        "padded_logits = model(torch.tensor([[200, 200, 200], [0, 200, 200]])).logits",
        names=("its ids were not the ones of",),
    ),
    A(
        "padded_logits",
        "transposed ids",
        "padded_logits = model(padded.T).logits",
        names=("comes from a model call on a batch of shape (3, 2)",),
    ),
    A(
        "padded_logits",
        "a NumPy array",
        "padded_logits = model(padded).logits.detach().numpy()",
        names=("NumPy array",),
    ),
    A(
        "padded_logits",
        "a Python list",
        "padded_logits = model(padded).logits.tolist()",
        names=("a Python list",),
    ),
    A(
        "padded_logits",
        "the starter code left",
        "padded_logits = None  # replace None with your answer\n"
        "# YOUR CODE HERE\nraise NotImplementedError()",
        expect="not attempted",
        names=("replace the starter code",),
    ),
    A("padded_logits", "right", "padded_logits = model(padded).logits", expect="correct"),
    A(
        "padded_logits",
        "right, no_grad",
        "with torch.no_grad():\n    padded_logits = model(padded).logits",
        expect="correct",
    ),
    A(
        "padded_logits",
        "right, inference_mode",
        "with torch.inference_mode():\n    padded_logits = model(padded).logits",
        expect="correct",
    ),
    A(
        "padded_logits",
        "right, keyword",
        "padded_logits = model(input_ids=padded).logits",
        expect="correct",
    ),
    A("padded_logits", "right, index 0", "padded_logits = model(padded)[0]", expect="correct"),
    A(
        "padded_logits",
        "right, two lines",
        "outputs = model(padded)\npadded_logits = outputs.logits",
        expect="correct",
    ),
    A(
        "padded_logits",
        "right, cloned",
        "padded_logits = model(padded).logits.detach().clone()",
        expect="correct",
    ),
    # --- changed_rows: the indices of the rows that get padding ---
    A(
        "changed_rows",
        "the notebook's answer written in",
        rows("[1]"),
        names=("returned [1] for every batch", "written in"),
    ),
    A(
        "changed_rows",
        "the notebook's `padded` instead of the argument",
        rows("[i for i, row in enumerate(padded.tolist()) if tokenizer.pad_token_id in row]"),
        names=("returned [1] for every batch",),
    ),
    A(
        "changed_rows",
        "the longest rows",
        rows(f"[i for i, s in enumerate(sequences) if len(s) == {LONGEST}]"),
        names=("NOT padded", "attend to the pad tokens"),
    ),
    A(
        "changed_rows",
        "every row: padding changes the whole batch",
        rows("list(range(len(sequences)))"),
        names=("includes row 0", "gets no padding"),
    ),
    A(
        "changed_rows",
        "<= instead of <",
        rows(f"[i for i, s in enumerate(sequences) if len(s) <= {LONGEST}]"),
        names=("includes row 0", "gets no padding"),
    ),
    A(
        "changed_rows",
        "looks for the pad id in the unpadded sequences",
        rows("[i for i, s in enumerate(sequences) if tokenizer.pad_token_id in s]"),
        names=("leaves out row 1", "attends to them"),
    ),
    A(
        "changed_rows",
        "pads, then looks for the pad id",
        "def changed_rows(sequences):\n    width = max(len(s) for s in sequences)\n"
        "    padded_rows = [s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences]\n"
        "    return [i for i, row in enumerate(padded_rows) if tokenizer.pad_token_id in row]",
        names=("includes row 0", "real token", "lengths"),
    ),
    A(
        "changed_rows",
        "the shortest row only",
        rows("[min(range(len(sequences)), key=lambda i: len(sequences[i]))]"),
        names=("leaves out row 0", "[PAD] tokens added"),
    ),
    A(
        "changed_rows",
        "shorter than the first sequence",
        rows("[i for i, s in enumerate(sequences) if len(s) < len(sequences[0])]"),
        names=("leaves out row 0",),
    ),
    A(
        "changed_rows",
        "the pad count of each row",
        rows(f"[{LONGEST} - len(s) for s in sequences]"),
        names=("number of pad tokens of each row",),
    ),
    A(
        "changed_rows",
        "the lengths",
        rows("[len(s) for s in sequences]"),
        names=("length of each sequence",),
    ),
    A(
        "changed_rows",
        "counted from 1",
        rows(f"[i + 1 for i, s in enumerate(sequences) if len(s) < {LONGEST}]"),
        names=("counts the rows from 1",),
    ),
    A(
        "changed_rows",
        "True/False per row",
        rows(f"[len(s) < {LONGEST} for s in sequences]"),
        names=("True/False for each row",),
    ),
    A(
        "changed_rows",
        "a tuple",
        rows(f"tuple(i for i, s in enumerate(sequences) if len(s) < {LONGEST})"),
        names=("returned a tuple, not a list",),
    ),
    A(
        "changed_rows",
        "a set",
        rows(f"{{i for i, s in enumerate(sequences) if len(s) < {LONGEST}}}"),
        names=("returned a set",),
    ),
    A(
        "changed_rows",
        "a tensor of indices",
        rows(f"torch.nonzero(torch.tensor([len(s) for s in sequences]) < {LONGEST}).flatten()"),
        names=("tensor or an array", ".tolist()"),
    ),
    A(
        "changed_rows",
        "a list of tensor elements",
        rows(
            f"list(torch.nonzero(torch.tensor([len(s) for s in sequences]) < {LONGEST}).flatten())"
        ),
        names=("other than Python ints",),
    ),
    A(
        "changed_rows",
        "in reverse order",
        rows(f"[i for i, s in enumerate(sequences) if len(s) < {LONGEST}][::-1]"),
        names=("increasing order",),
    ),
    A(
        "changed_rows",
        "pads the caller's lists in place",
        "def changed_rows(sequences):\n    width = max(len(s) for s in sequences)\n    changed = []\n"
        "    for i, s in enumerate(sequences):\n        if len(s) < width:\n"
        "            s.extend([tokenizer.pad_token_id] * (width - len(s)))\n            changed.append(i)\n"
        "    return changed",
        names=("changed the lists it was given", "in place"),
    ),
    A(
        "changed_rows",
        "prints instead of returning",
        "def changed_rows(sequences):\n    print([i for i, s in enumerate(sequences) if len(s) < max(map(len, sequences))])",
        names=("returned None",),
    ),
    A(
        "changed_rows",
        "a broken redefinition after a right one: the old function is not judged",
        (
            RIGHT_ROWS,
            "def changed_rows(sequences):\n    return [i for i, s in enumerate(sequences) if len(s) < width",
        ),
        names=("SyntaxError", "earlier run"),
    ),
    A("changed_rows", "right", RIGHT_ROWS, expect="correct"),
    A(
        "changed_rows",
        "right, != longest",
        rows("[i for i in range(len(sequences)) if len(sequences[i]) != max(map(len, sequences))]"),
        expect="correct",
    ),
    A(
        "changed_rows",
        "right, a loop",
        "def changed_rows(sequences):\n    longest = 0\n    for seq in sequences:\n        longest = max(longest, len(seq))\n"
        "    changed = []\n    for i, seq in enumerate(sequences):\n        if len(seq) < longest:\n"
        "            changed.append(i)\n    return changed",
        expect="correct",
    ),
    A(
        "changed_rows",
        "right, sorted set",
        rows(f"sorted({{i for i, s in enumerate(sequences) if len(s) < {LONGEST}}})"),
        expect="correct",
    ),
    A(
        "changed_rows",
        "right, filter",
        rows(f"list(filter(lambda i: len(sequences[i]) < {LONGEST}, range(len(sequences))))"),
        expect="correct",
    ),
    A(
        "changed_rows",
        "right, a tensor made into a list",
        rows(
            f"torch.nonzero(torch.tensor([len(s) for s in sequences]) < {LONGEST}).flatten().tolist()"
        ),
        expect="correct",
    ),
    A(
        "changed_rows",
        "right, pads new lists first, then compares lengths",
        "def changed_rows(sequences):\n    width = max(len(s) for s in sequences)\n"
        "    padded_rows = [s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences]\n"
        "    return [i for i, (s, row) in enumerate(zip(sequences, padded_rows)) if len(row) > len(s)]",
        expect="correct",
    ),
]
