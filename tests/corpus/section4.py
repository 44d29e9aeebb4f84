"""What learners write for section 4 (``04_padding.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt

SOLUTION = (
    "def pad_batch(sequences, pad_id):\n"
    "    width = max(len(s) for s in sequences)\n"
    "    return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])\n"
)


def pad_batch(body: str) -> str:
    return "def pad_batch(sequences, pad_id):\n" + "".join(
        f"    {line}\n" for line in body.splitlines()
    )


ATTEMPTS = [
    # --- padded_ids: a (2, 3) torch.int64 tensor, the short row padded on the right with the pad id ---
    A(
        "padded_ids",
        "the ragged list straight into torch.tensor",
        "padded_ids = torch.tensor(batched_ids)",
        names=("raised ValueError", "ragged", "was not set"),
    ),
    A(
        "padded_ids",
        "the padded lists, not a tensor",
        "padded_ids = [[200, 200, 200], [200, 200, tokenizer.pad_token_id]]",
        names=("a Python list, not a tensor", "torch.tensor"),
    ),
    A(
        "padded_ids",
        "the original course's padding_id = 100 ([UNK])",
        "padding_id = 100\npadded_ids = torch.tensor([[200, 200, 200], [200, 200, padding_id]])",
        names=("padded with id 100", "[UNK]", "tokenizer.pad_token_id"),
    ),
    A(
        "padded_ids",
        "padded by repeating the last id",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 200]])",
        names=("padded with id 200", "real token"),
    ),
    A(
        "padded_ids",
        "padded on the left",
        "padded_ids = torch.tensor([[200, 200, 200], [0, 200, 200]])",
        names=("padded on the left",),
    ),
    A(
        "padded_ids",
        "the pad token's string, not its id",
        "padded_ids = [[200, 200, 200], [200, 200, tokenizer.pad_token]]",
        names=("token strings", "'[PAD]'", "convert_tokens_to_ids"),
    ),
    A(
        "padded_ids",
        "the pad token's string inside torch.tensor",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token]])",
        names=("raised", "token strings", "convert_tokens_to_ids"),
    ),
    A(
        "padded_ids",
        "cut to the shortest sequence instead of padding",
        "padded_ids = torch.tensor([row[:2] for row in batched_ids])",
        names=("wrong length", "cut to 2 ids", "shortest"),
    ),
    A(
        "padded_ids",
        "padded to a fixed length of 4",
        "padded_ids = torch.tensor([[200, 200, 200, 0], [200, 200, 0, 0]])",
        names=("wrong length", "padded to 4 ids", "no further"),
    ),
    A(
        "padded_ids",
        "capital-T Tensor makes floats",
        "padded_ids = torch.Tensor([[200, 200, 200], [200, 200, 0]])",
        names=("holds floats",),
    ),
    A(
        "padded_ids",
        "int32 ids",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 0]], dtype=torch.int32)",
        names=("dtype torch.int32", "torch.int64"),
    ),
    A(
        "padded_ids",
        "a NumPy array",
        "import numpy as np\npadded_ids = np.array([[200, 200, 200], [200, 200, 0]])",
        names=("NumPy array",),
    ),
    A(
        "padded_ids",
        "pad_sequence without batch_first (transposed)",
        "from torch.nn.utils.rnn import pad_sequence\n"
        "padded_ids = pad_sequence([torch.tensor(s) for s in batched_ids], padding_value=tokenizer.pad_token_id)",
        names=("transposed",),
    ),
    A(
        "padded_ids",
        "an extra batch dimension",
        "padded_ids = torch.tensor([[[200, 200, 200], [200, 200, tokenizer.pad_token_id]]])",
        names=("one dimension too many",),
    ),
    A(
        "padded_ids",
        "the two rows joined into one",
        "padded_ids = torch.tensor(batched_ids[0] + batched_ids[1] + [0])",
        names=("one long sequence",),
    ),
    A(
        "padded_ids",
        "the tokenizer's whole pad output",
        'padded_ids = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")',
        names=("tokenizer's whole output", "input_ids"),
    ),
    A(
        "padded_ids",
        "framed with [CLS] and [SEP] by the tokenizer",
        "cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id\n"
        "padded_ids = torch.tensor([[cls] + s + [sep] + [tokenizer.pad_token_id] * (3 - len(s)) for s in batched_ids])",
        names=("[CLS] and [SEP] added",),
    ),
    A(
        "padded_ids",
        "the starter code left",
        "padded_ids = None  # replace None with your answer\n"
        "# YOUR CODE HERE\nraise NotImplementedError()",
        expect="not attempted",
        names=("replace the starter code",),
    ),
    A(
        "padded_ids",
        "right",
        "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token_id]])",
        expect="correct",
    ),
    A(
        "padded_ids",
        "right, computed from the lengths",
        "width = max(len(s) for s in batched_ids)\n"
        "padded_ids = torch.tensor([s + [tokenizer.pad_token_id] * (width - len(s)) for s in batched_ids])",
        expect="correct",
    ),
    A(
        "padded_ids",
        "right, pad_sequence with batch_first",
        "from torch.nn.utils.rnn import pad_sequence\n"
        "padded_ids = pad_sequence([torch.tensor(s) for s in batched_ids], batch_first=True, "
        "padding_value=tokenizer.pad_token_id)",
        expect="correct",
    ),
    A(
        "padded_ids",
        "right, the tokenizer's pad",
        'padded_ids = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")["input_ids"]',
        expect="correct",
    ),
    A(
        "padded_ids",
        "right, LongTensor",
        "padded_ids = torch.LongTensor([[200, 200, 200], [200, 200, 0]])",
        expect="correct",
    ),
    A(
        "padded_ids",
        "right, the pad id from its token",
        'padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.convert_tokens_to_ids("[PAD]")]])',
        expect="correct",
    ),
    A(
        "padded_ids",
        "right, F.pad on the short row",
        "import torch.nn.functional as F\n"
        "padded_ids = torch.stack([torch.tensor(batched_ids[0]), F.pad(torch.tensor(batched_ids[1]), (0, 1), "
        "value=tokenizer.pad_token_id)])",
        expect="correct",
    ),
    # --- pad_batch(sequences, pad_id): a right-padded (batch, longest) torch.int64 tensor ---
    A(
        "pad_batch",
        "returns the padded lists",
        pad_batch(
            "width = max(len(s) for s in sequences)\nreturn [s + [pad_id] * (width - len(s)) for s in sequences]"
        ),
        names=("returned a list, not a tensor", "torch.tensor"),
    ),
    A(
        "pad_batch",
        "returns a tuple of lists",
        pad_batch(
            "width = max(len(s) for s in sequences)\nreturn tuple(s + [pad_id] * (width - len(s)) for s in sequences)"
        ),
        names=("returned a tuple, not a tensor",),
    ),
    A(
        "pad_batch",
        "returns a NumPy array",
        "import numpy as np\n"
        + pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "return np.array([s + [pad_id] * (width - len(s)) for s in sequences])"
        ),
        names=("NumPy array",),
    ),
    A(
        "pad_batch",
        "pad_sequence on tensors of the lists (an empty list is float)",
        pad_batch(
            "return torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in sequences], batch_first=True, "
            "padding_value=pad_id)"
        ),
        names=("first sequence is empty", "dtype torch.float32", "torch.tensor([])"),
    ),
    A(
        "pad_batch",
        "int32",
        pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.int32)"
        ),
        names=("dtype torch.int32", "torch.int64"),
    ),
    A(
        "pad_batch",
        "a float tensor filled in place",
        pad_batch(
            "width = max(len(s) for s in sequences)\nout = torch.zeros(len(sequences), width)\nout[:] = pad_id\n"
            "for i, s in enumerate(sequences):\n    out[i, :len(s)] = torch.tensor(s)\nreturn out"
        ),
        names=("dtype torch.float32", "torch.zeros"),
    ),
    A(
        "pad_batch",
        "pad id hard-coded to 0",
        pad_batch(
            "width = max(len(s) for s in sequences)\nreturn torch.tensor([s + [0] * (width - len(s)) for s in sequences])"
        ),
        names=("pad id other than 0", "pads with 0, not with `pad_id`"),
    ),
    A(
        "pad_batch",
        "the tokenizer's pad id instead of the argument",
        pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "return torch.tensor([s + [tokenizer.pad_token_id] * (width - len(s)) for s in sequences])"
        ),
        names=("pads with 0, not with `pad_id`",),
    ),
    A(
        "pad_batch",
        "padded on the left",
        pad_batch(
            "width = max(len(s) for s in sequences)\nreturn torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences])"
        ),
        names=("padded on the left",),
    ),
    A(
        "pad_batch",
        "extends the caller's lists",
        pad_batch(
            "width = max(len(s) for s in sequences)\nfor s in sequences:\n    s.extend([pad_id] * (width - len(s)))\n"
            "return torch.tensor(sequences)"
        ),
        names=("changed the lists it was given", "extend"),
    ),
    A(
        "pad_batch",
        "+= on the caller's lists",
        pad_batch(
            "width = max(len(s) for s in sequences)\nfor s in sequences:\n    s += [pad_id] * (width - len(s))\n"
            "return torch.tensor(sequences)"
        ),
        names=("changed the lists it was given",),
    ),
    A(
        "pad_batch",
        "a shallow copy, then append",
        pad_batch(
            "rows = list(sequences)\nwidth = max(len(s) for s in rows)\nfor row in rows:\n"
            "    while len(row) < width:\n        row.append(pad_id)\nreturn torch.tensor(rows)"
        ),
        names=("changed the lists it was given", "copy only the outer list"),
    ),
    A(
        "pad_batch",
        "the width of the first sequence",
        pad_batch(
            "width = len(sequences[0])\nreturn torch.tensor([(s + [pad_id] * width)[:width] for s in sequences])"
        ),
        names=("wrong shape", "first sequence's length"),
    ),
    A(
        "pad_batch",
        "max() of the lists, not of their lengths",
        pad_batch(
            "width = len(max(sequences))\nreturn torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
        ),
        names=("raised ValueError", "longest in the middle", "ragged"),
    ),
    A(
        "pad_batch",
        "an off-by-one width",
        pad_batch(
            "width = max(len(s) for s in sequences) + 1\n"
            "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])"
        ),
        names=("wrong shape", "one column more", "off-by-one"),
    ),
    A(
        "pad_batch",
        "padded to a fixed 512, the model's maximum",
        pad_batch("return torch.tensor([s + [pad_id] * (512 - len(s)) for s in sequences])"),
        names=("wrong shape", "padded to 512 columns", "no further"),
    ),
    A(
        "pad_batch",
        "sorted by length first",
        pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "return torch.tensor([s + [pad_id] * (width - len(s)) for s in sorted(sequences, key=len, reverse=True)])"
        ),
        names=("another order", "sorted"),
    ),
    A(
        "pad_batch",
        "prints instead of returning",
        pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "print(torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences]))"
        ),
        names=("returned None",),
    ),
    A(
        "pad_batch",
        "only the last sequence padded",
        pad_batch(
            "width = max(len(s) for s in sequences)\nrows = [list(s) for s in sequences]\n"
            "rows[-1] = rows[-1] + [pad_id] * (width - len(rows[-1]))\nreturn torch.tensor(rows)"
        ),
        names=("raised ValueError", "longest in the middle", "ragged"),
    ),
    A(
        "pad_batch",
        "skips the empty sequences",
        pad_batch(
            "kept = [s for s in sequences if s]\nwidth = max(len(s) for s in kept)\n"
            "return torch.tensor([s + [pad_id] * (width - len(s)) for s in kept])"
        ),
        names=("empty sequence", "wrong shape", "1 row for 2 sequences", "left out"),
    ),
    A(
        "pad_batch",
        "a loop that never ends",
        pad_batch(
            "width = max(len(s) for s in sequences)\nrows = []\nfor s in sequences:\n    row = list(s)\n"
            "    while len(row) < width:\n        pass\n    rows.append(row)\nreturn torch.tensor(rows)"
        ),
        names=("did not return within the time limit", "loop"),
    ),
    A(
        "pad_batch",
        "the starter code left",
        "def pad_batch(sequences, pad_id):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        expect="not attempted",
        names=("NotImplementedError",),
    ),
    A("pad_batch", "right", SOLUTION, expect="correct"),
    A(
        "pad_batch",
        "right, pad_sequence on int64 tensors",
        pad_batch(
            "return torch.nn.utils.rnn.pad_sequence([torch.tensor(s, dtype=torch.long) for s in sequences], "
            "batch_first=True, padding_value=pad_id)"
        ),
        expect="correct",
    ),
    A(
        "pad_batch",
        "right, torch.full then fill each row",
        pad_batch(
            "width = max(len(s) for s in sequences)\nout = torch.full((len(sequences), width), pad_id, dtype=torch.long)\n"
            "for i, s in enumerate(sequences):\n    out[i, :len(s)] = torch.tensor(s, dtype=torch.long)\nreturn out"
        ),
        expect="correct",
    ),
    A(
        "pad_batch",
        "right, a loop over copies",
        pad_batch(
            "width = max(map(len, sequences))\nrows = []\nfor s in sequences:\n    row = list(s)\n"
            "    while len(row) < width:\n        row.append(pad_id)\n    rows.append(row)\nreturn torch.tensor(rows)"
        ),
        expect="correct",
    ),
    A(
        "pad_batch",
        "right, a deep copy then extend",
        "import copy\n"
        + pad_batch(
            "rows = copy.deepcopy(sequences)\nwidth = max(len(r) for r in rows)\nfor r in rows:\n"
            "    r.extend([pad_id] * (width - len(r)))\nreturn torch.tensor(rows)"
        ),
        expect="correct",
    ),
    A(
        "pad_batch",
        "right, the tokenizer's pad with the argument",
        pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "return torch.LongTensor([s + [pad_id] * (width - len(s)) for s in sequences])"
        ),
        expect="correct",
    ),
    A(
        "pad_batch",
        "right, F.pad per row",
        "import torch.nn.functional as F\n"
        + pad_batch(
            "width = max(len(s) for s in sequences)\n"
            "return torch.stack([F.pad(torch.tensor(s, dtype=torch.long), (0, width - len(s)), value=pad_id) "
            "for s in sequences])"
        ),
        expect="correct",
    ),
]
