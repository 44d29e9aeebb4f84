"""What learners write for the exercises of section 5 (``05_padding_in_practice.ipynb``), in the order they might."""

from . import CORRECT, NOT_ATTEMPTED, Rows

padded_logits = Rows("padded_logits")
changed_rows = Rows("changed_rows")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- padded_logits ---
    padded_logits("model_output", "the whole output",
        "padded_logits = model(padded)",
        "model's whole output", ".logits"),
    padded_logits("call_mask", "with the attention mask (section 6's answer)",
        "padded_logits = model(padded, attention_mask=torch.tensor([[1, 1, 1], [1, 1, 0]])).logits",
        "comes from a call with an attention mask", "without one", "`model(padded).logits`"),
    padded_logits("call_mask", "a mask of all ones",
        "padded_logits = model(padded, attention_mask=torch.ones_like(padded)).logits",
        "with an attention mask", "all ones"),
    padded_logits("joined_calls", "each sequence alone, joined",
        "padded_logits = torch.cat([logits1, logits2])",
        "put together from 2 separate model calls", "batch of one", "no sequence meets padding"),
    padded_logits("joined_calls", "each row run alone in a loop",
        "padded_logits = torch.cat([model(torch.tensor([row[row != 0].tolist()])).logits for row in padded])",
        "put together from 2 separate model calls"),
    padded_logits("typed_in", "numbers typed in from the print",
        "padded_logits = torch.tensor([[2.3606, -2.4083], [0.2437, -0.2431]])",
        "typed in", "as a print shows them"),
    padded_logits("typed_in", "the original course's numbers typed in",
        "padded_logits = torch.tensor([[1.5694, -1.3895], [1.3373, -1.2163]])",
        "typed in", "DistilBERT"),
    padded_logits("cell_raised", "the ragged list to the model: the cell raises, after a right answer ran",
        ("padded_logits = model(padded).logits", "padded_logits = model(torch.tensor(sequence1_ids + sequence2_ids)).logits",),
        "raised ValueError", "earlier run"),
    padded_logits("one_row_taken", "only the padded row",
        "padded_logits = model(padded).logits[1]",
        "no batch dimension", "one row of the logits of a call on shape (2, 3)"),
    padded_logits("call_shape", "the second sequence alone",
        "padded_logits = logits2",
        "comes from a model call on a batch of shape (1, 2)", "batch of one"),
    padded_logits("probabilities", "probabilities",
        "padded_logits = model(padded).logits.softmax(dim=-1)",
        "probabilities"),
    padded_logits("integers", "the predicted labels",
        "padded_logits = model(padded).logits.argmax(dim=-1)",
        "holds integers"),
    padded_logits("known_wrong_logits", "padded with 100 ([UNK]), the original course's first try",
        "padded_logits = model(torch.tensor([[200, 200, 200], [200, 200, 100]])).logits",
        "padded with [UNK]", "not with the pad id 0"),
    padded_logits("known_wrong_logits", "padded on the left",
        "padded_logits = model(torch.tensor([[200, 200, 200], [0, 200, 200]])).logits",
        "padded on the left", "in front of the short row"),
    padded_logits("call_shape", "transposed ids",
        "padded_logits = model(padded.T).logits",
        "comes from a model call on a batch of shape (3, 2)"),
    padded_logits("numpy_array", "a NumPy array",
        "padded_logits = model(padded).logits.detach().numpy()",
        "NumPy array", "torch.tensor"),
    padded_logits("not_finite", "NaN typed in",
        'padded_logits = torch.tensor([[1.0, float("nan")], [0.0, 0.0]])',
        "NaN"),
    padded_logits("integers", "one label per row",
        "padded_logits = torch.tensor([1, 0])",
        "integers"),
    padded_logits("logits_shape", "the last hidden states",
        "padded_logits = model(padded, output_hidden_states=True).hidden_states[-1]",
        "hidden states"),
    padded_logits("python_list", "a Python list",
        "padded_logits = model(padded).logits.tolist()",
        "a Python list"),
    padded_logits(NOT_ATTEMPTED, "the starter code left",
        (
            "padded_logits = None  # replace None with your answer\n"
            "# YOUR CODE HERE\n"
            "raise NotImplementedError()"
        ),
        "replace the starter code"),
    padded_logits(CORRECT, "right", "padded_logits = model(padded).logits"),
    padded_logits(CORRECT, "right, no_grad",
        (
            "with torch.no_grad():\n"
            "    padded_logits = model(padded).logits"
        )),
    padded_logits(CORRECT, "right, inference_mode",
        (
            "with torch.inference_mode():\n"
            "    padded_logits = model(padded).logits"
        )),
    padded_logits(CORRECT, "right, keyword", "padded_logits = model(input_ids=padded).logits"),
    padded_logits(CORRECT, "right, index 0", "padded_logits = model(padded)[0]"),
    padded_logits(CORRECT, "right, two lines",
        (
            "outputs = model(padded)\n"
            "padded_logits = outputs.logits"
        )),
    padded_logits(CORRECT, "right, cloned", "padded_logits = model(padded).logits.detach().clone()"),
    # --- changed_rows ---
    changed_rows("constant_answer", "the notebook's answer written in",
        (
            "def changed_rows(sequences):\n"
            "    return [1]"
        ),
        "returned [1] for every batch", "written in"),
    changed_rows("constant_answer", "the notebook's `padded` instead of the argument",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i, row in enumerate(padded.tolist()) if tokenizer.pad_token_id in row]"
        ),
        "returned [1] for every batch"),
    changed_rows("unpadded_rows", "the longest rows",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i, s in enumerate(sequences) if len(s) == max(len(s) for s in sequences)]"
        ),
        "NOT padded", "attend to the pad tokens"),
    changed_rows("extra_rows", "every row: padding changes the whole batch",
        (
            "def changed_rows(sequences):\n"
            "    return list(range(len(sequences)))"
        ),
        "includes row 0", "gets no padding", "float rounding"),
    changed_rows("extra_rows", "<= instead of <",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i, s in enumerate(sequences) if len(s) <= max(len(s) for s in sequences)]"
        ),
        "includes row 0", "gets no padding"),
    changed_rows("missing_rows", "looks for the pad id in the unpadded sequences",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i, s in enumerate(sequences) if tokenizer.pad_token_id in s]"
        ),
        "leaves out row 1", "attends to them"),
    changed_rows("extra_rows", "pads, then looks for the pad id",
        (
            "def changed_rows(sequences):\n"
            "    width = max(len(s) for s in sequences)\n"
            "    padded_rows = [s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences]\n"
            "    return [i for i, row in enumerate(padded_rows) if tokenizer.pad_token_id in row]"
        ),
        "includes row 0", "id 0 in it is a real token", "lengths"),
    changed_rows("missing_rows", "the shortest row only",
        (
            "def changed_rows(sequences):\n"
            "    return [min(range(len(sequences)), key=lambda i: len(sequences[i]))]"
        ),
        "leaves out row 0", "2 [PAD] tokens", "[PAD] tokens added"),
    changed_rows("missing_rows", "shorter than the first sequence",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i, s in enumerate(sequences) if len(s) < len(sequences[0])]"
        ),
        "leaves out row 0"),
    changed_rows("missing_rows", "runs the model and compares with a loose tolerance",
        (
            "def changed_rows(sequences):\n"
            "    width = max(len(s) for s in sequences)\n"
            "    padded_rows = torch.tensor([s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences])\n"
            "    with torch.no_grad():\n"
            "        batch = model(padded_rows).logits\n"
            "        alone = [model(torch.tensor([s])).logits[0] if s else None for s in sequences]\n"
            "    return [i for i, row in enumerate(alone) if row is not None and not torch.allclose(batch[i], row, atol=0.1)]"
        ),
        "leaves out row 0", "1 [PAD] token added", "atol=0.1"),
    changed_rows("constant_kind", "the pad count of each row",
        (
            "def changed_rows(sequences):\n"
            "    return [max(len(s) for s in sequences) - len(s) for s in sequences]"
        ),
        "number of pad tokens of each row"),
    changed_rows("constant_kind", "the lengths",
        (
            "def changed_rows(sequences):\n"
            "    return [len(s) for s in sequences]"
        ),
        "length of each sequence"),
    changed_rows("counts_from_one", "counted from 1",
        (
            "def changed_rows(sequences):\n"
            "    return [i + 1 for i, s in enumerate(sequences) if len(s) < max(len(s) for s in sequences)]"
        ),
        "counts the rows from 1"),
    changed_rows("booleans_per_row", "True/False per row",
        (
            "def changed_rows(sequences):\n"
            "    return [len(s) < max(len(s) for s in sequences) for s in sequences]"
        ),
        "True/False for each row"),
    changed_rows("not_a_list", "a tuple",
        (
            "def changed_rows(sequences):\n"
            "    return tuple(i for i, s in enumerate(sequences) if len(s) < max(len(s) for s in sequences))"
        ),
        "returned a tuple, not a list"),
    changed_rows("not_a_list", "a set",
        (
            "def changed_rows(sequences):\n"
            "    return {i for i, s in enumerate(sequences) if len(s) < max(len(s) for s in sequences)}"
        ),
        "returned a set"),
    changed_rows("tensor_not_list", "a tensor of indices",
        (
            "def changed_rows(sequences):\n"
            "    return torch.nonzero(torch.tensor([len(s) for s in sequences]) < max(len(s) for s in sequences)).flatten()"
        ),
        "tensor or an array", ".tolist()"),
    changed_rows("not_ints", "a list of tensor elements",
        (
            "def changed_rows(sequences):\n"
            "    return list(torch.nonzero(torch.tensor([len(s) for s in sequences]) < max(len(s) for s in sequences)).flatten())"
        ),
        "other than Python ints", "int(...)"),
    changed_rows("unordered", "in reverse order",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i, s in enumerate(sequences) if len(s) < max(len(s) for s in sequences)][::-1]"
        ),
        "increasing order"),
    changed_rows("mutated_arguments", "pads the caller's lists in place",
        (
            "def changed_rows(sequences):\n"
            "    width = max(len(s) for s in sequences)\n"
            "    changed = []\n"
            "    for i, s in enumerate(sequences):\n"
            "        if len(s) < width:\n"
            "            s.extend([tokenizer.pad_token_id] * (width - len(s)))\n"
            "            changed.append(i)\n"
            "    return changed"
        ),
        "changed the lists it was given", "in place"),
    changed_rows("returned_none", "prints instead of returning",
        (
            "def changed_rows(sequences):\n"
            "    print([i for i, s in enumerate(sequences) if len(s) < max(map(len, sequences))])"
        ),
        "returned None", "printing is not returning"),
    changed_rows("not_a_function", "a value, not a function",
        "changed_rows = True",
        "not a function"),
    changed_rows("cell_raised", "a broken redefinition after a right one: the old function is not judged",
        ((
            "def changed_rows(sequences):\n"
            "    width = max(len(seq) for seq in sequences)\n"
            "    return [i for i, seq in enumerate(sequences) if len(seq) < width]"
        ), (
            "def changed_rows(sequences):\n"
            "    return [i for i, s in enumerate(sequences) if len(s) < width"
        ),),
        "SyntaxError", "earlier run"),
    changed_rows(CORRECT, "right",
        (
            "def changed_rows(sequences):\n"
            "    width = max(len(seq) for seq in sequences)\n"
            "    return [i for i, seq in enumerate(sequences) if len(seq) < width]"
        )),
    changed_rows(CORRECT, "right, != longest",
        (
            "def changed_rows(sequences):\n"
            "    return [i for i in range(len(sequences)) if len(sequences[i]) != max(map(len, sequences))]"
        )),
    changed_rows(CORRECT, "right, a loop",
        (
            "def changed_rows(sequences):\n"
            "    longest = 0\n"
            "    for seq in sequences:\n"
            "        longest = max(longest, len(seq))\n"
            "    changed = []\n"
            "    for i, seq in enumerate(sequences):\n"
            "        if len(seq) < longest:\n"
            "            changed.append(i)\n"
            "    return changed"
        )),
    changed_rows(CORRECT, "right, sorted set",
        (
            "def changed_rows(sequences):\n"
            "    return sorted({i for i, s in enumerate(sequences) if len(s) < max(len(s) for s in sequences)})"
        )),
    changed_rows(CORRECT, "right, filter",
        (
            "def changed_rows(sequences):\n"
            "    return list(filter(lambda i: len(sequences[i]) < max(len(s) for s in sequences), range(len(sequences))))"
        )),
    changed_rows(CORRECT, "right, NumPy's nonzero made into a list",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def changed_rows(sequences):\n"
            "    return np.nonzero(np.array([len(s) for s in sequences]) < max(map(len, sequences)))[0].tolist()"
        )),
    changed_rows(CORRECT, "right, a tensor made into a list",
        (
            "def changed_rows(sequences):\n"
            "    return torch.nonzero(torch.tensor([len(s) for s in sequences]) < max(len(s) for s in sequences)).flatten().tolist()"
        )),
    changed_rows(CORRECT, "right, pads new lists first, then compares lengths",
        (
            "def changed_rows(sequences):\n"
            "    width = max(len(s) for s in sequences)\n"
            "    padded_rows = [s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences]\n"
            "    return [i for i, (s, row) in enumerate(zip(sequences, padded_rows)) if len(row) > len(s)]"
        )),
]
# fmt: on
