"""What learners write for the exercises of section 4 (``04_padding.ipynb``), in the order they might."""

from . import CORRECT, NOT_ATTEMPTED, Rows, function

padded_ids = Rows("padded_ids")
pad_batch = Rows("pad_batch")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- padded_ids ---
    padded_ids("cell_raised", "the ragged list straight into torch.tensor",
        "padded_ids = torch.tensor(batched_ids)",
        "raised ValueError", "ragged", "was not set"),
    padded_ids("python_list", "the padded lists, not a tensor",
        "padded_ids = [[200, 200, 200], [200, 200, tokenizer.pad_token_id]]",
        "a Python list, not a tensor", "torch.tensor"),
    padded_ids("wrong_pad_id", "the original course's padding_id = 100 ([UNK])",
        (
            "padding_id = 100\n"
            "padded_ids = torch.tensor([[200, 200, 200], [200, 200, padding_id]])"
        ),
        "padded with id 100", "[UNK]", "tokenizer.pad_token_id"),
    padded_ids("wrong_pad_id", "padded by repeating the last id",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 200]])",
        "padded with id 200", "real token"),
    padded_ids("left_padding", "padded on the left",
        "padded_ids = torch.tensor([[200, 200, 200], [0, 200, 200]])",
        "padded on the left"),
    padded_ids("token_strings", "the pad token's string, not its id",
        "padded_ids = [[200, 200, 200], [200, 200, tokenizer.pad_token]]",
        "token strings", "'[PAD]'", "convert_tokens_to_ids"),
    padded_ids("cell_raised", "the pad token's string inside torch.tensor",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token]])",
        "raised", "token strings", "convert_tokens_to_ids"),
    padded_ids("wrong_length", "cut to the shortest sequence instead of padding",
        "padded_ids = torch.tensor([row[:2] for row in batched_ids])",
        "wrong length", "cut to 2 ids", "shortest"),
    padded_ids("wrong_length", "padded to a fixed length of 4",
        "padded_ids = torch.tensor([[200, 200, 200, 0], [200, 200, 0, 0]])",
        "wrong length", "padded to 4 ids", "no further"),
    padded_ids("floats", "capital-T Tensor makes floats",
        "padded_ids = torch.Tensor([[200, 200, 200], [200, 200, 0]])",
        "holds floats"),
    padded_ids("ids_dtype", "int32 ids",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 0]], dtype=torch.int32)",
        "dtype torch.int32", "torch.int64"),
    padded_ids("numpy_array", "a NumPy array",
        (
            "import numpy as np\n"
            "padded_ids = np.array([[200, 200, 200], [200, 200, 0]])"
        ),
        "NumPy array"),
    padded_ids("transposed", "pad_sequence without batch_first (transposed)",
        (
            "from torch.nn.utils.rnn import pad_sequence\n"
            "padded_ids = pad_sequence([torch.tensor(s) for s in batched_ids], padding_value=tokenizer.pad_token_id)"
        ),
        "transposed"),
    padded_ids("extra_dimension", "an extra batch dimension",
        "padded_ids = torch.tensor([[[200, 200, 200], [200, 200, tokenizer.pad_token_id]]])",
        "one dimension too many"),
    padded_ids("one_long_sequence", "the two rows joined into one",
        "padded_ids = torch.tensor(batched_ids[0] + batched_ids[1] + [0])",
        "one long sequence"),
    padded_ids("tokenizer_output", "the tokenizer's whole pad output",
        'padded_ids = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")',
        "tokenizer's whole output", "input_ids"),
    padded_ids("special_tokens_added", "framed with [CLS] and [SEP] by the tokenizer",
        (
            "cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id\n"
            "padded_ids = torch.tensor([[cls] + s + [sep] + [tokenizer.pad_token_id] * (3 - len(s)) for s in batched_ids])"
        ),
        "[CLS] and [SEP] added"),
    padded_ids(NOT_ATTEMPTED, "the starter code left",
        (
            "padded_ids = None  # replace None with your answer\n"
            "# YOUR CODE HERE\n"
            "raise NotImplementedError()"
        ),
        "replace the starter code"),
    padded_ids(CORRECT, "right",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token_id]])"),
    padded_ids(CORRECT, "right, computed from the lengths",
        (
            "width = max(len(s) for s in batched_ids)\n"
            "padded_ids = torch.tensor([s + [tokenizer.pad_token_id] * (width - len(s)) for s in batched_ids])"
        )),
    padded_ids(CORRECT, "right, pad_sequence with batch_first",
        (
            "from torch.nn.utils.rnn import pad_sequence\n"
            "padded_ids = pad_sequence([torch.tensor(s) for s in batched_ids], batch_first=True, padding_value=tokenizer.pad_token_id)"
        )),
    padded_ids(CORRECT, "right, the tokenizer's pad",
        'padded_ids = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")["input_ids"]'),
    padded_ids(CORRECT, "right, LongTensor",
        "padded_ids = torch.LongTensor([[200, 200, 200], [200, 200, 0]])"),
    padded_ids(CORRECT, "right, the pad id from its token",
        'padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.convert_tokens_to_ids("[PAD]")]])'),
    padded_ids(CORRECT, "right, F.pad on the short row",
        (
            "import torch.nn.functional as F\n"
            "padded_ids = torch.stack([torch.tensor(batched_ids[0]), F.pad(torch.tensor(batched_ids[1]), (0, 1), value=tokenizer.pad_token_id)])"
        )),
    # --- pad_batch ---
    pad_batch("python_list", "returns the padded lists",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return [s + [pad_id] * (width - len(s)) for s in sequences]"
            )),
        "returned a list, not a tensor", "torch.tensor"),
    pad_batch("python_list", "returns a tuple of lists",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return tuple(s + [pad_id] * (width - len(s)) for s in sequences)"
            )),
        "returned a tuple, not a tensor"),
    pad_batch("numpy_array", "returns a NumPy array",
        "import numpy as np\n" + function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return np.array([s + [pad_id] * (width - len(s)) for s in sequences])"
            )),
        "NumPy array"),
    pad_batch("result_dtype", "pad_sequence on tensors of the lists (an empty list is float)",
        function("pad_batch(sequences, pad_id)", "return torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in sequences], batch_first=True, padding_value=pad_id)"),
        "first sequence is empty", "dtype torch.float32", "torch.tensor([])"),
    pad_batch("result_dtype", "int32",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.int32)"
            )),
        "dtype torch.int32", "torch.int64"),
    pad_batch("result_dtype", "a float tensor filled in place",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "out = torch.zeros(len(sequences), width)\n"
                "out[:] = pad_id\n"
                "for i, s in enumerate(sequences):\n"
                "    out[i, :len(s)] = torch.tensor(s)\n"
                "return out"
            )),
        "dtype torch.float32", "torch.zeros"),
    pad_batch("pads_with_zero", "pad id hard-coded to 0",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [0] * (width - len(s)) for s in sequences])"
            )),
        "pad id other than 0", "pads with 0, not with `pad_id`"),
    pad_batch("pads_with_zero", "the tokenizer's pad id instead of the argument",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences])"
            )),
        "pads with 0, not with `pad_id`"),
    pad_batch("pads_on_the_left", "padded on the left",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences])"
            )),
        "padded on the left"),
    pad_batch("mutated_arguments", "extends the caller's lists",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "for s in sequences:\n"
                "    s.extend([pad_id] * (width - len(s)))\n"
                "return torch.tensor(sequences)"
            )),
        "changed the lists it was given", "extend"),
    pad_batch("mutated_arguments", "+= on the caller's lists",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "for s in sequences:\n"
                "    s += [pad_id] * (width - len(s))\n"
                "return torch.tensor(sequences)"
            )),
        "changed the lists it was given"),
    pad_batch("mutated_arguments", "a shallow copy, then append",
        function("pad_batch(sequences, pad_id)", (
                "rows = list(sequences)\n"
                "width = max(len(s) for s in rows)\n"
                "for row in rows:\n"
                "    while len(row) < width:\n"
                "        row.append(pad_id)\n"
                "return torch.tensor(rows)"
            )),
        "changed the lists it was given", "copy only the outer list"),
    pad_batch("result_shape", "the width of the first sequence",
        function("pad_batch(sequences, pad_id)", (
                "width = len(sequences[0])\n"
                "return torch.tensor([(s + [pad_id] * width)[:width] for s in sequences])"
            )),
        "wrong shape", "first sequence's length"),
    pad_batch("raised", "max() of the lists, not of their lengths",
        function("pad_batch(sequences, pad_id)", (
                "width = len(max(sequences))\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
            )),
        "raised ValueError", "longest in the middle", "ragged"),
    pad_batch("result_shape", "an off-by-one width",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences) + 1\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
            )),
        "wrong shape", "one column more", "off-by-one"),
    pad_batch("result_shape", "padded to a fixed 512, the model's maximum",
        function("pad_batch(sequences, pad_id)", "return torch.tensor([s + [pad_id] * (512 - len(s)) for s in sequences])"),
        "wrong shape", "padded to 512 columns", "no further"),
    pad_batch("reordered", "sorted by length first",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sorted(sequences, key=len, reverse=True)])"
            )),
        "another order", "sorted"),
    pad_batch("returned_none", "prints instead of returning",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "print(torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences]))"
            )),
        "returned None"),
    pad_batch("raised", "only the last sequence padded",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "rows = [list(s) for s in sequences]\n"
                "rows[-1] = rows[-1] + [pad_id] * (width - len(rows[-1]))\n"
                "return torch.tensor(rows)"
            )),
        "raised ValueError", "longest in the middle", "ragged"),
    pad_batch("result_shape", "skips the empty sequences",
        function("pad_batch(sequences, pad_id)", (
                "kept = [s for s in sequences if s]\n"
                "width = max(len(s) for s in kept)\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in kept])"
            )),
        "empty sequence", "wrong shape", "1 row for 2 sequences", "left out"),
    pad_batch("timed_out", "a loop that never ends",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "rows = []\n"
                "for s in sequences:\n"
                "    row = list(s)\n"
                "    while len(row) < width:\n"
                "        pass\n"
                "    rows.append(row)\n"
                "return torch.tensor(rows)"
            )),
        "did not return within the time limit", "loop"),
    pad_batch(NOT_ATTEMPTED, "the starter code left",
        (
            "def pad_batch(sequences, pad_id):\n"
            "    # YOUR CODE HERE\n"
            "    raise NotImplementedError()"
        ),
        "NotImplementedError"),
    pad_batch("result_dtype", "no dtype: ints stay ints, except in a batch of empty sequences",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
            )),
        "batch of empty sequences", "every sequence is empty", "float32", "dtype=torch.long"),
    pad_batch("raised", "the width taken from the first sequence, then one tensor",
        function("pad_batch(sequences, pad_id)", (
                "width = len(sequences[0])\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
            )),
        "raised ValueError", "ragged", "first sequence's length (2)", "max(len(s) for s in sequences)"),
    pad_batch(CORRECT, "right, made on the CPU explicitly (the model's device here)",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long, device='cpu')"
            ))),
    pad_batch(CORRECT, "right",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)"
            ))),
    pad_batch(CORRECT, "right, pad_sequence on int64 tensors",
        function("pad_batch(sequences, pad_id)", "return torch.nn.utils.rnn.pad_sequence([torch.tensor(s, dtype=torch.long) for s in sequences], batch_first=True, padding_value=pad_id)")),
    pad_batch(CORRECT, "right, torch.full then fill each row",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "out = torch.full((len(sequences), width), pad_id, dtype=torch.long)\n"
                "for i, s in enumerate(sequences):\n"
                "    out[i, :len(s)] = torch.tensor(s, dtype=torch.long)\n"
                "return out"
            ))),
    pad_batch(CORRECT, "right, a loop over copies",
        function("pad_batch(sequences, pad_id)", (
                "width = max(map(len, sequences))\n"
                "rows = []\n"
                "for s in sequences:\n"
                "    row = list(s)\n"
                "    while len(row) < width:\n"
                "        row.append(pad_id)\n"
                "    rows.append(row)\n"
                "return torch.tensor(rows, dtype=torch.long)"
            ))),
    pad_batch(CORRECT, "right, a deep copy then extend",
        "import copy\n" + function("pad_batch(sequences, pad_id)", (
                "rows = copy.deepcopy(sequences)\n"
                "width = max(len(r) for r in rows)\n"
                "for r in rows:\n"
                "    r.extend([pad_id] * (width - len(r)))\n"
                "return torch.tensor(rows, dtype=torch.long)"
            ))),
    pad_batch(CORRECT, "right, the tokenizer's pad with the argument",
        function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.LongTensor([s + [pad_id] * (width - len(s)) for s in sequences])"
            ))),
    pad_batch(CORRECT, "right, F.pad per row",
        "import torch.nn.functional as F\n" + function("pad_batch(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "return torch.stack([F.pad(torch.tensor(s, dtype=torch.long), (0, width - len(s)), value=pad_id) for s in sequences])"
            ))),
    # --- from the unit tests (tests/checker/exercises/test_section4.py) ---
    padded_ids("ragged", "the ragged lists themselves", "padded_ids = batched_ids", "ragged", "pad"),
    padded_ids("text", "the printed tensor, as text", 'padded_ids = "[[200, 200, 200], [200, 200, 0]]"', "text"),
    pad_batch("pads_with_other_id", "pads with [UNK]'s id", function("pad_batch(sequences, pad_id)", "width = max(len(s) for s in sequences)\nreturn torch.tensor([s + [100] * (width - len(s)) for s in sequences])"), "pads with 100"),
    pad_batch("result_shape", "pad_sequence without batch_first", function("pad_batch(sequences, pad_id)", "from torch.nn.utils.rnn import pad_sequence\nreturn pad_sequence([torch.tensor(s, dtype=torch.long) for s in sequences], padding_value=pad_id)"), "transposed", "batch_first=True"),
    pad_batch("raised", "torch.tensor of the ragged lists", function("pad_batch(sequences, pad_id)", "return torch.tensor(sequences)"), "raised ValueError", "the notebook's batch"),
    pad_batch("result_dtype", "the right padding, as floats", function("pad_batch(sequences, pad_id)", "width = max(len(s) for s in sequences)\nreturn torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences]).float()"), "dtype torch.float32"),
    pad_batch("result_shape", "padded to 8 columns", function("pad_batch(sequences, pad_id)", "return torch.tensor([s + [pad_id] * (8 - len(s)) for s in sequences])"), "wrong shape", "(2, 3)", "padded to 8 columns", "no further"),
    pad_batch("not_a_function", "a string named like the function", 'pad_batch = "pad_batch"', "not a function"),
]
# fmt: on
