"""A fresh learner's attempts at every "Try it!" of the released notebooks, written as data.

Written from the released notebooks alone (their markdown, code, task texts and stubs), before the
checker's code, its diagnoses, its hidden cases or the existing corpus were read. Each record is one
answer cell as a learner would type it in place of the stub (`# YOUR CODE HERE` / `raise
NotImplementedError()`), in the words a learner would use for it:

- `section`, `exercise`: the notebook and the exercise's name in it (`ex.<exercise>.check()`);
- `description`: what the learner thinks they did;
- `code`: the exact cell; it runs in the notebook's namespace after every cell above the answer
  cell, with the earlier exercises of the notebook answered correctly;
- `right`: whether the answer is right (for every input the task text allows);
- `mistake`: for a wrong answer, what the mistake truly is, in one line;
- `gpu_only`: the mistake only shows when the model is on a GPU (`COURSE_DEVICE=cuda`): on the CPU
  the code does what a right answer does.
"""

from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Attempt:
    section: int
    exercise: str
    description: str
    code: str
    right: bool
    mistake: str | None = None
    gpu_only: bool = False

    @property
    def id(self) -> str:
        return f"s{self.section}.{self.exercise}.{ATTEMPTS.index(self):03d}"


ATTEMPTS: list[Attempt] = []


def ok(section: int, exercise: str, description: str, code: str) -> None:
    """A right answer, possibly written differently from the obvious one."""
    ATTEMPTS.append(Attempt(section, exercise, description, dedent(code).strip() + "\n", True))


def bad(
    section: int,
    exercise: str,
    description: str,
    code: str,
    mistake: str,
    gpu_only: bool = False,
) -> None:
    """A wrong answer, with what is truly wrong with it."""
    ATTEMPTS.append(
        Attempt(
            section, exercise, description, dedent(code).strip() + "\n", False, mistake, gpu_only
        )
    )


# ---------------------------------------------------------------------------------------------
# Section 1: why multiple sequences
# ---------------------------------------------------------------------------------------------
S = 1
E = "batch_of_two"
ok(
    S,
    E,
    "a list of the two id lists into torch.tensor",
    "batch = torch.tensor([first_ids, second_ids])",
)
ok(
    S,
    E,
    "stack two 1-D tensors",
    "batch = torch.stack([torch.tensor(first_ids), torch.tensor(second_ids)])",
)
ok(S, E, "LongTensor is int64 anyway", "batch = torch.LongTensor([first_ids, second_ids])")
ok(
    S,
    E,
    "two rows of one, concatenated on dim 0",
    """
    batch = torch.tensor([first_ids])
    batch = torch.cat([batch, torch.tensor([second_ids])], dim=0)
    """,
)
ok(
    S,
    E,
    "I typed the ids from the print",
    "batch = torch.tensor([[2023, 2143, 2001, 6919, 1012], [2023, 2143, 2001, 6659, 1012]])",
)
bad(
    S,
    E,
    "capital-T Tensor",
    "batch = torch.Tensor([first_ids, second_ids])",
    "torch.Tensor makes float32; ids must be int64",
)
bad(
    S,
    E,
    "a list of lists is a batch, isn't it",
    "batch = [first_ids, second_ids]",
    "a Python list, not a tensor",
)
bad(
    S,
    E,
    "joined the two lists",
    "batch = torch.tensor(first_ids + second_ids)",
    "concatenated into one 1-D row of 10 ids instead of two rows",
)
bad(
    S,
    E,
    "second sentence first",
    "batch = torch.tensor([second_ids, first_ids])",
    "rows swapped: first_ids must be row 0",
)
bad(
    S,
    E,
    "ids as columns",
    "batch = torch.tensor([first_ids, second_ids]).T",
    "transposed: shape (5, 2) instead of (2, 5)",
)
bad(
    S,
    E,
    "let the tokenizer do it",
    'batch = tokenizer(["This film was wonderful.", "This film was terrible."], return_tensors="pt")',
    "the tokenizer's whole output (a BatchEncoding), not a tensor of the manual ids",
)
bad(
    S,
    E,
    "the tokenizer's input_ids",
    'batch = tokenizer(["This film was wonderful.", "This film was terrible."], return_tensors="pt")["input_ids"]',
    "the tokenizer adds [CLS] and [SEP]: shape (2, 7), not the manual ids",
)
bad(
    S,
    E,
    "numpy array",
    """
    import numpy as np

    batch = np.array([first_ids, second_ids])
    """,
    "a NumPy array, not a torch tensor",
)
bad(
    S,
    E,
    "int32 to save memory",
    "batch = torch.tensor([first_ids, second_ids], dtype=torch.int32)",
    "dtype int32 instead of int64",
)
bad(
    S,
    E,
    "copied the first line twice",
    "batch = torch.tensor([first_ids, first_ids])",
    "second row holds first_ids instead of second_ids",
)
bad(
    S,
    E,
    "each sentence in its own list",
    "batch = torch.tensor([[first_ids], [second_ids]])",
    "an extra dimension: shape (2, 1, 5)",
)
bad(
    S,
    E,
    "float to be safe",
    "batch = torch.tensor([first_ids, second_ids]).float()",
    "float32 ids",
)

E = "batch_shape"
ok(
    S,
    E,
    "number of texts, tokens of the first",
    "batch_shape = (len(shape_texts), len(tokenizer.tokenize(shape_texts[0])))",
)
ok(
    S,
    E,
    "built it anyway and read the shape",
    """
    rows = [tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in shape_texts]
    batch_shape = (len(rows), len(rows[0]))
    """,
)
ok(S, E, "counted by hand: 4 sentences of 7 tokens", "batch_shape = (4, 7)")
ok(
    S,
    E,
    "a torch.Size is a tuple",
    "batch_shape = torch.tensor([tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in shape_texts]).shape",
)
bad(
    S,
    E,
    "I counted the tokenizer's ids",
    'batch_shape = (len(shape_texts), len(tokenizer(shape_texts[0])["input_ids"]))',
    "the tokenizer's ids include [CLS] and [SEP]: 9 instead of the 7 manual ids",
)
bad(
    S,
    E,
    "length first",
    "batch_shape = (7, 4)",
    "dimensions swapped: (sequence length, batch size)",
)
bad(S, E, "as a list", "batch_shape = [4, 7]", "a list, not a tuple")
bad(
    S,
    E,
    "words per sentence",
    "batch_shape = (len(shape_texts), len(shape_texts[0].split()))",
    "counts words (6), not token ids (7): the final '.' is a token",
)
bad(
    S,
    E,
    "characters",
    "batch_shape = (len(shape_texts), len(shape_texts[0]))",
    "counts characters, not token ids",
)
bad(S, E, "as a string", 'batch_shape = "(4, 7)"', "a string, not a tuple of ints")
bad(
    S,
    E,
    "I divided to get floats",
    "batch_shape = (len(shape_texts) / 1, len(tokenizer.tokenize(shape_texts[0])) / 1)",
    "floats, not ints",
)
bad(
    S,
    E,
    "all tokens of all sentences",
    'batch_shape = (len(shape_texts), len(tokenizer.tokenize(" ".join(shape_texts))))',
    "counts the tokens of all four sentences together (28), not one row's length",
)
bad(
    S,
    E,
    "with a batch dimension in front",
    "batch_shape = (1, len(shape_texts), len(tokenizer.tokenize(shape_texts[0])))",
    "three dimensions: an extra leading 1",
)

# ---------------------------------------------------------------------------------------------
# Section 2: models expect a batch
# ---------------------------------------------------------------------------------------------
S = 2
E = "batch_dimension"
ok(S, E, "wrap the list in a list", "input_ids = torch.tensor([ids])")
ok(S, E, "unsqueeze(0)", "input_ids = torch.tensor(ids).unsqueeze(0)")
ok(S, E, "None indexing", "input_ids = torch.tensor(ids)[None, :]")
ok(S, E, "view(1, -1)", "input_ids = torch.tensor(ids).view(1, -1)")
ok(S, E, "reshape with len", "input_ids = torch.tensor(ids, dtype=torch.long).reshape(1, len(ids))")
bad(S, E, "a tensor of the ids", "input_ids = torch.tensor(ids)", "1-D: no batch dimension")
bad(
    S,
    E,
    "unsqueeze at the end",
    "input_ids = torch.tensor(ids).unsqueeze(1)",
    "shape (14, 1): the batch dimension added on the wrong side",
)
bad(S, E, "a list of one list", "input_ids = [ids]", "a Python list, not a tensor")
bad(
    S,
    E,
    "the tokenizer's own tensor",
    'input_ids = tokenizer(sequence, return_tensors="pt")["input_ids"]',
    "the tokenizer's ids add [CLS] and [SEP]: not `ids`",
)
bad(
    S,
    E,
    "the tokenizer's output",
    'input_ids = tokenizer(sequence, return_tensors="pt")',
    "the tokenizer's whole output (BatchEncoding), not a tensor",
)
bad(
    S,
    E,
    "double brackets to be sure",
    "input_ids = torch.tensor([[ids]])",
    "shape (1, 1, 14): one dimension too many",
)
bad(
    S,
    E,
    "int32",
    "input_ids = torch.tensor([ids], dtype=torch.int32)",
    "dtype int32 instead of int64",
)
bad(
    S,
    E,
    "numpy",
    """
    import numpy as np

    input_ids = np.array([ids])
    """,
    "a NumPy array, not a torch tensor",
)
bad(
    S,
    E,
    "dropped the last id, it is just the full stop",
    "input_ids = torch.tensor([ids[:-1]])",
    "the last id ('.') is missing",
)
bad(S, E, "two copies", "input_ids = torch.tensor([ids, ids])", "a batch of two, not of one")
bad(S, E, "FloatTensor", "input_ids = torch.FloatTensor([ids])", "float32 ids")

E = "seed_logits"
ok(S, E, "model(...).logits", "logits = model(input_ids).logits")
ok(
    S,
    E,
    "no_grad and the device",
    """
    with torch.no_grad():
        logits = model(input_ids.to(model.device)).logits
    """,
)
ok(S, E, "keyword argument", "logits = model(input_ids=input_ids).logits")
ok(S, E, "first item of the output", "logits = model(input_ids)[0]")
ok(
    S,
    E,
    "inference mode",
    """
    with torch.inference_mode():
        logits = model(input_ids).logits
    """,
)
ok(S, E, "the output as a dict", 'logits = model(input_ids)["logits"]')
bad(S, E, "the output", "logits = model(input_ids)", "the whole model output, not its .logits")
bad(
    S,
    E,
    "the tokenizer's batch of one",
    "logits = model(**tokenized_inputs).logits",
    "logits of the tokenizer's ids (with [CLS]/[SEP]), not of input_ids",
)
bad(
    S,
    E,
    "probabilities are nicer",
    "logits = torch.softmax(model(input_ids).logits, dim=-1)",
    "softmax probabilities, not logits",
)
bad(
    S,
    E,
    "the predicted label",
    "logits = model(input_ids).logits.argmax(dim=-1)",
    "the argmax label id, not the logits",
)
bad(
    S,
    E,
    "just the row",
    "logits = model(input_ids).logits[0]",
    "dropped the batch dimension: shape (2,) instead of (1, 2)",
)
bad(
    S,
    E,
    "squeeze it",
    "logits = model(input_ids).logits.squeeze()",
    "squeezed away the batch dimension: shape (2,)",
)
bad(S, E, "as a list", "logits = model(input_ids).logits.tolist()", "a list, not a tensor")
bad(
    S,
    E,
    "numpy for printing",
    "logits = model(input_ids).logits.detach().numpy()",
    "a NumPy array, not a tensor",
)
bad(
    S,
    E,
    "the numbers from the original course",
    "logits = torch.tensor([[-2.7276, 2.8789]])",
    "DistilBERT's numbers typed in, not this model's logits",
)
bad(
    S,
    E,
    "without the full stop",
    "logits = model(torch.tensor([ids[:-1]])).logits",
    "logits of a different input (the last id dropped)",
)

# ---------------------------------------------------------------------------------------------
# Section 3: batching multiple sequences
# ---------------------------------------------------------------------------------------------
S = 3
E = "batched_ids"
ok(S, E, "the list twice", "batched_ids = torch.tensor([ids, ids])")
ok(S, E, "list multiplication", "batched_ids = torch.tensor([ids] * 2)")
ok(S, E, "repeat", "batched_ids = torch.tensor(ids).repeat(2, 1)")
ok(S, E, "expand a batch of one", "batched_ids = torch.tensor([ids]).expand(2, -1)")
ok(S, E, "stack", "batched_ids = torch.stack([torch.tensor(ids), torch.tensor(ids)])")
ok(
    S,
    E,
    "cat two batches of one",
    "batched_ids = torch.cat([torch.tensor([ids]), torch.tensor([ids])])",
)
bad(
    S,
    E,
    "as the original course",
    "batched_ids = [ids, ids]",
    "a Python list of lists, not a tensor",
)
bad(
    S,
    E,
    "a batch with the sequence",
    "batched_ids = torch.tensor([ids])",
    "a batch of one row, not two",
)
bad(S, E, "ids twice", "batched_ids = torch.tensor(ids + ids)", "one 1-D row of 28 ids")
bad(
    S,
    E,
    "repeat(2)",
    "batched_ids = torch.tensor(ids).repeat(2)",
    "repeat(2) on 1-D gives 28 ids in one row",
)
bad(
    S,
    E,
    "float tensor",
    "batched_ids = torch.tensor([ids, ids], dtype=torch.float32)",
    "float32 ids",
)
bad(S, E, "transposed", "batched_ids = torch.tensor([ids, ids]).T", "shape (14, 2)")
bad(
    S,
    E,
    "let the tokenizer batch it",
    'batched_ids = tokenizer([sequence, sequence], return_tensors="pt")["input_ids"]',
    "the tokenizer adds [CLS]/[SEP]: rows are not `ids`",
)
bad(
    S,
    E,
    "rows of batches",
    "batched_ids = torch.tensor([[ids], [ids]])",
    "shape (2, 1, 14): an extra dimension",
)
bad(
    S,
    E,
    "numpy",
    """
    import numpy as np

    batched_ids = np.array([ids, ids])
    """,
    "a NumPy array",
)

E = "batched_logits"
ok(S, E, "one call", "batched_logits = model(batched_ids).logits")
ok(
    S,
    E,
    "no_grad and the device",
    """
    with torch.no_grad():
        batched_logits = model(batched_ids.to(model.device)).logits
    """,
)
ok(
    S,
    E,
    "output as a dict",
    """
    out = model(input_ids=batched_ids)
    batched_logits = out["logits"]
    """,
)
ok(S, E, "first element of the output", "batched_logits = model(batched_ids)[0]")
bad(
    S,
    E,
    "each row alone then cat",
    """
    row = torch.tensor([ids])
    batched_logits = torch.cat([model(row).logits, model(row).logits])
    """,
    "two calls of one row each, joined: not one batched call",
)
bad(
    S,
    E,
    "the batch of one repeated",
    "batched_logits = single_logits.repeat(2, 1)",
    "the batch of one's row repeated, no batched call",
)
bad(
    S,
    E,
    "cat the single logits",
    "batched_logits = torch.cat([single_logits, single_logits])",
    "the batch of one's row repeated, no batched call",
)
bad(
    S,
    E,
    "model on one sequence",
    "batched_logits = model(torch.tensor([ids])).logits",
    "logits of the batch of one: one row, not two",
)
bad(
    S,
    E,
    "the output",
    "batched_logits = model(batched_ids)",
    "the model output object, not .logits",
)
bad(
    S,
    E,
    "first row is enough, they are the same",
    "batched_logits = model(batched_ids).logits[0]",
    "only the first row, shape (2,)",
)
bad(
    S,
    E,
    "numbers from the print",
    "batched_logits = torch.tensor(single_logits.tolist() * 2)",
    "numbers copied from the batch of one, not a model call",
)
bad(
    S,
    E,
    "probabilities",
    "batched_logits = torch.softmax(model(batched_ids).logits, dim=-1)",
    "softmax probabilities, not logits",
)
bad(
    S,
    E,
    "model on the transposed batch",
    "batched_logits = model(batched_ids.T).logits",
    "transposed input: 14 sequences of 2 ids, 14 rows of logits",
)
bad(
    S,
    E,
    "tokenizer batch of the sentence twice",
    'batched_logits = model(tokenizer([sequence, sequence], return_tensors="pt")["input_ids"]).logits',
    "logits of the tokenizer's ids (with [CLS]/[SEP]), a different batch",
)

E = "rows_agree"
ok(
    S,
    E,
    "allclose against the first row broadcast",
    """
    def rows_agree(logits):
        return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-4)
    """,
)
ok(
    S,
    E,
    "allclose with broadcasting",
    """
    def rows_agree(logits):
        return torch.allclose(logits, logits[0], atol=1e-4, rtol=1e-4)
    """,
)
ok(
    S,
    E,
    "the formula by hand",
    """
    def rows_agree(logits):
        first = logits[0]
        return bool(((logits - first).abs() <= 1e-4 + 1e-4 * first.abs()).all())
    """,
)
ok(
    S,
    E,
    "row by row",
    """
    def rows_agree(logits):
        return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)
    """,
)
ok(
    S,
    E,
    "isclose then all",
    """
    def rows_agree(logits):
        return torch.isclose(logits, logits[0:1], atol=1e-4, rtol=1e-4).all().item()
    """,
)
ok(
    S,
    E,
    "plain Python loops",
    """
    def rows_agree(logits):
        rows = logits.tolist()
        for row in rows[1:]:
            for a, b in zip(row, rows[0]):
                if abs(a - b) > 1e-4 + 1e-4 * abs(b):
                    return False
        return True
    """,
)
bad(
    S,
    E,
    "torch.equal on the two rows",
    """
    def rows_agree(logits):
        return torch.equal(logits[0], logits[1])
    """,
    "exact equality, only rows 0 and 1, and IndexError on a single row",
)
bad(
    S,
    E,
    "allclose with its defaults",
    """
    def rows_agree(logits):
        return torch.allclose(logits, logits[0].expand_as(logits))
    """,
    "default tolerances (rtol=1e-5, atol=1e-8) far tighter than atol=rtol=1e-4",
)
bad(
    S,
    E,
    "first against last",
    """
    def rows_agree(logits):
        return torch.allclose(logits[0], logits[-1], atol=1e-4, rtol=1e-4)
    """,
    "only compares the last row with the first; middle rows are ignored",
)
bad(
    S,
    E,
    "round to 4 decimals and compare",
    """
    def rows_agree(logits):
        return bool((logits.round(decimals=4) == logits[0].round(decimals=4)).all())
    """,
    "rounding then ==: values 1e-7 apart can round apart; not a tolerance",
)
bad(
    S,
    E,
    "mean difference small",
    """
    def rows_agree(logits):
        return (logits - logits[0]).abs().mean().item() < 1e-4
    """,
    "a mean of differences: one large difference hides among small ones",
)
bad(
    S,
    E,
    "sum of differences",
    """
    def rows_agree(logits):
        return abs((logits - logits[0]).sum().item()) < 1e-4
    """,
    "a signed sum: opposite differences cancel",
)
bad(
    S,
    E,
    "tolerance 0.1 to be robust",
    """
    def rows_agree(logits):
        return torch.allclose(logits, logits[0].expand_as(logits), atol=0.1, rtol=1e-4)
    """,
    "atol=0.1 instead of 1e-4: real differences pass",
)
bad(
    S,
    E,
    "returns the tensor of the comparison",
    """
    def rows_agree(logits):
        return ((logits - logits[0]).abs() <= 1e-4 + 1e-4 * logits[0].abs()).all()
    """,
    "returns a 0-d bool tensor, not a Python bool",
)
bad(
    S,
    E,
    "each row against the next",
    """
    def rows_agree(logits):
        return all(
            torch.allclose(logits[i + 1], logits[i], atol=1e-4, rtol=1e-4)
            for i in range(len(logits) - 1)
        )
    """,
    "compares neighbours, not the first row: a slow drift passes",
)
bad(
    S,
    E,
    "max minus min per column",
    """
    def rows_agree(logits):
        spread = logits.max(dim=0).values - logits.min(dim=0).values
        return bool(spread.max() < 1e-4)
    """,
    "atol only, no rtol: large logits within rtol are rejected",
)
bad(
    S,
    E,
    "exact equality",
    """
    def rows_agree(logits):
        return bool((logits == logits[0]).all())
    """,
    "== demands identical bits; rounding differences fail",
)
bad(
    S,
    E,
    "standard deviation per column",
    """
    def rows_agree(logits):
        return logits.std(dim=0).max().item() < 1e-4
    """,
    "std is not the tolerance, and a single row gives NaN (False)",
)
bad(
    S,
    E,
    "first column is enough",
    """
    def rows_agree(logits):
        return torch.allclose(logits[:, 0], logits[0, 0].expand(len(logits)), atol=1e-4, rtol=1e-4)
    """,
    "only the first column is compared",
)
bad(
    S,
    E,
    "compare with the batch of one",
    """
    def rows_agree(logits):
        return torch.allclose(logits, single_logits.expand_as(logits), atol=1e-4, rtol=1e-4)
    """,
    "compares with the global single_logits, not the first row of its argument",
)
bad(
    S,
    E,
    "absolute difference only",
    """
    def rows_agree(logits):
        return bool(torch.all(torch.abs(logits - logits[0]) < 1e-4))
    """,
    "no rtol: near 20, differences within 1e-4 + 1e-4*20 are rejected",
)
bad(
    S,
    E,
    "one row cannot agree with anything",
    """
    def rows_agree(logits):
        if len(logits) < 2:
            return False
        return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-4)
    """,
    "a single row must give True",
)

# ---------------------------------------------------------------------------------------------
# Section 4: padding
# ---------------------------------------------------------------------------------------------
S = 4
E = "padded_ids"
ok(
    S,
    E,
    "typed with the pad id",
    "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token_id]])",
)
ok(
    S,
    E,
    "comprehension over batched_ids",
    """
    width = max(len(s) for s in batched_ids)
    padded_ids = torch.tensor([s + [tokenizer.pad_token_id] * (width - len(s)) for s in batched_ids])
    """,
)
ok(
    S,
    E,
    "pad_sequence",
    """
    from torch.nn.utils.rnn import pad_sequence

    padded_ids = pad_sequence(
        [torch.tensor(s) for s in batched_ids], batch_first=True, padding_value=tokenizer.pad_token_id
    )
    """,
)
ok(
    S,
    E,
    "torch.full then fill",
    """
    padded_ids = torch.full((2, 3), tokenizer.pad_token_id)
    for i, s in enumerate(batched_ids):
        padded_ids[i, : len(s)] = torch.tensor(s)
    """,
)
ok(
    S,
    E,
    "tokenizer.pad's input_ids",
    'padded_ids = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")["input_ids"]',
)
ok(S, E, "the pad id is 0, I looked", "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 0]])")
bad(
    S,
    E,
    "padding id 100 as in the course",
    "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 100]])",
    "pads with 100 ([UNK]), not the pad id",
)
bad(
    S,
    E,
    "pad in front",
    "padded_ids = torch.tensor([[200, 200, 200], [tokenizer.pad_token_id, 200, 200]])",
    "left padding; the task asks for the right",
)
bad(
    S,
    E,
    "list",
    "padded_ids = [[200, 200, 200], [200, 200, tokenizer.pad_token_id]]",
    "a list of lists, not a tensor",
)
bad(
    S,
    E,
    "-100 like the labels",
    "padded_ids = torch.tensor([[200, 200, 200], [200, 200, -100]])",
    "-100 is the label padding value, not the pad id",
)
bad(
    S,
    E,
    "pad with [SEP]",
    "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.sep_token_id]])",
    "pads with [SEP] (102), not the pad id",
)
bad(
    S,
    E,
    "repeat the last token",
    "padded_ids = torch.tensor([[200, 200, 200], [200, 200, 200]])",
    "repeats a real token instead of padding",
)
bad(
    S,
    E,
    "Tensor",
    "padded_ids = torch.Tensor([[200, 200, 200], [200, 200, tokenizer.pad_token_id]])",
    "float32",
)
bad(
    S,
    E,
    "one pad more to be safe",
    "padded_ids = torch.tensor([[200, 200, 200, 0], [200, 200, 0, 0]])",
    "padded to 4, one past the longest: shape (2, 4)",
)
bad(
    S,
    E,
    "tokenizer.pad output",
    'padded_ids = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")',
    "the whole BatchEncoding (ids and mask), not the ids tensor",
)
bad(
    S,
    E,
    "int32",
    "padded_ids = torch.tensor([[200, 200, 200], [200, 200, tokenizer.pad_token_id]], dtype=torch.int32)",
    "int32 instead of int64",
)

E = "pad_batch"
ok(
    S,
    E,
    "comprehension with dtype",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
    """,
)
ok(
    S,
    E,
    "pad_sequence with long tensors",
    """
    from torch.nn.utils.rnn import pad_sequence


    def pad_batch(sequences, pad_id):
        rows = [torch.tensor(s, dtype=torch.long) for s in sequences]
        return pad_sequence(rows, batch_first=True, padding_value=pad_id)
    """,
)
ok(
    S,
    E,
    "full and copy",
    """
    def pad_batch(sequences, pad_id):
        width = max(map(len, sequences))
        out = torch.full((len(sequences), width), pad_id, dtype=torch.int64)
        for i, s in enumerate(sequences):
            out[i, : len(s)] = torch.tensor(s, dtype=torch.int64)
        return out
    """,
)
ok(
    S,
    E,
    "copy each list then extend",
    """
    def pad_batch(sequences, pad_id):
        longest = len(max(sequences, key=len))
        rows = []
        for s in sequences:
            row = list(s)
            row.extend([pad_id] * (longest - len(row)))
            rows.append(row)
        return torch.tensor(rows, dtype=torch.long)
    """,
)
ok(
    S,
    E,
    "numpy then from_numpy",
    """
    import numpy as np


    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        arr = np.full((len(sequences), width), pad_id, dtype=np.int64)
        for i, s in enumerate(sequences):
            arr[i, : len(s)] = s
        return torch.from_numpy(arr)
    """,
)
bad(
    S,
    E,
    "pad with zeros",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return torch.tensor([s + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
    """,
    "pads with 0 whatever pad_id is",
)
bad(
    S,
    E,
    "pads in front",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
    """,
    "left padding instead of right",
)
bad(
    S,
    E,
    "extend the lists",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        for s in sequences:
            s.extend([pad_id] * (width - len(s)))
        return torch.tensor(sequences, dtype=torch.long)
    """,
    "pads the caller's lists in place (mutates the input)",
)
bad(
    S,
    E,
    "return the padded lists",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return [s + [pad_id] * (width - len(s)) for s in sequences]
    """,
    "returns a list of lists, not a tensor",
)
bad(
    S,
    E,
    "numpy array",
    """
    import numpy as np


    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return np.array([s + [pad_id] * (width - len(s)) for s in sequences])
    """,
    "returns a NumPy array",
)
bad(
    S,
    E,
    "float tensor",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.float)
    """,
    "float32 ids",
)
bad(
    S,
    E,
    "the first one is the longest",
    """
    def pad_batch(sequences, pad_id):
        width = len(sequences[0])
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
    """,
    "assumes the first sequence is the longest (true for the example only)",
)
bad(
    S,
    E,
    "one extra pad so every row ends in a pad",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences) + 1
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
    """,
    "off by one: width is the longest length + 1",
)
bad(
    S,
    E,
    "no dtype needed, ints stay ints",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])
    """,
    "no dtype: a batch of only empty sequences becomes float32 (torch.tensor([[]]))",
)
bad(
    S,
    E,
    "pad_sequence, simple",
    """
    from torch.nn.utils.rnn import pad_sequence


    def pad_batch(sequences, pad_id):
        return pad_sequence([torch.tensor(s) for s in sequences], batch_first=True, padding_value=pad_id)
    """,
    "torch.tensor([]) is float32: an empty sequence makes the result float (or fails)",
)
bad(
    S,
    E,
    "skip the empty ones",
    """
    def pad_batch(sequences, pad_id):
        rows = [s for s in sequences if s]
        width = max(len(s) for s in rows)
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in rows], dtype=torch.long)
    """,
    "drops empty sequences: fewer rows than sequences",
)
bad(
    S,
    E,
    "sort them first, it is tidier",
    """
    def pad_batch(sequences, pad_id):
        rows = sorted(sequences, key=len, reverse=True)
        width = len(rows[0])
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in rows], dtype=torch.long)
    """,
    "rows come back sorted by length, not in the input order",
)
bad(
    S,
    E,
    "the tokenizer's pad id",
    """
    def pad_batch(sequences, pad_id):
        width = max(len(s) for s in sequences)
        pad = tokenizer.pad_token_id
        return torch.tensor([s + [pad] * (width - len(s)) for s in sequences], dtype=torch.long)
    """,
    "uses the global tokenizer.pad_token_id instead of the pad_id argument",
)
bad(
    S,
    E,
    "a single sequence needs no padding",
    """
    def pad_batch(sequences, pad_id):
        if len(sequences) == 1:
            return torch.tensor(sequences[0], dtype=torch.long)
        width = max(len(s) for s in sequences)
        return torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
    """,
    "a single sequence comes back 1-D, without its batch dimension",
)
bad(
    S,
    E,
    "cut to the shortest so nothing needs padding",
    """
    def pad_batch(sequences, pad_id):
        width = min(len(s) for s in sequences)
        return torch.tensor([s[:width] for s in sequences], dtype=torch.long)
    """,
    "truncates to the shortest instead of padding to the longest",
)

# ---------------------------------------------------------------------------------------------
# Section 5: padding in practice
# ---------------------------------------------------------------------------------------------
S = 5
E = "padded_logits"
ok(S, E, "one call", "padded_logits = model(padded).logits")
ok(
    S,
    E,
    "no_grad, keyword",
    """
    with torch.no_grad():
        padded_logits = model(input_ids=padded).logits
    """,
)
ok(S, E, "first output", "padded_logits = model(padded)[0]")
bad(
    S,
    E,
    "with the mask, that is the proper way",
    "padded_logits = model(padded, attention_mask=(padded != tokenizer.pad_token_id).long()).logits",
    "passes an attention mask; the exercise asks for the call without one",
)
bad(
    S,
    E,
    "a mask of ones changes nothing",
    "padded_logits = model(padded, attention_mask=torch.ones_like(padded)).logits",
    "passes attention_mask=, which the task text rules out",
)
bad(
    S,
    E,
    "each sequence alone then joined",
    "padded_logits = torch.cat([logits1, logits2])",
    "the rows of the sequences alone, not the padded batch's logits",
)
bad(
    S,
    E,
    "padded with [UNK] like the original",
    "padded_logits = model(torch.tensor([[200, 200, 200], [200, 200, 100]])).logits",
    "a different batch: padded with 100 ([UNK]), not the pad id",
)
bad(S, E, "the output", "padded_logits = model(padded)", "the model output, not .logits")
bad(
    S,
    E,
    "only the padded row matters",
    "padded_logits = model(padded).logits[1:]",
    "only the second row",
)
bad(
    S,
    E,
    "transposed",
    "padded_logits = model(padded.T).logits",
    "transposed input: three sequences of two ids",
)
bad(
    S,
    E,
    "probabilities",
    "padded_logits = torch.softmax(model(padded).logits, dim=-1)",
    "probabilities, not logits",
)
bad(S, E, "labels", "padded_logits = model(padded).logits.argmax(-1)", "label ids, not logits")
bad(
    S,
    E,
    "left padded batch",
    "padded_logits = model(torch.tensor([[200, 200, 200], [tokenizer.pad_token_id, 200, 200]])).logits",
    "a different batch: padded on the left",
)

E = "changed_rows"
ok(
    S,
    E,
    "shorter than the longest",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        return [i for i, s in enumerate(sequences) if len(s) < width]
    """,
)
ok(
    S,
    E,
    "loop and append",
    """
    def changed_rows(sequences):
        longest = max(len(s) for s in sequences)
        rows = []
        for i in range(len(sequences)):
            if len(sequences[i]) != longest:
                rows.append(i)
        return rows
    """,
)
ok(
    S,
    E,
    "numpy flatnonzero",
    """
    import numpy as np


    def changed_rows(sequences):
        lengths = np.array([len(s) for s in sequences])
        return np.flatnonzero(lengths < lengths.max()).tolist()
    """,
)
ok(
    S,
    E,
    "torch nonzero",
    """
    def changed_rows(sequences):
        lengths = torch.tensor([len(s) for s in sequences])
        return (lengths < lengths.max()).nonzero().flatten().tolist()
    """,
)
ok(
    S,
    E,
    "I just run the model, at the course's tolerance",
    """
    def changed_rows(sequences):
        width = max(len(s) for s in sequences)
        pad = tokenizer.pad_token_id
        batch = torch.tensor([s + [pad] * (width - len(s)) for s in sequences]).to(model.device)
        with torch.no_grad():
            together = model(batch).logits
            rows = []
            for i, s in enumerate(sequences):
                alone = model(torch.tensor([s]).to(model.device)).logits[0]
                if not torch.allclose(together[i], alone, atol=1e-4, rtol=1e-4):
                    rows.append(i)
        return rows
    """,
)
bad(
    S,
    E,
    "the longest ones are the ones that change",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        return [i for i, s in enumerate(sequences) if len(s) == width]
    """,
    "inverted: returns the rows that get no padding",
)
bad(
    S,
    E,
    "pad then look for pad ids in each row",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        pad = tokenizer.pad_token_id
        padded = [s + [pad] * (width - len(s)) for s in sequences]
        return [i for i, row in enumerate(padded) if pad in row]
    """,
    "finds rows by the pad id: a real token with the pad id's value counts as padding",
)
bad(
    S,
    E,
    "the second row changed in the example",
    """
    def changed_rows(sequences):
        return [1]
    """,
    "hard-coded to the notebook's example",
)
bad(
    S,
    E,
    "the last row is the short one",
    """
    def changed_rows(sequences):
        return [len(sequences) - 1] if len(sequences) > 1 else []
    """,
    "assumes the shortest row is last",
)
bad(
    S,
    E,
    "shorter than the first",
    """
    def changed_rows(sequences):
        return [i for i, s in enumerate(sequences) if len(s) < len(sequences[0])]
    """,
    "compares with the first sequence's length, not the longest",
)
bad(
    S,
    E,
    "returns a tensor of indices",
    """
    def changed_rows(sequences):
        lengths = torch.tensor([len(s) for s in sequences])
        return (lengths < lengths.max()).nonzero().flatten()
    """,
    "returns a tensor, not a list of ints",
)
bad(
    S,
    E,
    "a set of rows",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        return {i for i, s in enumerate(sequences) if len(s) < width}
    """,
    "returns a set, not a list",
)
bad(
    S,
    E,
    "<= so ties count",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        return [i for i, s in enumerate(sequences) if len(s) <= width]
    """,
    "<= returns every row, the longest included",
)
bad(
    S,
    E,
    "if anything is padded the whole batch changes",
    """
    def changed_rows(sequences):
        if len({len(s) for s in sequences}) > 1:
            return list(range(len(sequences)))
        return []
    """,
    "the longest rows read no padding and do not change",
)
bad(
    S,
    E,
    "run the model, compare with a forgiving tolerance",
    """
    def changed_rows(sequences):
        width = max(len(s) for s in sequences)
        pad = tokenizer.pad_token_id
        batch = torch.tensor([s + [pad] * (width - len(s)) for s in sequences]).to(model.device)
        with torch.no_grad():
            together = model(batch).logits
            rows = []
            for i, s in enumerate(sequences):
                alone = model(torch.tensor([s]).to(model.device)).logits[0]
                if not torch.allclose(together[i], alone, atol=0.1):
                    rows.append(i)
        return rows
    """,
    "atol=0.1: a row that one pad changes by less than 0.1 is missed",
)
bad(
    S,
    E,
    "below average length",
    """
    def changed_rows(sequences):
        mean = sum(map(len, sequences)) / len(sequences)
        return [i for i, s in enumerate(sequences) if len(s) < mean]
    """,
    "compares with the mean length, not the longest",
)
bad(
    S,
    E,
    "row numbers from 1",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        return [i + 1 for i, s in enumerate(sequences) if len(s) < width]
    """,
    "1-based indices",
)
bad(
    S,
    E,
    "shortest first",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        rows = [i for i, s in enumerate(sequences) if len(s) < width]
        return sorted(rows, key=lambda i: len(sequences[i]))
    """,
    "indices ordered by length, not increasing",
)
bad(
    S,
    E,
    "pad them and see which got pads",
    """
    def changed_rows(sequences):
        width = max(map(len, sequences))
        rows = []
        for i, s in enumerate(sequences):
            if len(s) < width:
                s += [tokenizer.pad_token_id] * (width - len(s))
                rows.append(i)
        return rows
    """,
    "pads the caller's lists in place (mutates the input)",
)

# ---------------------------------------------------------------------------------------------
# Section 6: attention masks
# ---------------------------------------------------------------------------------------------
S = 6
E = "attention_mask"
ok(S, E, "typed", "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]])")
ok(S, E, "lists multiplied", "attention_mask = torch.tensor([[1] * 3, [1] * 2 + [0]])")
ok(
    S,
    E,
    "from the ids",
    "attention_mask = (torch.tensor(batched_ids) != tokenizer.pad_token_id).long()",
)
ok(
    S,
    E,
    "ones then a zero",
    """
    attention_mask = torch.ones(2, 3, dtype=torch.long)
    attention_mask[1, 2] = 0
    """,
)
ok(
    S,
    E,
    "tokenizer.pad's mask",
    'attention_mask = tokenizer.pad({"input_ids": [[200, 200, 200], [200, 200]]}, return_tensors="pt")["attention_mask"]',
)
bad(
    S,
    E,
    "1 marks the padding",
    "attention_mask = torch.tensor([[0, 0, 0], [0, 0, 1]])",
    "inverted: 1 on the pad, 0 on the tokens",
)
bad(
    S,
    E,
    "booleans",
    "attention_mask = torch.tensor(batched_ids) != tokenizer.pad_token_id",
    "a bool tensor, not int64",
)
bad(S, E, "floats", "attention_mask = torch.tensor([[1.0, 1.0, 1.0], [1.0, 1.0, 0.0]])", "float32")
bad(S, E, "list", "attention_mask = [[1, 1, 1], [1, 1, 0]]", "a list, not a tensor")
bad(
    S,
    E,
    "all ones, everything is attended",
    "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 1]])",
    "the pad is marked 1",
)
bad(
    S,
    E,
    "pad at the start",
    "attention_mask = torch.tensor([[1, 1, 1], [0, 1, 1]])",
    "the 0 is on the first position; the pad is the last",
)
bad(S, E, "transposed", "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]]).T", "shape (3, 2)")
bad(
    S,
    E,
    "just the padded row",
    "attention_mask = torch.tensor([1, 1, 0])",
    "one row: shape (3,) instead of (2, 3)",
)
bad(
    S,
    E,
    "int32",
    "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]], dtype=torch.int32)",
    "int32 instead of int64",
)
bad(
    S,
    E,
    "minus infinity on the pad, like inside the model",
    'attention_mask = torch.tensor([[0.0, 0.0, 0.0], [0.0, 0.0, float("-inf")]])',
    "an additive float mask; the model takes 1/0",
)

E = "masked_logits"
ok(
    S,
    E,
    "ids and mask",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits",
)
ok(
    S,
    E,
    "no_grad and device",
    """
    with torch.no_grad():
        masked_logits = model(
            input_ids=torch.tensor(batched_ids).to(model.device),
            attention_mask=attention_mask.to(model.device),
        ).logits
    """,
)
ok(
    S,
    E,
    "a dict unpacked",
    'masked_logits = model(**{"input_ids": torch.tensor(batched_ids), "attention_mask": attention_mask}).logits',
)
ok(
    S,
    E,
    "mask as the second positional argument",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask).logits",
)
ok(
    S,
    E,
    "a bool mask",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask.bool()).logits",
)
bad(
    S,
    E,
    "forgot the mask",
    "masked_logits = model(torch.tensor(batched_ids)).logits",
    "no attention mask passed",
)
bad(
    S,
    E,
    "joined the logits alone",
    "masked_logits = torch.cat([logits1, logits2])",
    "rows computed one at a time, not one masked call",
)
bad(
    S,
    E,
    "I flip the mask for the model",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=1 - attention_mask).logits",
    "inverted mask passed",
)
bad(
    S,
    E,
    "additive mask",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=torch.tensor([[0.0, 0.0, 0.0], [0.0, 0.0, -1e9]])).logits",
    "an additive float mask: HF reads 0 as 'ignore', so every real token is masked",
)
bad(
    S,
    E,
    "all-ones mask",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=torch.ones(2, 3, dtype=torch.long)).logits",
    "a mask of ones hides nothing",
)
bad(
    S,
    E,
    "only the second row is interesting",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits[1]",
    "one row of logits",
)
bad(
    S,
    E,
    "mask as token types",
    "masked_logits = model(torch.tensor(batched_ids), token_type_ids=attention_mask).logits",
    "the mask passed as token_type_ids: no attention mask",
)
bad(
    S,
    E,
    "multiply the ids by the mask",
    "masked_logits = model(torch.tensor(batched_ids) * attention_mask).logits",
    "zeroes ids instead of passing attention_mask: no mask reaches the model",
)
bad(
    S,
    E,
    "the output",
    "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask)",
    "the model output, not .logits",
)

E = "pad_and_mask"
ok(
    S,
    E,
    "two comprehensions",
    """
    def pad_and_mask(sequences, pad_id):
        width = max((len(s) for s in sequences), default=0)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
        return ids, mask
    """,
)
ok(
    S,
    E,
    "full and zeros, filled per row",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(sequences), width), dtype=torch.long)
        for i, s in enumerate(sequences):
            ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
            mask[i, : len(s)] = 1
        return ids, mask
    """,
)
ok(
    S,
    E,
    "mask from lengths with arange",
    """
    def pad_and_mask(sequences, pad_id):
        lengths = torch.tensor([len(s) for s in sequences])
        width = int(lengths.max())
        ids = torch.tensor([list(s) + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = (torch.arange(width)[None, :] < lengths[:, None]).long()
        return ids, mask
    """,
)
ok(
    S,
    E,
    "pad_sequence for both",
    """
    from torch.nn.utils.rnn import pad_sequence


    def pad_and_mask(sequences, pad_id):
        ids = pad_sequence(
            [torch.tensor(s, dtype=torch.long) for s in sequences], batch_first=True, padding_value=pad_id
        )
        mask = pad_sequence(
            [torch.ones(len(s), dtype=torch.long) for s in sequences], batch_first=True, padding_value=0
        )
        return ids, mask
    """,
)
bad(
    S,
    E,
    "mask where the id is not the pad",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        return ids, (ids != pad_id).long()
    """,
    "mask from the ids: a real token equal to pad_id gets 0",
)
bad(
    S,
    E,
    "0 for tokens, 1 for padding",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * len(s) + [1] * (width - len(s)) for s in sequences], dtype=torch.long)
        return ids, mask
    """,
    "inverted mask",
)
bad(
    S,
    E,
    "a boolean mask",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[True] * len(s) + [False] * (width - len(s)) for s in sequences])
        return ids, mask
    """,
    "bool mask instead of int64",
)
bad(
    S,
    E,
    "like the tokenizer, a dict",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
        return {"input_ids": ids, "attention_mask": mask}
    """,
    "returns a dict, not the tuple (input_ids, attention_mask)",
)
bad(
    S,
    E,
    "mask first",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
        return mask, ids
    """,
    "tuple order swapped",
)
bad(
    S,
    E,
    "lists are fine",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = [s + [pad_id] * (width - len(s)) for s in sequences]
        mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]
        return ids, mask
    """,
    "lists, not tensors",
)
bad(
    S,
    E,
    "pad at the front",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return ids, mask
    """,
    "left padding instead of right",
)
bad(
    S,
    E,
    "extend in place",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]
        for s in sequences:
            s += [pad_id] * (width - len(s))
        return torch.tensor(sequences, dtype=torch.long), torch.tensor(mask, dtype=torch.long)
    """,
    "mutates the caller's lists",
)
bad(
    S,
    E,
    "pad id is zero anyway",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.zeros((len(sequences), width), dtype=torch.long)
        mask = torch.zeros((len(sequences), width), dtype=torch.long)
        for i, s in enumerate(sequences):
            ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
            mask[i, : len(s)] = 1
        return ids, mask
    """,
    "pads with 0 whatever pad_id is",
)
bad(
    S,
    E,
    "no dtype, ints stay ints",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences])
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences])
        return ids, mask
    """,
    "no dtype: a batch of only empty sequences gives float32 tensors",
)
bad(
    S,
    E,
    "zeros for the mask, then ones",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.zeros(len(sequences), width)
        for i, s in enumerate(sequences):
            mask[i, : len(s)] = 1
        return ids, mask
    """,
    "torch.zeros defaults to float32: the mask is float",
)
bad(
    S,
    E,
    "width from the first",
    """
    def pad_and_mask(sequences, pad_id):
        width = len(sequences[0])
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
        return ids, mask
    """,
    "assumes the first sequence is the longest",
)
bad(
    S,
    E,
    "pad_sequence, plain tensors",
    """
    from torch.nn.utils.rnn import pad_sequence


    def pad_and_mask(sequences, pad_id):
        ids = pad_sequence([torch.tensor(s) for s in sequences], batch_first=True, padding_value=pad_id)
        mask = pad_sequence([torch.ones(len(s)) for s in sequences], batch_first=True)
        return ids, mask
    """,
    "float mask (torch.ones) and float ids when a sequence is empty",
)
bad(
    S,
    E,
    "also return the lengths, handy",
    """
    def pad_and_mask(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
        return ids, mask, [len(s) for s in sequences]
    """,
    "returns three values, not the pair",
)

E = "manual_logits"
ok(
    S,
    E,
    "my pad_and_mask, one call",
    """
    ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)
    manual_logits = model(ids, attention_mask=mask).logits
    """,
)
ok(
    S,
    E,
    "with device and no_grad",
    """
    ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)
    with torch.no_grad():
        manual_logits = model(input_ids=ids.to(model.device), attention_mask=mask.to(model.device)).logits
    """,
)
ok(
    S,
    E,
    "tokenizer.pad on the manual ids",
    """
    padded = tokenizer.pad({"input_ids": manual_ids}, return_tensors="pt")
    manual_logits = model(**padded).logits
    """,
)
bad(
    S,
    E,
    "ids are enough",
    """
    ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)
    manual_logits = model(ids).logits
    """,
    "forgot the attention mask",
)
bad(
    S,
    E,
    "the alone rows joined",
    "manual_logits = torch.cat(alone)",
    "rows computed one at a time, not one batched call",
)
bad(
    S,
    E,
    "the tokenizer does it properly",
    'manual_logits = model(**tokenizer(sentences, padding=True, return_tensors="pt")).logits',
    "the tokenizer's ids add [CLS]/[SEP]: a different batch from manual_ids",
)
bad(
    S,
    E,
    "pad with [UNK], the mask hides it anyway",
    """
    ids, mask = pad_and_mask(manual_ids, 100)
    manual_logits = model(ids, attention_mask=mask).logits
    """,
    "pads with 100 ([UNK]) instead of the tokenizer's pad id",
)
bad(
    S,
    E,
    "the model wants 1 on the padding",
    """
    ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)
    manual_logits = model(ids, attention_mask=1 - mask).logits
    """,
    "inverted mask passed",
)
bad(
    S,
    E,
    "output object",
    """
    ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)
    manual_logits = model(ids, attention_mask=mask)
    """,
    "the model output, not .logits",
)
bad(
    S,
    E,
    "padded on the left by tokenizer.pad",
    """
    padded = tokenizer.pad({"input_ids": manual_ids}, padding_side="left", return_tensors="pt")
    manual_logits = model(**padded).logits
    """,
    "left padding: the short sentence's positions shift",
)
bad(
    S,
    E,
    "probabilities",
    """
    ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)
    manual_logits = model(ids, attention_mask=mask).logits.softmax(-1)
    """,
    "probabilities, not logits",
)

E = "tokenizer_batch"
ok(S, E, "padding=True", 'batch = tokenizer(sentences, padding=True, return_tensors="pt")')
ok(
    S,
    E,
    "padding='longest'",
    'batch = tokenizer(sentences, padding="longest", return_tensors="pt")',
)
ok(
    S,
    E,
    "with truncation too",
    'batch = tokenizer(sentences, padding=True, truncation=True, return_tensors="pt")',
)
ok(
    S,
    E,
    "moved to the model's device",
    'batch = tokenizer(sentences, padding=True, return_tensors="pt").to(model.device)',
)
ok(S, E, "keyword text=", 'batch = tokenizer(text=sentences, padding=True, return_tensors="pt")')
ok(
    S,
    E,
    "a plain dict of it",
    'batch = dict(tokenizer(sentences, padding=True, return_tensors="pt"))',
)
bad(
    S,
    E,
    "pad to max_length",
    'batch = tokenizer(sentences, padding="max_length", return_tensors="pt")',
    "padded to 512, not to the longest sentence",
)
bad(
    S,
    E,
    "numpy",
    'batch = tokenizer(sentences, padding=True, return_tensors="np")',
    "NumPy arrays, not PyTorch tensors",
)
bad(S, E, "no tensors", "batch = tokenizer(sentences, padding=True)", "lists, not tensors")
bad(
    S,
    E,
    "just the ids",
    'batch = tokenizer(sentences, padding=True, return_tensors="pt")["input_ids"]',
    "only the input_ids tensor, not the whole output",
)
bad(
    S,
    E,
    "two arguments",
    'batch = tokenizer(sentences[0], sentences[1], padding=True, return_tensors="pt")',
    "encodes a pair (one row), not a batch of two",
)
bad(
    S,
    E,
    "padding on the left",
    'batch = tokenizer(sentences, padding=True, padding_side="left", return_tensors="pt")',
    "left padding",
)
bad(
    S,
    E,
    "token types are not needed",
    'batch = tokenizer(sentences, padding=True, return_tensors="pt", return_token_type_ids=False)',
    "drops token_type_ids, which the task asks for",
)
bad(
    S,
    E,
    "the same as my manual ids",
    'batch = tokenizer(sentences, padding=True, add_special_tokens=False, return_tensors="pt")',
    "no [CLS]/[SEP]",
)
bad(
    S,
    E,
    "short max_length",
    'batch = tokenizer(sentences, padding=True, truncation=True, max_length=8, return_tensors="pt")',
    "truncated to 8 tokens",
)

E = "mean_pool"
ok(
    S,
    E,
    "mask as weights, count clamped to 1",
    """
    def mean_pool(hidden, attention_mask):
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)
    """,
)
ok(
    S,
    E,
    "einsum for the sum, mask.sum for the count",
    """
    def mean_pool(hidden, attention_mask):
        mask = attention_mask.to(hidden.dtype)
        total = torch.einsum("bpw,bp->bw", hidden, mask)
        count = mask.sum(dim=1, keepdim=True).clamp(min=1)
        return total / count
    """,
)
ok(
    S,
    E,
    "masked_fill the pads to 0 first",
    """
    def mean_pool(hidden, attention_mask):
        pads = (attention_mask == 0).unsqueeze(-1)
        summed = hidden.masked_fill(pads, 0.0).sum(dim=1)
        real = attention_mask.sum(dim=1).clamp(min=1).unsqueeze(-1)
        return summed / real
    """,
)
ok(
    S,
    E,
    "sentence-transformers' clamp(min=1e-9)",
    """
    def mean_pool(hidden, attention_mask):
        expanded = attention_mask.unsqueeze(-1).expand(hidden.size()).to(hidden.dtype)
        return torch.sum(hidden * expanded, 1) / torch.clamp(expanded.sum(1), min=1e-9)
    """,
)
bad(
    S,
    E,
    "just the mean over positions",
    """
    def mean_pool(hidden, attention_mask):
        return hidden.mean(dim=1)
    """,
    "averages over every position, pads included: ignores the mask",
)
bad(
    S,
    E,
    "masked mean without the clamp",
    """
    def mean_pool(hidden, attention_mask):
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(dim=1) / weights.sum(dim=1)
    """,
    "no clamp: a row of padding only divides 0 by 0 and gives NaN",
)
bad(
    S,
    E,
    "mask without unsqueeze",
    """
    def mean_pool(hidden, attention_mask):
        summed = (hidden * attention_mask).sum(dim=1)
        return summed / attention_mask.sum(dim=1).clamp(min=1)
    """,
    "the (batch, positions) mask is not unsqueezed to (batch, positions, 1): it broadcasts against the width (an error, or the wrong axis)",
)
bad(
    S,
    E,
    "multiplied in place to save memory",
    """
    def mean_pool(hidden, attention_mask):
        hidden *= attention_mask.unsqueeze(-1)
        return hidden.sum(dim=1) / attention_mask.sum(dim=1, keepdim=True).clamp(min=1)
    """,
    "multiplies `hidden` in place: the caller's hidden states have their pads zeroed",
)
bad(
    S,
    E,
    "divide by the number of positions",
    """
    def mean_pool(hidden, attention_mask):
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(dim=1) / hidden.shape[1]
    """,
    "divides the sum over real tokens by the number of positions (pads counted), not of real tokens",
)
bad(
    S,
    E,
    "one count for the batch",
    """
    def mean_pool(hidden, attention_mask):
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(dim=1) / attention_mask.sum().clamp(min=1)
    """,
    "divides every row by the real tokens of the whole batch, not of its own row",
)
bad(
    S,
    E,
    "each row's real states, mean, stack",
    """
    def mean_pool(hidden, attention_mask):
        rows = [hidden[i][attention_mask[i].bool()].mean(dim=0) for i in range(hidden.shape[0])]
        return torch.stack(rows)
    """,
    "the mean of no states is NaN: a row of padding only gives NaN, not 0s",
)
bad(
    S,
    E,
    "a list of row means",
    """
    def mean_pool(hidden, attention_mask):
        out = []
        for row, mask in zip(hidden, attention_mask):
            real = row[mask == 1]
            out.append(real.sum(dim=0) / max(len(real), 1))
        return out
    """,
    "returns a list of (width,) tensors, not one (batch, width) tensor",
)
bad(
    S,
    E,
    "kept the dim for broadcasting",
    """
    def mean_pool(hidden, attention_mask):
        weights = attention_mask[:, :, None].float()
        return (hidden * weights).sum(dim=1, keepdim=True) / weights.sum(dim=1, keepdim=True).clamp(min=1)
    """,
    "keepdim=True: returns shape (batch, 1, width), not (batch, width)",
)
bad(
    S,
    E,
    "summed over the batch axis",
    """
    def mean_pool(hidden, attention_mask):
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(dim=0) / weights.sum(dim=0).clamp(min=1)
    """,
    "reduces over dim 0 (the batch), not dim 1 (the positions): shape (positions, width)",
)
bad(
    S,
    E,
    "rebuilt the mask from its list",
    """
    def mean_pool(hidden, attention_mask):
        mask = torch.tensor(attention_mask.tolist(), dtype=torch.float32).unsqueeze(-1)
        return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
    """,
    "the new mask is made on the CPU: with hidden states on a GPU the product fails",
    gpu_only=True,
)

# ---------------------------------------------------------------------------------------------
# Section 7: longer sequences
# ---------------------------------------------------------------------------------------------
S = 7
E = "truncated_ids"
ok(
    S,
    E,
    "truncation and max_length",
    'truncated_ids = tokenizer(document, truncation=True, max_length=32)["input_ids"]',
)
ok(
    S,
    E,
    "tensor then tolist",
    'truncated_ids = tokenizer(document, truncation=True, max_length=32, return_tensors="pt")["input_ids"][0].tolist()',
)
ok(S, E, "encode", "truncated_ids = tokenizer.encode(document, truncation=True, max_length=32)")
ok(S, E, "max_length alone cuts", 'truncated_ids = tokenizer(document, max_length=32)["input_ids"]')
ok(
    S,
    E,
    "first 31 and the [SEP]",
    """
    all_ids = tokenizer(document)["input_ids"]
    truncated_ids = all_ids[:31] + [all_ids[-1]]
    """,
)
ok(
    S,
    E,
    "padding max_length changes nothing here",
    'truncated_ids = tokenizer(document, truncation=True, max_length=32, padding="max_length")["input_ids"]',
)
bad(
    S,
    E,
    "slice the ids",
    'truncated_ids = tokenizer(document)["input_ids"][:32]',
    "slicing drops [SEP]",
)
bad(
    S,
    E,
    "slice the text",
    'truncated_ids = tokenizer(document[:32])["input_ids"]',
    "slices 32 characters, not 32 tokens",
)
bad(
    S,
    E,
    "32 tokens of text plus the two specials",
    'truncated_ids = tokenizer(document, truncation=True, max_length=34)["input_ids"]',
    "max_length counts the special tokens: 34 ids",
)
bad(
    S,
    E,
    "room for the specials",
    'truncated_ids = tokenizer(document, truncation=True, max_length=30)["input_ids"]',
    "30 ids: max_length already counts [CLS] and [SEP]",
)
bad(
    S,
    E,
    "tensor",
    'truncated_ids = tokenizer(document, truncation=True, max_length=32, return_tensors="pt")["input_ids"]',
    "a (1, 32) tensor, not a list",
)
bad(
    S,
    E,
    "the output",
    "truncated_ids = tokenizer(document, truncation=True, max_length=32)",
    "the tokenizer's whole output, not the list of ids",
)
bad(
    S,
    E,
    "tokens",
    "truncated_ids = tokenizer.tokenize(document)[:32]",
    "token strings, not ids",
)
bad(
    S,
    E,
    "manual ids",
    "truncated_ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(document))[:32]",
    "no [CLS]/[SEP]",
)
bad(
    S,
    E,
    "no special tokens",
    'truncated_ids = tokenizer(document, truncation=True, max_length=32, add_special_tokens=False)["input_ids"]',
    "no [CLS]/[SEP]",
)
bad(
    S,
    E,
    "truncate then slice",
    'truncated_ids = tokenizer(document, truncation=True)["input_ids"][:32]',
    "slicing the 512 ids drops [SEP]",
)
bad(
    S,
    E,
    "30 and the [SEP]",
    """
    all_ids = tokenizer(document)["input_ids"]
    truncated_ids = all_ids[:30] + [all_ids[-1]]
    """,
    "off by one: 31 ids",
)

E = "truncate_ids"
ok(
    S,
    E,
    "the straightforward way",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("max_length must be at least 2")
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [ids[-1]]
    """,
)
ok(
    S,
    E,
    "one expression",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError(f"no room for [CLS] and [SEP] in {max_length}")
        return list(ids) if len(ids) <= max_length else [*ids[: max_length - 1], ids[-1]]
    """,
)
ok(
    S,
    E,
    "CLS, middle, SEP",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return ids[:]
        return ids[:1] + ids[1 : max_length - 1] + ids[-1:]
    """,
)
ok(
    S,
    E,
    "copy then delete",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("max_length < 2")
        out = list(ids)
        if len(out) > max_length:
            del out[max_length - 1 : -1]
        return out
    """,
)
bad(
    S,
    E,
    "no error needed",
    """
    def truncate_ids(ids, max_length):
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "no ValueError for max_length < 2",
)
bad(
    S,
    E,
    "just slice",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        return ids[:max_length]
    """,
    "drops [SEP] when it cuts",
)
bad(
    S,
    E,
    "two specials so minus two",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 2] + [ids[-1]]
    """,
    "off by one: max_length - 1 ids",
)
bad(
    S,
    E,
    "if it fits, give it back",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return ids
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "returns the caller's own list, not a new one, when it fits",
)
bad(
    S,
    E,
    "delete the middle",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        del ids[max_length - 1 : -1]
        return ids
    """,
    "deletes from the caller's list (mutates the input)",
)
bad(
    S,
    E,
    "[SEP] is 102",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [102]
    """,
    "hard-codes 102 instead of keeping the list's last id",
)
bad(
    S,
    E,
    "need room for at least one token",
    """
    def truncate_ids(ids, max_length):
        if max_length <= 2:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "also raises for max_length=2, which is allowed",
)
bad(
    S,
    E,
    "raise only for 0",
    """
    def truncate_ids(ids, max_length):
        if max_length < 1:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "max_length=1 returns [SEP] alone instead of raising",
)
bad(
    S,
    E,
    "always keep the last",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "a list shorter than max_length gets its [SEP] twice",
)
bad(
    S,
    E,
    "assert",
    """
    def truncate_ids(ids, max_length):
        assert max_length >= 2, "max_length too small"
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "AssertionError, not ValueError",
)
bad(
    S,
    E,
    "the tokenizer knows how",
    """
    def truncate_ids(ids, max_length):
        text = tokenizer.decode(ids, skip_special_tokens=True)
        return tokenizer(text, truncation=True, max_length=max_length)["input_ids"]
    """,
    "decode + re-encode changes ids ([UNK], spacing) and never raises",
)
bad(
    S,
    E,
    "empty list when there is no room",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            return []
        if len(ids) <= max_length:
            return list(ids)
        return ids[: max_length - 1] + [ids[-1]]
    """,
    "returns [] instead of raising ValueError",
)
bad(
    S,
    E,
    "a tuple is fine",
    """
    def truncate_ids(ids, max_length):
        if max_length < 2:
            raise ValueError("too short")
        if len(ids) <= max_length:
            return tuple(ids)
        return tuple(ids[: max_length - 1]) + (ids[-1],)
    """,
    "returns a tuple, not a list",
)

E = "windows"
ok(
    S,
    E,
    "as in the demo",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
)
ok(
    S,
    E,
    "padding longest, keywords reordered",
    """
    windows = tokenizer(text=document, return_tensors="pt", padding="longest", stride=16,
                        max_length=64, truncation=True, return_overflowing_tokens=True)
    """,
)
ok(
    S,
    E,
    "padding to max_length 64",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding="max_length", return_tensors="pt")
    """,
)
ok(
    S,
    E,
    "a list of one document",
    """
    windows = tokenizer([document], truncation=True, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
)
ok(
    S,
    E,
    "only_first for one text",
    """
    windows = tokenizer(document, truncation="only_first", max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
)
bad(
    S,
    E,
    "stride is the step: 64 - 16",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=48,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
    "stride=48: stride is the overlap (16), not the step",
)
bad(
    S,
    E,
    "64 tokens of text",
    """
    windows = tokenizer(document, truncation=True, max_length=66, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
    "max_length=66: max_length counts the special tokens",
)
bad(
    S,
    E,
    "forgot overflow",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=16,
                        padding=True, return_tensors="pt")
    """,
    "no return_overflowing_tokens: one window only",
)
bad(
    S,
    E,
    "no truncation, the windows cut it",
    """
    windows = tokenizer(document, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
    "no truncation=True: with padding=True max_length is ignored, no windows",
)
bad(
    S,
    E,
    "forgot max_length",
    """
    windows = tokenizer(document, truncation=True, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
    "windows of 512 tokens, not 64",
)
bad(
    S,
    E,
    "lists",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True)
    """,
    "no return_tensors: lists",
)
bad(
    S,
    E,
    "only the ids",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")["input_ids"]
    """,
    "only the input_ids tensor",
)
bad(
    S,
    E,
    "windows by hand",
    """
    all_ids = tokenizer(document)["input_ids"]
    windows = [all_ids[i : i + 64] for i in range(0, len(all_ids), 48)]
    """,
    "sliced lists: no [CLS]/[SEP] per window, no padding, no tensors",
)
bad(
    S,
    E,
    "overlap 16 means stride 8 each side",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=8,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
    "stride=8: overlap of 8, not 16",
)
ok(
    S,
    E,
    "popped the mapping like the notebook does (the task does not ask for it)",
    """
    windows = tokenizer(document, truncation=True, max_length=64, stride=16,
                        return_overflowing_tokens=True, padding=True, return_tensors="pt")
    windows.pop("overflow_to_sample_mapping")
    """,
)

E = "document_label"
ok(
    S,
    E,
    "softmax, mean, argmax, int",
    """
    def document_label(window_logits):
        return int(torch.softmax(window_logits, dim=-1).mean(dim=0).argmax())
    """,
)
ok(
    S,
    E,
    "methods and item",
    """
    def document_label(window_logits):
        return window_logits.softmax(-1).mean(0).argmax().item()
    """,
)
ok(
    S,
    E,
    "sum is the same as the mean for argmax",
    """
    def document_label(window_logits):
        probs = torch.softmax(window_logits.float(), dim=1)
        return int(probs.sum(dim=0).argmax())
    """,
)
ok(
    S,
    E,
    "softmax by hand, stable",
    """
    def document_label(window_logits):
        shifted = window_logits - window_logits.max(dim=-1, keepdim=True).values
        probs = shifted.exp() / shifted.exp().sum(dim=-1, keepdim=True)
        return int(probs.mean(dim=0).argmax())
    """,
)
bad(
    S,
    E,
    "mean of logits",
    """
    def document_label(window_logits):
        return int(window_logits.mean(dim=0).argmax())
    """,
    "averages logits, not probabilities",
)
bad(
    S,
    E,
    "majority vote",
    """
    def document_label(window_logits):
        votes = window_logits.argmax(dim=-1)
        return int(torch.bincount(votes, minlength=window_logits.shape[-1]).argmax())
    """,
    "a vote of the windows' argmax, not the mean probability",
)
bad(
    S,
    E,
    "argmax is enough",
    """
    def document_label(window_logits):
        return torch.softmax(window_logits, dim=-1).mean(dim=0).argmax()
    """,
    "returns a tensor, not a Python int",
)
bad(
    S,
    E,
    "softmax over windows",
    """
    def document_label(window_logits):
        return int(torch.softmax(window_logits, dim=0).mean(dim=0).argmax())
    """,
    "softmax over the windows (dim 0), not over the labels",
)
bad(
    S,
    E,
    "the first window decides",
    """
    def document_label(window_logits):
        return int(window_logits[0].argmax())
    """,
    "only the first window",
)
bad(
    S,
    E,
    "most confident window",
    """
    def document_label(window_logits):
        probs = torch.softmax(window_logits, dim=-1)
        return int(probs.max(dim=0).values.argmax())
    """,
    "max probability over windows, not the mean",
)
bad(
    S,
    E,
    "the label name",
    """
    def document_label(window_logits):
        return model.config.id2label[int(torch.softmax(window_logits, dim=-1).mean(dim=0).argmax())]
    """,
    "returns the label name, not the id",
)
bad(
    S,
    E,
    "mean log-probability",
    """
    def document_label(window_logits):
        return int(torch.log_softmax(window_logits, dim=-1).mean(dim=0).argmax())
    """,
    "mean of log-probabilities (a geometric mean), not of probabilities",
)
bad(
    S,
    E,
    "sigmoid per label",
    """
    def document_label(window_logits):
        return int(torch.sigmoid(window_logits).mean(dim=0).argmax())
    """,
    "sigmoid instead of softmax",
)
bad(
    S,
    E,
    "mean over dim 1",
    """
    def document_label(window_logits):
        return int(torch.softmax(window_logits, dim=-1).mean(dim=1).argmax())
    """,
    "averages over labels and returns a window index",
)
bad(
    S,
    E,
    "positive if above one half",
    """
    def document_label(window_logits):
        return int(torch.softmax(window_logits, dim=-1).mean(dim=0)[1] > 0.5)
    """,
    "assumes exactly two labels",
)
bad(
    S,
    E,
    "squeeze first",
    """
    def document_label(window_logits):
        return int(torch.softmax(window_logits.squeeze(), dim=-1).mean(dim=0).argmax())
    """,
    "squeeze breaks a single window: mean over the labels, argmax 0",
)
bad(
    S,
    E,
    "softmax by hand",
    """
    def document_label(window_logits):
        e = torch.exp(window_logits)
        return int((e / e.sum(dim=-1, keepdim=True)).mean(dim=0).argmax())
    """,
    "exp without subtracting the max overflows for large logits (NaN)",
)

E = "labels_by_document"
ok(
    S,
    E,
    "bincount and index_add_ as in the notebook, on the arguments",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits, dim=-1)
        n = int(overflow_to_sample_mapping.max()) + 1
        counts = torch.bincount(overflow_to_sample_mapping, minlength=n)
        sums = torch.zeros(n, probs.shape[-1], dtype=probs.dtype).index_add_(0, overflow_to_sample_mapping, probs)
        return [int(i) for i in (sums / counts.unsqueeze(-1)).argmax(dim=-1)]
    """,
)
ok(
    S,
    E,
    "a loop over the documents with a boolean mask",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = window_logits.softmax(dim=-1)
        labels = []
        for doc in range(int(overflow_to_sample_mapping.max()) + 1):
            mine = probs[overflow_to_sample_mapping == doc]
            labels.append(int(mine.mean(dim=0).argmax()))
        return labels
    """,
)
ok(
    S,
    E,
    "unique documents; the sum ranks like the mean",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits.float(), dim=1)
        return [
            probs[overflow_to_sample_mapping == doc].sum(dim=0).argmax().item()
            for doc in torch.unique(overflow_to_sample_mapping)
        ]
    """,
)
bad(
    S,
    E,
    "mean of the logits per document",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        labels = []
        for doc in range(int(overflow_to_sample_mapping.max()) + 1):
            labels.append(int(window_logits[overflow_to_sample_mapping == doc].mean(dim=0).argmax()))
        return labels
    """,
    "averages the logits, not the probabilities",
)
bad(
    S,
    E,
    "copied the notebook's cell",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        window_probabilities = torch.softmax(window_logits, dim=-1)
        counts = torch.bincount(owner, minlength=len(long_reviews))
        sums = torch.zeros(len(long_reviews), window_probabilities.shape[-1]).index_add_(0, owner, window_probabilities)
        return [int(row.argmax()) for row in sums / counts.unsqueeze(-1)]
    """,
    "uses the notebook's `owner` and `long_reviews` (three reviews) instead of its argument",
)
bad(
    S,
    E,
    "one label for all the windows",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        return [int(torch.softmax(window_logits, dim=-1).mean(dim=0).argmax())]
    """,
    "averages every window of every document: one label, not one per document",
)
bad(
    S,
    E,
    "a set of the documents",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits, dim=-1)
        return [int(probs[overflow_to_sample_mapping == doc].mean(dim=0).argmax())
                for doc in set(overflow_to_sample_mapping)]
    """,
    "a set of 0-d tensors keeps every element (tensors hash by identity): one label per window, not per document",
)
bad(
    S,
    E,
    "majority vote per document",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        votes = window_logits.argmax(dim=-1)
        return [int(torch.mode(votes[overflow_to_sample_mapping == doc]).values)
                for doc in range(int(overflow_to_sample_mapping.max()) + 1)]
    """,
    "a vote of the windows' argmax, not the highest mean probability",
)
bad(
    S,
    E,
    "softmax over the windows",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits, dim=0)
        return [int(probs[overflow_to_sample_mapping == doc].mean(dim=0).argmax())
                for doc in range(int(overflow_to_sample_mapping.max()) + 1)]
    """,
    "softmax over dim 0 (across windows) instead of over the labels",
)
bad(
    S,
    E,
    "the argmax tensor per document",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits, dim=-1)
        n = int(overflow_to_sample_mapping.max()) + 1
        sums = torch.zeros(n, probs.shape[-1]).index_add_(0, overflow_to_sample_mapping, probs)
        return (sums / torch.bincount(overflow_to_sample_mapping, minlength=n).unsqueeze(-1)).argmax(dim=-1)
    """,
    "returns a tensor of label ids, not a list of ints",
)
bad(
    S,
    E,
    "range of the largest document id",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits, dim=-1)
        return [int(probs[overflow_to_sample_mapping == doc].mean(dim=0).argmax())
                for doc in range(int(overflow_to_sample_mapping.max()))]
    """,
    "off by one: range(max) leaves out the last document",
)
bad(
    S,
    E,
    "a dict of document to label",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        probs = torch.softmax(window_logits, dim=-1)
        best = {}
        for doc, row in zip(overflow_to_sample_mapping.tolist(), probs):
            best[doc] = int(row.argmax())
        return list(best.values())
    """,
    "each document's last window overwrites the others: its label, not the mean probability's",
)
bad(
    S,
    E,
    "the same number of windows per document",
    """
    def labels_by_document(window_logits, overflow_to_sample_mapping):
        docs = int(overflow_to_sample_mapping.max()) + 1
        probs = torch.softmax(window_logits, dim=-1).reshape(docs, -1, window_logits.shape[-1])
        return probs.mean(dim=1).argmax(dim=-1).tolist()
    """,
    "reshapes as if every document had as many windows: wrong (or an error) when the counts differ",
)

# ---------------------------------------------------------------------------------------------
# Section 8: putting it together
# ---------------------------------------------------------------------------------------------
S = 8
E = "batch"
ok(
    S,
    E,
    "the three arguments",
    'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")',
)
ok(
    S,
    E,
    "strings for the strategies",
    'batch = tokenizer(sequences, padding="longest", truncation="longest_first", return_tensors="pt")',
)
ok(
    S,
    E,
    "the limit written out",
    'batch = tokenizer(sequences, padding=True, truncation=True, max_length=tokenizer.model_max_length, return_tensors="pt")',
)
ok(
    S,
    E,
    "on the model's device",
    'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt").to(model.device)',
)
ok(  # relabelled on review: the task asks for the value for these two sentences, which no truncation changes
    S,
    E,
    "they are short, no truncation needed",
    'batch = tokenizer(sequences, padding=True, return_tensors="pt")',
)
bad(
    S,
    E,
    "pad to max_length",
    'batch = tokenizer(sequences, padding="max_length", truncation=True, return_tensors="pt")',
    "padded to 512, not the longest sentence",
)
bad(
    S,
    E,
    "max_length 8",
    'batch = tokenizer(sequences, padding=True, truncation=True, max_length=8, return_tensors="pt")',
    "truncated at 8, not the model's limit",
)
bad(
    S,
    E,
    "numpy",
    'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="np")',
    "NumPy arrays",
)
bad(
    S,
    E,
    "only the ids",
    'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")["input_ids"]',
    "only the input_ids",
)
bad(
    S,
    E,
    "as a pair",
    'batch = tokenizer(sequences[0], sequences[1], padding=True, truncation=True, return_tensors="pt")',
    "one pair, not a batch of two",
)
bad(
    S,
    E,
    "left padding",
    'batch = tokenizer(sequences, padding=True, truncation=True, padding_side="left", return_tensors="pt")',
    "padded on the left",
)
bad(
    S,
    E,
    "no tensors",
    "batch = tokenizer(sequences, padding=True, truncation=True)",
    "lists, not tensors",
)
bad(
    S,
    E,
    "one string",
    'batch = tokenizer(" ".join(sequences), padding=True, truncation=True, return_tensors="pt")',
    "the two sentences joined into one text",
)

E = "logits"
ok(S, E, "unpack the dict", "logits = model(**batch).logits")
ok(S, E, "the notebook's tokens are the same", "logits = model(**tokens).logits")
ok(
    S,
    E,
    "every argument by name",
    """
    logits = model(
        input_ids=batch["input_ids"],
        attention_mask=batch["attention_mask"],
        token_type_ids=batch["token_type_ids"],
    ).logits
    """,
)
ok(
    S,
    E,
    "ids and mask only",
    'logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits',
)
ok(
    S,
    E,
    "inference_mode",
    """
    with torch.inference_mode():
        logits = model(**batch.to(model.device)).logits
    """,
)
bad(S, E, "the ids", 'logits = model(batch["input_ids"]).logits', "no attention mask")
bad(S, E, "labels", "logits = model(**batch).logits.argmax(-1)", "label ids, not logits")
bad(
    S,
    E,
    "probabilities",
    "logits = torch.softmax(model(**batch).logits, dim=-1)",
    "probabilities",
)
bad(
    S,
    E,
    "positional arguments",
    'logits = model(batch["input_ids"], batch["token_type_ids"]).logits',
    "token_type_ids passed positionally land in attention_mask (all zeros)",
)
bad(
    S,
    E,
    "left-padded batch",
    'logits = model(**tokenizer(sequences, padding=True, padding_side="left", return_tensors="pt")).logits',
    "left padding shifts positions: a different batch",
)
bad(
    S,
    E,
    "one at a time to be safe",
    'logits = torch.cat([model(**tokenizer(s, return_tensors="pt")).logits for s in sequences])',
    "two calls, one per sentence, not the batch",
)
bad(S, E, "first row", "logits = model(**batch).logits[0]", "one row")
bad(S, E, "the output", "logits = model(**batch)", "the model output, not .logits")

E = "padding_efficiency"
ok(
    S,
    E,
    "sum over numel",
    """
    def padding_efficiency(attention_mask):
        return (attention_mask.sum() / attention_mask.numel()).item()
    """,
)
ok(
    S,
    E,
    "float mean",
    """
    def padding_efficiency(attention_mask):
        return attention_mask.float().mean().item()
    """,
)
ok(
    S,
    E,
    "float of sum",
    """
    def padding_efficiency(attention_mask):
        return float(attention_mask.sum()) / attention_mask.numel()
    """,
)
ok(
    S,
    E,
    "batch times width",
    """
    def padding_efficiency(attention_mask):
        batch_size, width = attention_mask.shape
        return attention_mask.sum().item() / (batch_size * width)
    """,
)
ok(
    S,
    E,
    "mean of each row's share",
    """
    def padding_efficiency(attention_mask):
        return (attention_mask.sum(dim=1) / attention_mask.shape[1]).mean().item()
    """,
)
ok(
    S,
    E,
    "count_nonzero",
    """
    def padding_efficiency(attention_mask):
        return torch.count_nonzero(attention_mask).item() / attention_mask.numel()
    """,
)
bad(
    S,
    E,
    "a tensor is fine",
    """
    def padding_efficiency(attention_mask):
        return attention_mask.sum() / attention_mask.numel()
    """,
    "returns a tensor, not a float",
)
bad(
    S,
    E,
    "integer division",
    """
    def padding_efficiency(attention_mask):
        return attention_mask.sum().item() // attention_mask.numel()
    """,
    "integer division: 0 (or 1)",
)
bad(
    S,
    E,
    "divide by the width",
    """
    def padding_efficiency(attention_mask):
        return (attention_mask.sum() / attention_mask.shape[1]).item()
    """,
    "divides by the width only: real tokens per row summed",
)
bad(
    S,
    E,
    "the padding share",
    """
    def padding_efficiency(attention_mask):
        return 1 - attention_mask.float().mean().item()
    """,
    "share of padding, not of real tokens",
)
bad(
    S,
    E,
    "zeros over all",
    """
    def padding_efficiency(attention_mask):
        return ((attention_mask == 0).sum() / attention_mask.numel()).item()
    """,
    "counts the pads",
)
bad(
    S,
    E,
    "tokens per sequence",
    """
    def padding_efficiency(attention_mask):
        return attention_mask.sum().item() / len(attention_mask)
    """,
    "real tokens per row, not a share",
)
bad(
    S,
    E,
    "percent",
    """
    def padding_efficiency(attention_mask):
        return 100 * attention_mask.float().mean().item()
    """,
    "a percentage, not a share",
)
bad(
    S,
    E,
    "rounded for readability",
    """
    def padding_efficiency(attention_mask):
        return round(attention_mask.float().mean().item(), 2)
    """,
    "rounded to 2 decimals",
)
bad(
    S,
    E,
    "mean directly",
    """
    def padding_efficiency(attention_mask):
        return attention_mask.mean().item()
    """,
    "mean of an int64 tensor raises",
)

E = "classify_texts"
_CLASSIFY_BODY = """
def classify_texts(texts, batch_size):
    lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    results = [None] * len(texts)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True,
                          return_tensors="pt").to(model.device)
        with torch.no_grad():
            logits = model(**batch).logits
        for k, i in enumerate(chunk):
            results[i] = logits[k]
    return torch.stack(results)
"""
ok(S, E, "sort, batch, put back", _CLASSIFY_BODY)
ok(
    S,
    E,
    "longest first, into a preallocated tensor",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        out = torch.empty(len(texts), model.config.num_labels, device=model.device)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True, return_tensors="pt")
                out[idx] = model(**enc.to(model.device)).logits
        return out
    """,
)
ok(
    S,
    E,
    "cat then argsort back",
    """
    def classify_texts(texts, batch_size):
        lengths = torch.tensor([len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]])
        order = torch.argsort(lengths, stable=True)
        parts = []
        with torch.no_grad():
            for chunk in order.split(batch_size):
                enc = tokenizer([texts[i] for i in chunk.tolist()], padding=True, truncation=True,
                                return_tensors="pt").to(model.device)
                parts.append(model(**enc).logits)
        return torch.cat(parts)[torch.argsort(order)]
    """,
)
ok(
    S,
    E,
    "sorted by tokenize (no specials, same order)",
    """
    def classify_texts(texts, batch_size):
        order = sorted(range(len(texts)), key=lambda i: len(tokenizer.tokenize(texts[i])))
        rows = {}
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            enc = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**enc.to(model.device)).logits
            rows.update(zip(chunk, logits))
        return torch.stack([rows[i] for i in range(len(texts))])
    """,
)
bad(
    S,
    E,
    "sort by length of the text",
    """
    def classify_texts(texts, batch_size):
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "sorts by characters, not tokens",
)
bad(
    S,
    E,
    "sort by words",
    """
    def classify_texts(texts, batch_size):
        order = sorted(range(len(texts)), key=lambda i: len(texts[i].split()))
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "sorts by words, not tokens",
)
bad(
    S,
    E,
    "batches in the given order",
    """
    def classify_texts(texts, batch_size):
        parts = []
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start : start + batch_size], padding=True, truncation=True,
                              return_tensors="pt")
            with torch.no_grad():
                parts.append(model(**batch.to(model.device)).logits)
        return torch.cat(parts)
    """,
    "no sorting: batches in input order",
)
bad(
    S,
    E,
    "sorted results",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        parts = []
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                parts.append(model(**batch.to(model.device)).logits)
        return torch.cat(parts)
    """,
    "rows come back in sorted order, not the input order",
)
bad(
    S,
    E,
    "index with the order to restore",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        parts = []
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                parts.append(model(**batch.to(model.device)).logits)
        return torch.cat(parts)[order]
    """,
    "indexes by the permutation instead of its inverse (right only when it is its own inverse)",
)
bad(
    S,
    E,
    "pad to max_length so all batches match",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding="max_length", truncation=True,
                              return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "pads every batch to 512 instead of its own longest",
)
bad(
    S,
    E,
    "one by one, no padding at all",
    """
    def classify_texts(texts, batch_size):
        rows = []
        with torch.no_grad():
            for t in texts:
                enc = tokenizer(t, truncation=True, return_tensors="pt").to(model.device)
                rows.append(model(**enc).logits[0])
        return torch.stack(rows)
    """,
    "ignores batch_size: one call per text",
)
bad(
    S,
    E,
    "one big batch",
    """
    def classify_texts(texts, batch_size):
        enc = tokenizer(texts, padding=True, truncation=True, return_tensors="pt").to(model.device)
        with torch.no_grad():
            return model(**enc).logits
    """,
    "ignores batch_size: all texts in one batch padded to the longest",
)
bad(
    S,
    E,
    "a list of rows",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return results
    """,
    "returns a list of rows, not one tensor",
)
bad(
    S,
    E,
    "ids are enough for the model",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(batch["input_ids"].to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "forgot the attention mask",
)
bad(
    S,
    E,
    "range stops one batch early",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = torch.zeros(len(texts), model.config.num_labels)
        for start in range(0, len(order) - batch_size, batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                results[chunk] = model(**batch.to(model.device)).logits
        return results
    """,
    "off by one in the range: the last batch is never run (rows stay 0)",
)
bad(
    S,
    E,
    "no truncation, texts are short",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "no truncation: a text longer than 512 tokens fails",
)
bad(
    S,
    E,
    "sort the list itself",
    """
    def classify_texts(texts, batch_size):
        texts.sort(key=lambda t: len(tokenizer(t, truncation=True)["input_ids"]))
        parts = []
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(texts[start : start + batch_size], padding=True, truncation=True,
                              return_tensors="pt")
            with torch.no_grad():
                parts.append(model(**batch.to(model.device)).logits)
        return torch.cat(parts)
    """,
    "sorts the caller's list in place and returns rows in sorted order",
)
bad(
    S,
    E,
    "batch_size batches",
    """
    import numpy as np


    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = np.argsort(lengths, kind="stable")
        results = [None] * len(texts)
        for chunk in np.array_split(order, batch_size):
            chunk = chunk.tolist()
            if not chunk:
                continue
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "batch_size used as the number of batches (array_split)",
)
bad(
    S,
    E,
    "pad every batch to the overall longest",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding="max_length", max_length=max(lengths),
                              truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "pads every batch to the longest text of all, not its own longest",
)
bad(
    S,
    E,
    "skip empty texts",
    """
    def classify_texts(texts, batch_size):
        texts = [t for t in texts if t.strip()]
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch.to(model.device)).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "drops empty texts: fewer rows than texts, later rows shifted",
)
bad(
    S,
    E,
    "on the GPU",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True,
                              return_tensors="pt").to("cuda")
            with torch.no_grad():
                logits = model(**batch).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "hard-codes 'cuda' instead of model.device",
)
bad(
    S,
    E,
    "never moved the batch",
    """
    def classify_texts(texts, batch_size):
        lengths = [len(ids) for ids in tokenizer(texts, truncation=True)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        results = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            with torch.no_grad():
                logits = model(**batch).logits
            for k, i in enumerate(chunk):
                results[i] = logits[k]
        return torch.stack(results)
    """,
    "never moves the batch to model.device: fails when the model is on a GPU",
    gpu_only=True,
)

# ---------------------------------------------------------------------------------------------
# Section 9: pairs of sequences
# ---------------------------------------------------------------------------------------------
S = 9
E = "pair"
ok(S, E, "two arguments, tensors", 'pair = tokenizer(first, second, return_tensors="pt")')
ok(
    S,
    E,
    "asked for the token types explicitly",
    'pair = tokenizer(first, second, return_tensors="pt", return_token_type_ids=True)',
)
ok(
    S,
    E,
    "text and text_pair",
    'pair = tokenizer(text=first, text_pair=second, return_tensors="pt")',
)
ok(S, E, "a batch of one pair as lists", 'pair = tokenizer([first], [second], return_tensors="pt")')
ok(
    S,
    E,
    "a list of one (first, second) pair",
    'pair = tokenizer([(first, second)], return_tensors="pt")',
)
ok(
    S,
    E,
    "padding and truncation do nothing here",
    'pair = tokenizer(first, second, padding=True, truncation=True, return_tensors="pt")',
)
bad(
    S,
    E,
    "a list of the two texts",
    'pair = tokenizer([first, second], padding=True, return_tensors="pt")',
    "a batch of two separate texts, not one pair",
)
bad(
    S,
    E,
    "[SEP] typed between them",
    'pair = tokenizer(first + " [SEP] " + second, return_tensors="pt")',
    "one text with a typed [SEP]: token types all 0",
)
bad(
    S,
    E,
    "second first",
    'pair = tokenizer(second, first, return_tensors="pt")',
    "texts in the wrong order",
)
bad(S, E, "lists are fine", "pair = tokenizer(first, second)", "no return_tensors: lists")
bad(
    S,
    E,
    "the ids are what matter",
    'pair = tokenizer(first, second, return_tensors="pt")["input_ids"]',
    "only input_ids: no token_type_ids or attention_mask",
)
bad(
    S,
    E,
    "no token types, the model adds them",
    'pair = tokenizer(first, second, return_tensors="pt", return_token_type_ids=False)',
    "drops token_type_ids",
)
bad(S, E, "numpy", 'pair = tokenizer(first, second, return_tensors="np")', "NumPy arrays")
bad(
    S,
    E,
    "one sentence with a space",
    'pair = tokenizer(first + " " + second, return_tensors="pt")',
    "one text: no [SEP] between them, types all 0",
)
bad(
    S,
    E,
    "without the special tokens",
    'pair = tokenizer(first, second, add_special_tokens=False, return_tensors="pt")',
    "no [CLS]/[SEP]",
)
bad(
    S,
    E,
    "cut the second to be safe",
    'pair = tokenizer(first, second, truncation="only_second", max_length=16, return_tensors="pt")',
    "truncated to 16 tokens",
)
bad(
    S,
    E,
    "padded to the max",
    'pair = tokenizer(first, second, padding="max_length", return_tensors="pt")',
    "padded to 512",
)
bad(
    S,
    E,
    "token types from a batch of one text each",
    """
    pair = tokenizer(first, second, return_tensors="pt")
    pair["token_type_ids"] = torch.zeros_like(pair["token_type_ids"])
    """,
    "token types overwritten with 0s",
)

E = "token_types"
ok(
    S,
    E,
    "index of the first [SEP]",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        return [0 if i <= sep or t == tokenizer.pad_token_id else 1 for i, t in enumerate(input_ids)]
    """,
)
ok(
    S,
    E,
    "a flag that turns on after the [SEP]",
    """
    def token_types(input_ids):
        types, seen = [], False
        for t in input_ids:
            if t == tokenizer.pad_token_id:
                types.append(0)
            else:
                types.append(1 if seen else 0)
            if t == tokenizer.sep_token_id:
                seen = True
        return types
    """,
)
ok(
    S,
    E,
    "cumsum of the [SEP]s",
    """
    def token_types(input_ids):
        ids = torch.tensor(input_ids, dtype=torch.long)
        is_sep = (ids == tokenizer.sep_token_id).long()
        before = is_sep.cumsum(0) - is_sep
        return ((before >= 1) & (ids != tokenizer.pad_token_id)).long().tolist()
    """,
)
ok(
    S,
    E,
    "ids 102 and 0, this vocabulary's [SEP] and [PAD]",
    """
    def token_types(input_ids):
        out = []
        after = False
        for t in input_ids:
            out.append(1 if after and t != 0 else 0)
            if t == 102:
                after = True
        return out
    """,
)
ok(
    S,
    E,
    "token strings",
    """
    def token_types(input_ids):
        tokens = tokenizer.convert_ids_to_tokens(input_ids)
        sep = tokens.index("[SEP]")
        return [1 if i > sep and tok != "[PAD]" else 0 for i, tok in enumerate(tokens)]
    """,
)
ok(
    S,
    E,
    "real length from the first pad",
    """
    def token_types(input_ids):
        pad = tokenizer.pad_token_id
        real = input_ids.index(pad) if pad in input_ids else len(input_ids)
        sep = input_ids.index(tokenizer.sep_token_id)
        return [0] * (sep + 1) + [1] * (real - sep - 1) + [0] * (len(input_ids) - real)
    """,
)
bad(
    S,
    E,
    "1 from the [SEP] on",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        return [0 if i < sep or t == tokenizer.pad_token_id else 1 for i, t in enumerate(input_ids)]
    """,
    "the first [SEP] gets 1; it belongs to the first text",
)
bad(
    S,
    E,
    "everything after the [SEP] is the second text",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        return [0] * (sep + 1) + [1] * (len(input_ids) - sep - 1)
    """,
    "padding gets 1 instead of 0",
)
bad(
    S,
    E,
    "between the two [SEP]s",
    """
    def token_types(input_ids):
        seps = [i for i, t in enumerate(input_ids) if t == tokenizer.sep_token_id]
        first_sep, second_sep = seps
        return [1 if first_sep < i <= second_sep else 0 for i in range(len(input_ids))]
    """,
    "assumes two [SEP]s: a single text raises",
)
bad(
    S,
    E,
    "the second [SEP] closes the pair",
    """
    def token_types(input_ids):
        seps = [i for i, t in enumerate(input_ids) if t == tokenizer.sep_token_id]
        if len(seps) < 2:
            return [0] * len(input_ids)
        return [1 if seps[0] < i < seps[1] else 0 for i in range(len(input_ids))]
    """,
    "the second [SEP] gets 0; it belongs to the second text (1)",
)
bad(
    S,
    E,
    "write them into the list",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        for i, t in enumerate(input_ids):
            input_ids[i] = 1 if i > sep and t != tokenizer.pad_token_id else 0
        return input_ids
    """,
    "overwrites the caller's input_ids",
)
bad(
    S,
    E,
    "a tensor like the tokenizer's",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        return torch.tensor([0 if i <= sep or t == tokenizer.pad_token_id else 1 for i, t in enumerate(input_ids)])
    """,
    "returns a tensor, not a list",
)
bad(
    S,
    E,
    "ask the tokenizer again",
    """
    def token_types(input_ids):
        text = tokenizer.decode(input_ids, skip_special_tokens=False)
        a, b = text.replace("[CLS]", "").replace("[PAD]", "").split("[SEP]")[:2]
        return tokenizer(a.strip(), b.strip() or None)["token_type_ids"]
    """,
    "decode + re-encode: lengths change (padding lost, tokens re-split)",
)
bad(
    S,
    E,
    "from the last [SEP]",
    """
    def token_types(input_ids):
        last = len(input_ids) - 1 - input_ids[::-1].index(tokenizer.sep_token_id)
        return [1 if i > last and t != tokenizer.pad_token_id else 0 for i, t in enumerate(input_ids)]
    """,
    "counts from the last [SEP]: the second text gets 0",
)
bad(
    S,
    E,
    "booleans",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        return [i > sep and t != tokenizer.pad_token_id for i, t in enumerate(input_ids)]
    """,
    "a list of bools, not ints",
)
bad(
    S,
    E,
    "pads get the type of the text before them",
    """
    def token_types(input_ids):
        types, seen = [], False
        for t in input_ids:
            types.append(1 if seen else 0)
            if t == tokenizer.sep_token_id:
                seen = True
        return types
    """,
    "padding gets 1 after a pair",
)
bad(
    S,
    E,
    "the pad id is pad_token_type_id",
    """
    def token_types(input_ids):
        sep = input_ids.index(tokenizer.sep_token_id)
        return [0 if i <= sep else 1 for i, t in enumerate(input_ids) if t != tokenizer.pad_token_id]
    """,
    "drops the padding positions: shorter than input_ids",
)
bad(
    S,
    E,
    "all zeros unless there is a second text",
    """
    def token_types(input_ids):
        n = len([t for t in input_ids if t != tokenizer.pad_token_id])
        sep = input_ids.index(tokenizer.sep_token_id)
        return [0] * (sep + 1) + [1] * (n - sep - 1)
    """,
    "forgets the padding: shorter than input_ids",
)

E = "qa_inputs"
ok(
    S,
    E,
    "only_second",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second", max_length=max_length)["input_ids"]
    """,
)
ok(
    S,
    E,
    "encode",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer.encode(question, context, truncation="only_second", max_length=max_length)
    """,
)
ok(
    S,
    E,
    "text_pair keyword, tensor to list",
    """
    def qa_inputs(question, context, max_length):
        enc = tokenizer(text=question, text_pair=context, truncation="only_second",
                        max_length=max_length, return_tensors="pt")
        return enc["input_ids"][0].tolist()
    """,
)
ok(
    S,
    E,
    "question whole, context tokens by hand",
    """
    def qa_inputs(question, context, max_length):
        q = tokenizer(question)["input_ids"]
        c = tokenizer(context, add_special_tokens=False)["input_ids"]
        room = max_length - len(q) - 1
        return q + c[:room] + [tokenizer.sep_token_id]
    """,
)
ok(
    S,
    E,
    "slice the pair and put the [SEP] back",
    """
    def qa_inputs(question, context, max_length):
        ids = tokenizer(question, context)["input_ids"]
        if len(ids) <= max_length:
            return ids
        return ids[: max_length - 1] + [tokenizer.sep_token_id]
    """,
)
bad(
    S,
    E,
    "truncation=True",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation=True, max_length=max_length)["input_ids"]
    """,
    "longest_first: a long question gets cut too",
)
bad(
    S,
    E,
    "only_first",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_first", max_length=max_length)["input_ids"]
    """,
    "only_first cuts the question (or fails), not the context",
)
bad(
    S,
    E,
    "context first so only_first cuts it",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(context, question, truncation="only_first", max_length=max_length)["input_ids"]
    """,
    "context first: the pair is in the wrong order",
)
bad(
    S,
    E,
    "padded to max_length",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second", max_length=max_length,
                         padding="max_length")["input_ids"]
    """,
    "pads a pair that fits",
)
bad(
    S,
    E,
    "tensor",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second", max_length=max_length,
                         return_tensors="pt")["input_ids"]
    """,
    "returns a (1, n) tensor, not a list",
)
bad(
    S,
    E,
    "the whole encoding",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second", max_length=max_length)
    """,
    "returns the tokenizer's output, not the list of ids",
)
bad(
    S,
    E,
    "slice the ids",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context)["input_ids"][:max_length]
    """,
    "slicing drops the final [SEP]",
)
bad(
    S,
    E,
    "slice and always add [SEP]",
    """
    def qa_inputs(question, context, max_length):
        ids = tokenizer(question, context)["input_ids"]
        return ids[: max_length - 1] + [tokenizer.sep_token_id]
    """,
    "a pair that fits gets a second [SEP] at the end",
)
bad(
    S,
    E,
    "three special tokens come on top",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second", max_length=max_length - 3)["input_ids"]
    """,
    "max_length already counts the special tokens: 3 ids too few",
)
bad(
    S,
    E,
    "cut the context text",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context[:max_length])["input_ids"]
    """,
    "cuts characters of the context, not tokens",
)
bad(
    S,
    E,
    "count the question's tokens and cut the context tokens",
    """
    def qa_inputs(question, context, max_length):
        room = max_length - len(tokenizer.tokenize(question))
        kept = tokenizer.convert_tokens_to_string(tokenizer.tokenize(context)[:room])
        return tokenizer(question, kept)["input_ids"]
    """,
    "forgets the 3 special tokens (3 too many ids) and re-tokenizes joined text",
)
bad(
    S,
    E,
    "windows, just in case",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second", max_length=max_length,
                         return_overflowing_tokens=True)["input_ids"]
    """,
    "returns a list of windows, not one list of ids",
)
bad(
    S,
    E,
    "joined into one text",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question + " " + context, truncation=True, max_length=max_length)["input_ids"]
    """,
    "one text, no [SEP] between question and context",
)
bad(
    S,
    E,
    "only_second without max_length",
    """
    def qa_inputs(question, context, max_length):
        return tokenizer(question, context, truncation="only_second")["input_ids"]
    """,
    "ignores max_length: cuts at 512",
)

E = "qa_windows"
ok(
    S,
    E,
    "as in the demo",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
)
ok(
    S,
    E,
    "keywords text and text_pair, padding longest",
    """
    qa_windows = tokenizer(text=questions, text_pair=contexts, padding="longest", return_tensors="pt",
                           max_length=128, stride=32, truncation="only_second",
                           return_overflowing_tokens=True, return_offsets_mapping=True)
    """,
)
ok(
    S,
    E,
    "pairs as tuples",
    """
    qa_windows = tokenizer(list(zip(questions, contexts)), truncation="only_second", max_length=128,
                           stride=32, return_overflowing_tokens=True, return_offsets_mapping=True,
                           padding=True, return_tensors="pt")
    """,
)
ok(
    S,
    E,
    "padded to max_length 128",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True,
                           padding="max_length", return_tensors="pt")
    """,
)
bad(
    S,
    E,
    "stride is the step",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=96,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "stride=96: stride is the overlap (32), not the step",
)
ok(  # relabelled on review: a value for these pairs, whose questions are short: every window keeps its whole question
    S,
    E,
    "truncation=True",
    """
    qa_windows = tokenizer(questions, contexts, truncation=True, max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
)
bad(
    S,
    E,
    "forgot the offsets",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, padding=True, return_tensors="pt")
    """,
    "no offset_mapping",
)
bad(
    S,
    E,
    "forgot the overflow",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32,
                           return_offsets_mapping=True, padding=True, return_tensors="pt")
    """,
    "no return_overflowing_tokens: one truncated window per pair",
)
bad(
    S,
    E,
    "context first",
    """
    qa_windows = tokenizer(contexts, questions, truncation="only_first", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "context and question swapped",
)
bad(
    S,
    E,
    "the first pair",
    """
    qa_windows = tokenizer(questions[0], contexts[0], truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "only the first pair",
)
bad(
    S,
    E,
    "the question and context from above",
    """
    qa_windows = tokenizer(question, context, truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "one pair (question, context), not the pairs of questions and contexts",
)
bad(
    S,
    E,
    "lists",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True)
    """,
    "no return_tensors: lists",
)
bad(
    S,
    E,
    "128 plus the overlap",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=160, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "max_length=160: windows longer than 128",
)
bad(
    S,
    E,
    "each pair on its own",
    """
    qa_windows = [
        tokenizer(q, c, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True,
                  return_offsets_mapping=True, padding=True, return_tensors="pt")
        for q, c in zip(questions, contexts)
    ]
    """,
    "a list of two encodings, not one batch",
)
bad(
    S,
    E,
    "popped the mapping as in section 7",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    qa_windows.pop("overflow_to_sample_mapping")
    """,
    "removes overflow_to_sample_mapping",
)
bad(
    S,
    E,
    "stride 16 as in the demo",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=16,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "stride=16, not 32",
)
bad(
    S,
    E,
    "max_length 64 from the demo",
    """
    qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=64, stride=32,
                           return_overflowing_tokens=True, return_offsets_mapping=True, padding=True,
                           return_tensors="pt")
    """,
    "windows of 64, not 128",
)

E = "answer_text"
ok(
    S,
    E,
    "start of the first, end of the last",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end][1]]
    """,
)
ok(
    S,
    E,
    "unpacked",
    """
    def answer_text(context, offsets, start, end):
        begin, _ = offsets[start]
        _, stop = offsets[end]
        return context[begin:stop]
    """,
)
ok(
    S,
    E,
    "strip is harmless",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end][1]].strip()
    """,
)
ok(
    S,
    E,
    "min and max over the span",
    """
    def answer_text(context, offsets, start, end):
        span = offsets[start : end + 1]
        return context[min(s for s, _ in span) : max(e for _, e in span)]
    """,
)
bad(
    S,
    E,
    "start of the last token",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end][0]]
    """,
    "ends at the last token's start: the last token is cut off",
)
bad(
    S,
    E,
    "up to the next token",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end + 1][0]]
    """,
    "ends at the next token's start: trailing space/punctuation, IndexError at the window's end",
)
bad(
    S,
    E,
    "end is inclusive so +1",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end][1] + 1]
    """,
    "one character too many: offsets' end is already exclusive",
)
bad(
    S,
    E,
    "start at the token before",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start - 1][1] : offsets[end][1]]
    """,
    "starts at the previous token's end: a leading space (or the question's chars)",
)
bad(
    S,
    E,
    "token positions are characters",
    """
    def answer_text(context, offsets, start, end):
        return context[start : end + 1]
    """,
    "uses token positions as character positions",
)
bad(
    S,
    E,
    "words",
    """
    def answer_text(context, offsets, start, end):
        return " ".join(context.split()[start : end + 1])
    """,
    "uses token positions as word positions",
)
bad(
    S,
    E,
    "lowercase like the model",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end][1]].lower()
    """,
    "lowercased: the original case is lost",
)
bad(
    S,
    E,
    "join the pieces with spaces",
    """
    def answer_text(context, offsets, start, end):
        return " ".join(context[s:e] for s, e in offsets[start : end + 1])
    """,
    "joins every token with a space: 'mother ' s', word pieces split",
)
bad(
    S,
    E,
    "join the pieces",
    """
    def answer_text(context, offsets, start, end):
        return "".join(context[s:e] for s, e in offsets[start : end + 1])
    """,
    "joins the tokens without the spaces between words",
)
bad(
    S,
    E,
    "end exclusive",
    """
    def answer_text(context, offsets, start, end):
        return context[offsets[start][0] : offsets[end - 1][1]]
    """,
    "treats end as exclusive: drops the last token",
)
bad(
    S,
    E,
    "the answer of the example",
    """
    def answer_text(context, offsets, start, end):
        return "to celebrate my mother's retirement"
    """,
    "hard-coded to the notebook's example",
)
bad(
    S,
    E,
    "character span",
    """
    def answer_text(context, offsets, start, end):
        return (offsets[start][0], offsets[end][1])
    """,
    "returns the character span, not the string",
)
bad(
    S,
    E,
    "decode the tokens",
    """
    def answer_text(context, offsets, start, end):
        ids = tokenizer(context, add_special_tokens=False)["input_ids"]
        return tokenizer.decode(ids[start : end + 1])
    """,
    "decodes other tokens (window positions are not context positions), lowercased",
)

# ---------------------------------------------------------------------------------------------
# Section 10: batches for training
# ---------------------------------------------------------------------------------------------
S = 10
E = "first_batch"
ok(
    S,
    E,
    "next(iter(...))",
    """
    first_batch = next(iter(DataLoader(features, batch_size=8, shuffle=False,
                                       collate_fn=DataCollatorWithPadding(tokenizer))))
    """,
)
ok(
    S,
    E,
    "the collator from above, break after one",
    """
    for b in DataLoader(features, batch_size=8, collate_fn=collator):
        first_batch = b
        break
    """,
)
ok(S, E, "the collator on the first 8 features", "first_batch = collator(features[:8])")
ok(
    S,
    E,
    "drop_last changes nothing for the first batch",
    """
    first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=collator, drop_last=True)))
    """,
)
ok(
    S,
    E,
    "list of all batches, take the first",
    "first_batch = list(DataLoader(features, batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer)))[0]",
)
bad(
    S,
    E,
    "shuffled, seeded",
    """
    first_batch = next(iter(DataLoader(features, batch_size=8, shuffle=True, collate_fn=collator,
                                       generator=torch.Generator().manual_seed(0))))
    """,
    "shuffle=True: other rows than the first 8",
)
bad(
    S,
    E,
    "the loader from above",
    "first_batch = next(iter(loader))",
    "the shuffled loader of batch_size 16",
)
bad(
    S,
    E,
    "batch of 16",
    "first_batch = next(iter(DataLoader(features, batch_size=16, collate_fn=collator)))",
    "batch_size=16, not 8",
)
bad(
    S,
    E,
    "pad to max_length",
    """
    first_batch = next(iter(DataLoader(features, batch_size=8,
                                       collate_fn=DataCollatorWithPadding(tokenizer, padding="max_length"))))
    """,
    "padded to 512, not to the longest of the 8",
)
bad(
    S,
    E,
    "multiple of 8 for speed",
    """
    first_batch = next(iter(DataLoader(features, batch_size=8,
                                       collate_fn=DataCollatorWithPadding(tokenizer, pad_to_multiple_of=8))))
    """,
    "width rounded up to a multiple of 8",
)
bad(
    S,
    E,
    "tokenizer.pad",
    'first_batch = tokenizer.pad(features[:8], return_tensors="pt")',
    "tokenizer.pad keeps `label`; the collator renames it to `labels`",
)
bad(
    S,
    E,
    "slice of the padded data set",
    "first_batch = {key: value[:8] for key, value in padded_all.items()}",
    "padded to the whole data set's longest, and no labels",
)
bad(
    S,
    E,
    "skipped the first feature by mistake",
    "first_batch = collator(features[1:9])",
    "off by one: features 1 to 8",
)
bad(
    S,
    E,
    "only the ids",
    'first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=collator)))["input_ids"]',
    "only input_ids",
)
bad(
    S,
    E,
    "labels do not belong in the inputs",
    """
    b = next(iter(DataLoader(features, batch_size=8, collate_fn=collator)))
    first_batch = {k: v for k, v in b.items() if k != "labels"}
    """,
    "drops the labels",
)
bad(
    S,
    E,
    "numpy arrays are lighter",
    """
    first_batch = next(iter(DataLoader(features, batch_size=8,
                                       collate_fn=DataCollatorWithPadding(tokenizer, padding="longest",
                                                                          return_tensors="np"))))
    """,
    "NumPy arrays, not tensors",
)

E = "group_by_length"
ok(
    S,
    E,
    "sort the indices, cut",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    """,
)
ok(
    S,
    E,
    "longest first",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True)
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    """,
)
ok(
    S,
    E,
    "argsort then shuffle the batches",
    """
    import random


    def group_by_length(lengths, batch_size):
        order = torch.argsort(torch.tensor(lengths), stable=True).tolist()
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        random.Random(0).shuffle(batches)
        return batches
    """,
)
ok(
    S,
    E,
    "numpy argsort to lists",
    """
    import numpy as np


    def group_by_length(lengths, batch_size):
        order = np.argsort(np.asarray(lengths), kind="stable").tolist()
        batches = []
        while order:
            batches.append(order[:batch_size])
            order = order[batch_size:]
        return batches
    """,
)
bad(
    S,
    E,
    "sorted lengths",
    """
    def group_by_length(lengths, batch_size):
        s = sorted(lengths)
        return [s[i : i + batch_size] for i in range(0, len(s), batch_size)]
    """,
    "batches of lengths, not of indices",
)
bad(
    S,
    E,
    "cut in order",
    """
    def group_by_length(lengths, batch_size):
        idx = list(range(len(lengths)))
        return [idx[i : i + batch_size] for i in range(0, len(idx), batch_size)]
    """,
    "no sorting: batches in input order",
)
bad(
    S,
    E,
    "sort in place, it is quicker",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        lengths.sort()
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    """,
    "sorts the caller's lengths in place",
)
bad(
    S,
    E,
    "range without the rest",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, len(order) - batch_size, batch_size)]
    """,
    "off by one in the range: the last batch (or two) is lost",
)
bad(
    S,
    E,
    "windows of batch_size",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(len(order) - batch_size + 1)]
    """,
    "step 1 instead of batch_size: overlapping batches, indices repeated",
)
bad(
    S,
    E,
    "merge the small rest into the last batch",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        if len(batches) > 1 and len(batches[-1]) < batch_size:
            batches[-2].extend(batches.pop())
        return batches
    """,
    "a batch larger than batch_size",
)
bad(
    S,
    E,
    "drop the incomplete batch like drop_last",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, len(order) - len(order) % batch_size, batch_size)]
    """,
    "drops the rest: some indices missing",
)
bad(
    S,
    E,
    "array_split",
    """
    import numpy as np


    def group_by_length(lengths, batch_size):
        order = np.argsort(lengths)
        n = -(-len(lengths) // batch_size)
        return [list(chunk) for chunk in np.array_split(order, n)]
    """,
    "array_split makes equal sizes: several batches smaller than batch_size",
)
bad(
    S,
    E,
    "buckets of similar length",
    """
    def group_by_length(lengths, batch_size):
        buckets = {}
        for i, n in enumerate(lengths):
            buckets.setdefault(n // 10, []).append(i)
        batches = []
        for key in sorted(buckets):
            b = buckets[key]
            batches += [b[i : i + batch_size] for i in range(0, len(b), batch_size)]
        return batches
    """,
    "bucketing leaves a smaller batch in every bucket",
)
bad(
    S,
    E,
    "the Trainer's function, cut",
    """
    from transformers.trainer_pt_utils import get_length_grouped_indices


    def group_by_length(lengths, batch_size):
        idx = get_length_grouped_indices(lengths, batch_size, generator=torch.Generator().manual_seed(0))
        return [idx[i : i + batch_size] for i in range(0, len(idx), batch_size)]
    """,
    "randomised mega-batches: batches' length ranges overlap when there are more than 50 batches",
)
bad(
    S,
    E,
    "tuples",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        return [tuple(order[i : i + batch_size]) for i in range(0, len(order), batch_size)]
    """,
    "batches are tuples, not lists",
)
bad(
    S,
    E,
    "a flat order, the DataLoader cuts it",
    """
    def group_by_length(lengths, batch_size):
        return sorted(range(len(lengths)), key=lambda i: lengths[i])
    """,
    "a flat list of indices, not a list of batches",
)
bad(
    S,
    E,
    "one smaller batch at the start",
    """
    def group_by_length(lengths, batch_size):
        order = sorted(range(len(lengths)), key=lambda i: lengths[i])
        rest = len(order) % batch_size
        batches = [order[:rest]]
        batches += [order[i : i + batch_size] for i in range(rest, len(order), batch_size)]
        return batches
    """,
    "an empty batch when the lengths divide evenly",
)

E = "padded_width"
ok(
    S,
    E,
    "ceil division with minus",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else -(-w // multiple) * multiple
    """,
)
ok(
    S,
    E,
    "math.ceil",
    """
    import math


    def padded_width(lengths, multiple):
        longest = max(lengths)
        if multiple is None:
            return longest
        return math.ceil(longest / multiple) * multiple
    """,
)
ok(
    S,
    E,
    "add multiple - 1",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        if not multiple:
            return w
        return (w + multiple - 1) // multiple * multiple
    """,
)
ok(
    S,
    E,
    "modulo",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return w + (-w % multiple) if multiple is not None else w
    """,
)
ok(
    S,
    E,
    "ask the collator",
    """
    def padded_width(lengths, multiple):
        feats = [{"input_ids": [1] * n} for n in lengths]
        return DataCollatorWithPadding(tokenizer, pad_to_multiple_of=multiple)(feats)["input_ids"].shape[1]
    """,
)
bad(
    S,
    E,
    "next multiple",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else (w // multiple + 1) * multiple
    """,
    "a width already a multiple is bumped to the next one",
)
bad(
    S,
    E,
    "round",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else round(w / multiple) * multiple
    """,
    "round() can round down below the longest length",
)
bad(
    S,
    E,
    "floor",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else w // multiple * multiple
    """,
    "rounds down",
)
bad(
    S,
    E,
    "numpy ceil",
    """
    import numpy as np


    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else np.ceil(w / multiple) * multiple
    """,
    "returns a NumPy float, not an int",
)
bad(
    S,
    E,
    "sum of lengths",
    """
    def padded_width(lengths, multiple):
        w = sum(lengths)
        return w if multiple is None else -(-w // multiple) * multiple
    """,
    "uses the total, not the longest",
)
bad(
    S,
    E,
    "number of features",
    """
    def padded_width(lengths, multiple):
        w = len(lengths)
        return w if multiple is None else -(-w // multiple) * multiple
    """,
    "uses the number of features, not the longest length",
)
bad(
    S,
    E,
    "multiple is always given",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return -(-w // multiple) * multiple
    """,
    "multiple=None raises TypeError",
)
bad(
    S,
    E,
    "add what is missing",
    """
    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else w + multiple - w % multiple
    """,
    "a width already a multiple gets another full multiple",
)
bad(
    S,
    E,
    "sort to get the longest",
    """
    def padded_width(lengths, multiple):
        lengths.sort()
        w = lengths[-1]
        return w if multiple is None else -(-w // multiple) * multiple
    """,
    "sorts the caller's list in place",
)
bad(
    S,
    E,
    "powers of two are what hardware likes",
    """
    import math


    def padded_width(lengths, multiple):
        w = max(lengths)
        return w if multiple is None else 2 ** math.ceil(math.log2(w))
    """,
    "rounds to a power of two, not a multiple",
)
bad(
    S,
    E,
    "the last length is the batch's width",
    """
    def padded_width(lengths, multiple):
        w = lengths[-1]
        return w if multiple is None else -(-w // multiple) * multiple
    """,
    "uses the last length, not the longest",
)

E = "token_loss"
ok(
    S,
    E,
    "flatten and cross_entropy",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1))
    """,
)
ok(
    S,
    E,
    "reshape, ignore_index written out",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)
    """,
)
ok(
    S,
    E,
    "classes on dim 1",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.transpose(1, 2), labels)
    """,
)
ok(
    S,
    E,
    "by hand with log_softmax and gather",
    """
    def token_loss(logits, labels):
        keep = labels != -100
        logp = torch.log_softmax(logits, dim=-1)
        picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        return -picked[keep].mean()
    """,
)
ok(
    S,
    E,
    "CrossEntropyLoss module",
    """
    def token_loss(logits, labels):
        return torch.nn.CrossEntropyLoss()(logits.flatten(0, 1), labels.flatten())
    """,
)
ok(
    S,
    E,
    "select the labelled positions first",
    """
    def token_loss(logits, labels):
        mask = labels != -100
        return F.cross_entropy(logits[mask], labels[mask])
    """,
)
ok(
    S,
    E,
    "nll_loss on log_softmax",
    """
    def token_loss(logits, labels):
        return F.nll_loss(F.log_softmax(logits, dim=-1).flatten(0, 1), labels.flatten())
    """,
)
bad(
    S,
    E,
    "cross_entropy directly",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits, labels)
    """,
    "classes must be on dim 1: shapes mismatch (error)",
)
bad(
    S,
    E,
    "log of softmax",
    """
    def token_loss(logits, labels):
        keep = labels != -100
        probs = torch.softmax(logits, dim=-1)
        picked = torch.log(probs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1))
        return -picked[keep].mean()
    """,
    "log(softmax) underflows to -inf for large logits: inf loss",
)
bad(
    S,
    E,
    "softmax by hand",
    """
    def token_loss(logits, labels):
        keep = labels != -100
        e = logits.exp()
        probs = e / e.sum(-1, keepdim=True)
        picked = probs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        return -picked.log()[keep].mean()
    """,
    "exp overflows for large logits: NaN",
)
bad(
    S,
    E,
    "zero the ignored ones and average",
    """
    def token_loss(logits, labels):
        keep = (labels != -100).float()
        per = F.cross_entropy(logits.flatten(0, 1), labels.clamp(min=0).flatten(), reduction="none")
        return (per * keep.flatten()).sum() / keep.numel()
    """,
    "divides by all positions, not the labelled ones",
)
bad(
    S,
    E,
    "-100 is not a class, clamp it",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.flatten(0, 1), labels.clamp(min=0).flatten())
    """,
    "-100 becomes class 0: the unlabelled positions count",
)
bad(
    S,
    E,
    "a number",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.flatten(0, 1), labels.flatten()).item()
    """,
    "returns a Python float: nothing to backward",
)
bad(
    S,
    E,
    "sum",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.flatten(0, 1), labels.flatten(), reduction="sum")
    """,
    "the sum, not the mean",
)
bad(
    S,
    E,
    "padding label is 0",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=0)
    """,
    "ignore_index=0: -100 is out of range and class 0 is dropped",
)
bad(
    S,
    E,
    "mean per sentence, then over the batch",
    """
    def token_loss(logits, labels):
        return torch.stack([F.cross_entropy(l, t) for l, t in zip(logits, labels)]).mean()
    """,
    "mean of per-row means: rows with fewer labels weigh more (NaN for a row without labels)",
)
bad(
    S,
    E,
    "detach for safety",
    """
    def token_loss(logits, labels):
        return F.cross_entropy(logits.flatten(0, 1), labels.flatten()).detach()
    """,
    "detached: backward() cannot reach the logits",
)
bad(
    S,
    E,
    "mean over the classes too",
    """
    def token_loss(logits, labels):
        keep = labels != -100
        return -torch.log_softmax(logits, dim=-1)[keep].mean()
    """,
    "averages the log-probabilities of every class, not the labelled class",
)

E = "align_labels"
ok(
    S,
    E,
    "previous word id, as in the course's token classification",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        previous_word = None
        for word_id in word_ids:
            if word_id is None:
                labels.append(-100)
            elif word_id != previous_word:
                labels.append(word_labels[word_id])
            else:
                labels.append(-100)
            previous_word = word_id
        return labels
    """,
)
ok(
    S,
    E,
    "comprehension that looks at the token before",
    """
    def align_labels(word_ids, word_labels):
        return [
            -100 if w is None or (i > 0 and word_ids[i - 1] == w) else word_labels[w]
            for i, w in enumerate(word_ids)
        ]
    """,
)
ok(
    S,
    E,
    "set of words already labelled",
    """
    def align_labels(word_ids, word_labels):
        done = set()
        out = []
        for w in word_ids:
            if w is not None and w not in done:
                out.append(word_labels[w])
                done.add(w)
            else:
                out.append(-100)
        return out
    """,
)
ok(
    S,
    E,
    "start from -100 everywhere, fill the first pieces",
    """
    def align_labels(word_ids, word_labels):
        labels = [-100] * len(word_ids)
        prev = None
        for i, w in enumerate(word_ids):
            if w is not None and w != prev:
                labels[i] = word_labels[w]
            prev = w
        return labels
    """,
)
ok(
    S,
    E,
    "word_start_labels from above, then the labels",
    """
    def align_labels(word_ids, word_labels):
        starts = word_start_labels(word_ids)
        return [word_labels[w] if s == 1 else -100 for w, s in zip(word_ids, starts)]
    """,
)
bad(
    S,
    E,
    "label every token of the word (like the NER tutorial I saw)",
    """
    def align_labels(word_ids, word_labels):
        return [-100 if w is None else word_labels[w] for w in word_ids]
    """,
    "labels every piece of a word, not only the first",
)
bad(
    S,
    E,
    "forgot the special tokens",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            if w != prev:
                labels.append(word_labels[w])
            else:
                labels.append(-100)
            prev = w
        return labels
    """,
    "indexes word_labels with None for the special tokens",
)
bad(
    S,
    E,
    "0 for the pieces, like the word-start labels",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            if w is None:
                labels.append(-100)
            elif w != prev:
                labels.append(word_labels[w])
            else:
                labels.append(0)
            prev = w
        return labels
    """,
    "0 instead of -100 on continuation pieces",
)
bad(
    S,
    E,
    "skip None with a truthiness test",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            if w and w != prev:
                labels.append(word_labels[w])
            else:
                labels.append(-100)
            prev = w
        return labels
    """,
    "`if w` is false for word 0: the first word never gets its label",
)
bad(
    S,
    E,
    "shift by one for [CLS]",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            if w is None or w == prev:
                labels.append(-100)
            else:
                labels.append(word_labels[w - 1])
            prev = w
        return labels
    """,
    "takes the label of the word before (w - 1): word ids already count from the first word",
)
bad(
    S,
    E,
    "label on the last piece",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        for i, w in enumerate(word_ids):
            nxt = word_ids[i + 1] if i + 1 < len(word_ids) else None
            if w is not None and w != nxt:
                labels.append(word_labels[w])
            else:
                labels.append(-100)
        return labels
    """,
    "puts the label on each word's last piece instead of its first",
)
bad(
    S,
    E,
    "only the real tokens",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            if w is None:
                continue
            labels.append(word_labels[w] if w != prev else -100)
            prev = w
        return labels
    """,
    "drops the special tokens: the list is shorter than word_ids",
)
bad(
    S,
    E,
    "tensor so the collator can use it",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            labels.append(-100 if w is None or w == prev else word_labels[w])
            prev = w
        return torch.tensor(labels)
    """,
    "returns a tensor, the task asks for a list",
)
bad(
    S,
    E,
    "edit word_ids in place to save memory",
    """
    def align_labels(word_ids, word_labels):
        prev = None
        for i in range(len(word_ids)):
            w = word_ids[i]
            word_ids[i] = -100 if w is None or w == prev else word_labels[w]
            prev = w
        return word_ids
    """,
    "overwrites the caller's word_ids",
)
bad(
    S,
    E,
    "first and last are always [CLS] and [SEP]",
    """
    def align_labels(word_ids, word_labels):
        labels = [-100]
        prev = None
        for w in word_ids[1:-1]:
            labels.append(-100 if w == prev else word_labels[w])
            prev = w
        labels.append(-100)
        return labels
    """,
    "assumes special tokens at both ends: wrong without special tokens",
)
bad(
    S,
    E,
    "count words with max, then loop",
    """
    def align_labels(word_ids, word_labels):
        n_words = max(w for w in word_ids if w is not None) + 1
        labels = [-100] * len(word_ids)
        for word in range(n_words):
            labels[word_ids.index(word)] = word_labels[word]
        return labels
    """,
    "max() of no word ids fails on an empty text",
)
bad(
    S,
    E,
    "one label per word back",
    """
    def align_labels(word_ids, word_labels):
        return [word_labels[w] for w in sorted(set(w for w in word_ids if w is not None))]
    """,
    "one label per word present, not one per token",
)
bad(
    S,
    E,
    "None for no label",
    """
    def align_labels(word_ids, word_labels):
        labels = []
        prev = None
        for w in word_ids:
            labels.append(None if w is None or w == prev else word_labels[w])
            prev = w
        return labels
    """,
    "None instead of -100 where there is no label",
)
bad(
    S,
    E,
    "the word-start helper with the labels multiplied in",
    """
    def align_labels(word_ids, word_labels):
        starts = word_start_labels(word_ids)
        return [s * word_labels[w] if w is not None else -100 for w, s in zip(word_ids, starts)]
    """,
    "continuation pieces get 0 (start 0 times the label), not -100",
)
bad(
    S,
    E,
    "labels by token position",
    """
    def align_labels(word_ids, word_labels):
        out = []
        for i, w in enumerate(word_ids):
            if w is None or (i and word_ids[i - 1] == w):
                out.append(-100)
            else:
                out.append(word_labels[i - 1])
        return out
    """,
    "indexes word_labels by token position minus one, not by word id",
)
bad(
    S,
    E,
    "compare with the previous token by index",
    """
    def align_labels(word_ids, word_labels):
        return [
            -100 if w is None or word_ids[i - 1] == w else word_labels[w]
            for i, w in enumerate(word_ids)
        ]
    """,
    "word_ids[i - 1] at i = 0 is the last token: a one-word text without special tokens loses its label",
)

# ---------------------------------------------------------------------------------------------
# Section 11: batches for generation
# ---------------------------------------------------------------------------------------------
S = 11
E = "left_pad"
ok(
    S,
    E,
    "three comprehensions",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + list(s) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        pos = torch.tensor([[0] * (width - len(s)) + list(range(len(s))) for s in sequences], dtype=torch.long)
        return ids, mask, pos
    """,
)
ok(
    S,
    E,
    "positions from the mask, clamped",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(sequences), width), dtype=torch.long)
        for i, s in enumerate(sequences):
            if s:
                ids[i, width - len(s) :] = torch.tensor(s, dtype=torch.long)
                mask[i, width - len(s) :] = 1
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        return ids, mask, pos
    """,
)
ok(
    S,
    E,
    "masked_fill like generate",
    """
    def left_pad(sequences, pad_id):
        width = max(map(len, sequences))
        rows = [[pad_id] * (width - len(s)) + s for s in sequences]
        ids = torch.tensor(rows, dtype=torch.int64)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.int64)
        pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)
        return ids, mask, pos
    """,
)
ok(
    S,
    E,
    "flip a right-padded batch",
    """
    from torch.nn.utils.rnn import pad_sequence


    def left_pad(sequences, pad_id):
        rev = [torch.tensor(s[::-1], dtype=torch.long) for s in sequences]
        ids = pad_sequence(rev, batch_first=True, padding_value=pad_id).flip(1)
        ones = [torch.ones(len(s), dtype=torch.long) for s in sequences]
        mask = pad_sequence(ones, batch_first=True, padding_value=0).flip(1)
        pos = (mask.cumsum(1) - 1).clamp(min=0)
        return ids, mask, pos
    """,
)
bad(
    S,
    E,
    "padding at the end",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)
        mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        return ids, mask, pos
    """,
    "pads on the right",
)
bad(
    S,
    E,
    "mask from the pad id",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = (ids != pad_id).long()
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        return ids, mask, pos
    """,
    "mask from the ids: a real token equal to pad_id (eos) is masked",
)
bad(
    S,
    E,
    "cumsum minus one",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return ids, mask, mask.cumsum(-1) - 1
    """,
    "no clamp: the pads get position -1",
)
bad(
    S,
    E,
    "positions 0..width-1",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        pos = torch.arange(width).expand(len(sequences), width)
        return ids, mask, pos
    """,
    "positions count the pads",
)
bad(
    S,
    E,
    "positions from 1",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return ids, mask, mask.cumsum(-1)
    """,
    "positions start at 1 on the real tokens",
)
bad(
    S,
    E,
    "arange times mask",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return ids, mask, torch.arange(width) * mask
    """,
    "real tokens keep their column number, not 0, 1, 2 from their first token",
)
bad(
    S,
    E,
    "ids minus pads, negative on the pads",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        pads = torch.tensor([[width - len(s)] for s in sequences])
        return ids, mask, torch.arange(width) - pads
    """,
    "the pads get negative positions, not 0",
)
bad(
    S,
    E,
    "ids and mask are what the tokenizer gives",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return ids, mask
    """,
    "returns two tensors, no position ids",
)
bad(
    S,
    E,
    "ids, positions, mask",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return ids, (mask.cumsum(-1) - 1).clamp(min=0), mask
    """,
    "mask and position ids swapped in the tuple",
)
bad(
    S,
    E,
    "a dict for generate",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)
        return {"input_ids": ids, "attention_mask": mask, "position_ids": (mask.cumsum(-1) - 1).clamp(min=0)}
    """,
    "returns a dict, not the three tensors",
)
bad(
    S,
    E,
    "insert the pads in front",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        lengths = [len(s) for s in sequences]
        for s in sequences:
            s[:0] = [pad_id] * (width - len(s))
        ids = torch.tensor(sequences, dtype=torch.long)
        mask = torch.tensor([[0] * (width - n) + [1] * n for n in lengths], dtype=torch.long)
        return ids, mask, (mask.cumsum(-1) - 1).clamp(min=0)
    """,
    "pads the caller's lists in place",
)
bad(
    S,
    E,
    "the tokenizer pads on the left for me",
    """
    def left_pad(sequences, pad_id):
        enc = tokenizer.pad({"input_ids": sequences}, padding_side="left", return_tensors="pt")
        mask = enc["attention_mask"]
        return enc["input_ids"], mask, (mask.cumsum(-1) - 1).clamp(min=0)
    """,
    "pads with the tokenizer's pad id, not the pad_id argument",
)
bad(
    S,
    E,
    "zeros for the mask",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)
        mask = torch.zeros(len(sequences), width)
        for i, s in enumerate(sequences):
            mask[i, width - len(s) :] = 1
        pos = (mask.cumsum(-1) - 1).clamp(min=0)
        return ids, mask, pos
    """,
    "torch.zeros is float32: mask and positions are float",
)
bad(
    S,
    E,
    "no dtype needed",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences])
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences])
        pos = torch.tensor([[0] * (width - len(s)) + list(range(len(s))) for s in sequences])
        return ids, mask, pos
    """,
    "no dtype: a batch of empty sequences gives float32 tensors",
)
bad(
    S,
    E,
    "lists",
    """
    def left_pad(sequences, pad_id):
        width = max(len(s) for s in sequences)
        ids = [[pad_id] * (width - len(s)) + s for s in sequences]
        mask = [[0] * (width - len(s)) + [1] * len(s) for s in sequences]
        pos = [[0] * (width - len(s)) + list(range(len(s))) for s in sequences]
        return ids, mask, pos
    """,
    "lists, not tensors",
)

E = "batch"
ok(
    S,
    E,
    "padding_side in the call",
    'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")',
)
ok(
    S,
    E,
    "set the side on the tokenizer",
    """
    tokenizer.padding_side = "left"
    batch = tokenizer(prompts, padding=True, return_tensors="pt")
    """,
)
ok(
    S,
    E,
    "longest, on the model's device",
    'batch = tokenizer(prompts, padding="longest", padding_side="left", return_tensors="pt").to(model.device)',
)
ok(
    S,
    E,
    "truncation too, prompts are short",
    'batch = tokenizer(prompts, padding=True, truncation=True, padding_side="left", return_tensors="pt")',
)
bad(
    S,
    E,
    "padding=True",
    'batch = tokenizer(prompts, padding=True, return_tensors="pt")',
    "the tokenizer pads on the right by default",
)
bad(
    S,
    E,
    "right",
    'batch = tokenizer(prompts, padding=True, padding_side="right", return_tensors="pt")',
    "padded on the right",
)
bad(
    S,
    E,
    "max_length padding",
    'batch = tokenizer(prompts, padding="max_length", padding_side="left", return_tensors="pt")',
    "padded to the model's maximum, not the longest prompt",
)
bad(
    S,
    E,
    "lists",
    'batch = tokenizer(prompts, padding=True, padding_side="left")',
    "lists, not tensors",
)
bad(
    S,
    E,
    "only the ids",
    'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")["input_ids"]',
    "only input_ids: no mask",
)
bad(
    S,
    E,
    "my left_pad",
    'batch = left_pad(tokenizer(prompts)["input_ids"], tokenizer.pad_token_id)',
    "a tuple of three tensors, not the tokenizer's output",
)
bad(
    S,
    E,
    "sorted prompts pad less",
    'batch = tokenizer(sorted(prompts, key=len), padding=True, padding_side="left", return_tensors="pt")',
    "the prompts in another order",
)
bad(
    S,
    E,
    "no mask needed with left padding",
    'batch = tokenizer(prompts, padding=True, padding_side="left", return_attention_mask=False, return_tensors="pt")',
    "no attention mask",
)
bad(
    S,
    E,
    "a real pad token",
    """
    tokenizer.add_special_tokens({"pad_token": "[PAD]"})
    batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")
    """,
    "a new [PAD] id the model's embedding has no row for",
)
bad(
    S,
    E,
    "left, as a numpy batch",
    'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="np")',
    "NumPy arrays",
)

E = "next_ids"
ok(
    S,
    E,
    "positions from the mask",
    """
    position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        logits = model(**left, position_ids=position_ids).logits
    next_ids = logits[:, -1].argmax(dim=-1)
    """,
)
ok(
    S,
    E,
    "masked_fill, every argument by name",
    """
    mask = left["attention_mask"]
    pos = (mask.long().cumsum(-1) - 1).masked_fill(mask == 0, 0)
    out = model(input_ids=left["input_ids"], attention_mask=mask, position_ids=pos)
    next_ids = out.logits[:, -1, :].argmax(-1)
    """,
)
ok(
    S,
    E,
    "my left_pad's positions",
    """
    _, _, pos = left_pad([tokenizer(p)["input_ids"] for p in prompts], tokenizer.pad_token_id)
    with torch.no_grad():
        next_ids = model(**left, position_ids=pos.to(model.device)).logits[:, -1].argmax(dim=-1)
    """,
)
ok(
    S,
    E,
    "positions from the ids (no eos in these prompts)",
    """
    real = (left["input_ids"] != tokenizer.pad_token_id).long()
    pos = (real.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        next_ids = model(**left, position_ids=pos).logits[:, -1].argmax(-1)
    """,
)
bad(
    S,
    E,
    "the mask is enough",
    """
    with torch.inference_mode():
        next_ids = model(**left).logits[:, -1].argmax(dim=-1)
    """,
    "no position ids: the short prompts sit at later positions",
)
bad(
    S,
    E,
    "positions only",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(left["input_ids"], position_ids=pos).logits[:, -1].argmax(dim=-1)
    """,
    "no attention mask: the real tokens attend to the pads",
)
bad(
    S,
    E,
    "first position",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, 0].argmax(dim=-1)
    """,
    "reads the first position, not the last",
)
bad(
    S,
    E,
    "the first prompt",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[0, -1].argmax()
    """,
    "only the first row: a 0-d tensor",
)
bad(
    S,
    E,
    "positions from 1",
    """
    pos = left["attention_mask"].cumsum(-1)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, -1].argmax(dim=-1)
    """,
    "positions start at 1",
)
bad(
    S,
    E,
    "the right-padded batch",
    """
    pos = (right["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**right, position_ids=pos).logits[:, -1].argmax(dim=-1)
    """,
    "the right-padded batch: the last column is a pad for the short prompts",
)
bad(
    S,
    E,
    "a list of ids",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, -1].argmax(dim=-1).tolist()
    """,
    "a list, not a tensor",
)
bad(
    S,
    E,
    "max gives the best token",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, -1].max(dim=-1)
    """,
    "a (values, indices) pair, not the ids",
)
bad(
    S,
    E,
    "the highest score",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, -1].max(dim=-1).values
    """,
    "the scores, not the token ids",
)
bad(
    S,
    E,
    "each prompt alone, stacked",
    """
    with torch.inference_mode():
        next_ids = torch.stack([
            model(**tokenizer(p, return_tensors="pt").to(model.device)).logits[0, -1].argmax()
            for p in prompts
        ])
    """,
    "four calls, one per prompt, not one batched call",
)
bad(
    S,
    E,
    "arange positions",
    """
    pos = torch.arange(left["input_ids"].shape[1]).expand_as(left["input_ids"])
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, -1].argmax(dim=-1)
    """,
    "positions count the pads (the model's default)",
)
bad(
    S,
    E,
    "probabilities then argmax over the batch",
    """
    pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)
    with torch.inference_mode():
        next_ids = model(**left, position_ids=pos).logits[:, -1].argmax(dim=0)
    """,
    "argmax over the rows, not the vocabulary",
)

E = "generated"
ok(
    S,
    E,
    "generate greedily",
    "generated = model.generate(**left, max_new_tokens=8, do_sample=False)",
)
ok(
    S,
    E,
    "the pad id said explicitly",
    "generated = model.generate(**left, max_new_tokens=8, do_sample=False, pad_token_id=tokenizer.pad_token_id)",
)
ok(
    S,
    E,
    "by name",
    """
    generated = model.generate(input_ids=left["input_ids"], attention_mask=left["attention_mask"],
                               max_new_tokens=8, do_sample=False)
    """,
)
ok(
    S,
    E,
    "num_beams=1 is greedy",
    "generated = model.generate(**left, max_new_tokens=8, do_sample=False, num_beams=1)",
)
ok(
    S,
    E,
    "max_length = width + 8",
    "generated = model.generate(**left, max_length=left['input_ids'].shape[1] + 8, do_sample=False)",
)
ok(
    S,
    E,
    "my own left-padded batch",
    """
    mine = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt").to(model.device)
    generated = model.generate(**mine, max_new_tokens=8, do_sample=False)
    """,
)
bad(
    S,
    E,
    "max_length 8",
    "generated = model.generate(**left, max_length=8, do_sample=False)",
    "max_length counts the prompt: only 3 new tokens",
)
bad(
    S,
    E,
    "9 to be sure to get 8",
    "generated = model.generate(**left, max_new_tokens=9, do_sample=False)",
    "9 new tokens",
)
bad(
    S,
    E,
    "the ids",
    'generated = model.generate(left["input_ids"], max_new_tokens=8, do_sample=False)',
    "no attention mask",
)
bad(
    S,
    E,
    "sampling",
    "generated = model.generate(**left, max_new_tokens=8, do_sample=True)",
    "sampling, not greedy",
)
bad(
    S,
    E,
    "the right-padded batch",
    "generated = model.generate(**right, max_new_tokens=8, do_sample=False)",
    "right padding: new tokens follow the pads",
)
bad(
    S,
    E,
    "one prompt at a time, then padded",
    """
    outs = [model.generate(**tokenizer(p, return_tensors="pt").to(model.device), max_new_tokens=8,
                           do_sample=False)[0] for p in prompts]
    width = max(len(o) for o in outs)
    generated = torch.stack([torch.cat([torch.full((width - len(o),), tokenizer.pad_token_id), o])
                             for o in outs])
    """,
    "four calls, not one batched call",
)
bad(
    S,
    E,
    "only the new tokens",
    'generated = model.generate(**left, max_new_tokens=8, do_sample=False)[:, left["input_ids"].shape[1]:]',
    "cuts off the prompts; the task asks for generate's output",
)
bad(
    S,
    E,
    "beam search is better",
    "generated = model.generate(**left, max_new_tokens=8, num_beams=4, do_sample=False)",
    "beam search, not greedy",
)
bad(
    S,
    E,
    "lists",
    "generated = model.generate(**left, max_new_tokens=8, do_sample=False).tolist()",
    "a list, not a tensor",
)
bad(
    S,
    E,
    "max_length = width + 7",
    "generated = model.generate(**left, max_length=left['input_ids'].shape[1] + 7, do_sample=False)",
    "off by one: 7 new tokens",
)
bad(
    S,
    E,
    "always 8 new tokens",
    "generated = model.generate(**left, min_new_tokens=8, max_new_tokens=8, do_sample=False)",
    "min_new_tokens suppresses the end-of-text token: a row that should stop goes on",
)
bad(
    S,
    E,
    "temperature 0 for greedy",
    "generated = model.generate(**left, max_new_tokens=8, do_sample=True, top_k=50, temperature=0.7)",
    "sampling with a temperature, not greedy",
)

E = "continuations"
ok(
    S,
    E,
    "cut at the batch width",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [tokenizer.decode(row[width:], skip_special_tokens=True) for row in output]
    """,
)
ok(
    S,
    E,
    "batch_decode",
    """
    def continuations(output, batch):
        return tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True)
    """,
)
ok(
    S,
    E,
    "len of the first row",
    """
    def continuations(output, batch):
        n = len(batch["input_ids"][0])
        return [tokenizer.decode(output[i, n:], skip_special_tokens=True) for i in range(len(output))]
    """,
)
ok(
    S,
    E,
    "removeprefix of the decoded prompt",
    """
    def continuations(output, batch):
        texts = []
        for row, prompt in zip(output, batch["input_ids"]):
            full = tokenizer.decode(row, skip_special_tokens=True)
            texts.append(full.removeprefix(tokenizer.decode(prompt, skip_special_tokens=True)))
        return texts
    """,
)
ok(
    S,
    E,
    "decode with specials and stop at the first eos",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [tokenizer.decode(row[width:]).split(tokenizer.eos_token)[0] for row in output]
    """,
)
bad(
    S,
    E,
    "replace the prompt with nothing",
    """
    def continuations(output, batch):
        texts = []
        for row, prompt in zip(output, batch["input_ids"]):
            full = tokenizer.decode(row, skip_special_tokens=True)
            texts.append(full.replace(tokenizer.decode(prompt, skip_special_tokens=True), ""))
        return texts
    """,
    "str.replace also deletes the prompt's text where it recurs inside the continuation",
)
bad(
    S,
    E,
    "lstrip the prompt",
    """
    def continuations(output, batch):
        texts = []
        for row, prompt in zip(output, batch["input_ids"]):
            full = tokenizer.decode(row, skip_special_tokens=True)
            texts.append(full.lstrip(tokenizer.decode(prompt, skip_special_tokens=True)))
        return texts
    """,
    "str.lstrip strips a set of characters, eating the continuation's first letters too",
)
bad(
    S,
    E,
    "each row's prompt length from the mask",
    """
    def continuations(output, batch):
        lengths = batch["attention_mask"].sum(dim=1)
        return [tokenizer.decode(row[n:], skip_special_tokens=True) for row, n in zip(output, lengths)]
    """,
    "cuts at the prompt's own length, but left padding puts every prompt's end at the batch width",
)
bad(
    S,
    E,
    "decode without skipping",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [tokenizer.decode(row[width:]) for row in output]
    """,
    "keeps the <|endoftext|> pads in the text",
)
bad(
    S,
    E,
    "decode everything",
    """
    def continuations(output, batch):
        return tokenizer.batch_decode(output, skip_special_tokens=True)
    """,
    "the prompts are included",
)
bad(
    S,
    E,
    "from the last prompt token",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [tokenizer.decode(row[width - 1:], skip_special_tokens=True) for row in output]
    """,
    "off by one: includes the prompt's last token",
)
bad(
    S,
    E,
    "skip the first new token, it is a space",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [tokenizer.decode(row[width + 1:], skip_special_tokens=True) for row in output]
    """,
    "off by one: drops the first new token",
)
bad(
    S,
    E,
    "strip the leading space",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [tokenizer.decode(row[width:], skip_special_tokens=True).strip() for row in output]
    """,
    "strips the leading space that decode gives",
)
bad(
    S,
    E,
    "the ids are the continuation",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return [row[width:].tolist() for row in output]
    """,
    "token ids, not strings",
)
bad(
    S,
    E,
    "the width of left",
    """
    def continuations(output, batch):
        width = left["input_ids"].shape[1]
        return [tokenizer.decode(row[width:], skip_special_tokens=True) for row in output]
    """,
    "uses the notebook's `left`, not its `batch` argument",
)
bad(
    S,
    E,
    "prompts were 5 tokens",
    """
    def continuations(output, batch):
        return [tokenizer.decode(row[5:], skip_special_tokens=True) for row in output]
    """,
    "hard-coded width of the notebook's batch",
)
bad(
    S,
    E,
    "cut the prompt's characters",
    """
    def continuations(output, batch):
        texts = tokenizer.batch_decode(output, skip_special_tokens=True)
        return [t[len(p):] for t, p in zip(texts, prompts)]
    """,
    "uses the notebook's prompts, not the prompts of `batch`",
)
bad(
    S,
    E,
    "a generator is lazy and fast",
    """
    def continuations(output, batch):
        width = batch["input_ids"].shape[1]
        return (tokenizer.decode(row[width:], skip_special_tokens=True) for row in output)
    """,
    "returns a generator, not a list",
)
bad(
    S,
    E,
    "blank out the prompts, then decode",
    """
    def continuations(output, batch):
        output[:, : batch["input_ids"].shape[1]] = tokenizer.pad_token_id
        return tokenizer.batch_decode(output, skip_special_tokens=True)
    """,
    "overwrites the caller's output tensor",
)
bad(
    S,
    E,
    "split on the prompt",
    """
    def continuations(output, batch):
        texts = []
        for row, prompt in zip(output, batch["input_ids"]):
            full = tokenizer.decode(row, skip_special_tokens=True)
            texts.append(full.split(tokenizer.decode(prompt, skip_special_tokens=True))[-1])
        return texts
    """,
    "split()[-1] keeps only what follows the prompt's last recurrence in the continuation",
)

E = "causal_labels"
ok(
    S,
    E,
    "masked_fill where the mask is 0",
    """
    def causal_labels(input_ids, attention_mask):
        return input_ids.masked_fill(attention_mask == 0, -100)
    """,
)
ok(
    S,
    E,
    "torch.where with a full_like",
    """
    def causal_labels(input_ids, attention_mask):
        return torch.where(attention_mask.bool(), input_ids, torch.full_like(input_ids, -100))
    """,
)
ok(
    S,
    E,
    "clone, then assign through the mask",
    """
    def causal_labels(input_ids, attention_mask):
        labels = input_ids.clone().long()
        labels[attention_mask == 0] = -100
        return labels
    """,
)
bad(
    S,
    E,
    "what the collator does: the pad id",
    """
    def causal_labels(input_ids, attention_mask):
        labels = input_ids.clone()
        labels[labels == tokenizer.pad_token_id] = -100
        return labels
    """,
    "-100 wherever the id is the pad id: the real <|endoftext|>s lose their labels too",
)
bad(
    S,
    E,
    "in place, it's only labels",
    """
    def causal_labels(input_ids, attention_mask):
        input_ids[attention_mask == 0] = -100
        return input_ids
    """,
    "writes -100 into `input_ids` itself: the caller's ids are changed",
)
bad(
    S,
    E,
    "labels = input_ids, then edit",
    """
    def causal_labels(input_ids, attention_mask):
        labels = input_ids
        labels.masked_fill_(attention_mask == 0, -100)
        return labels
    """,
    "`labels` is the same tensor as `input_ids`: masked_fill_ changes the caller's ids",
)
bad(
    S,
    E,
    "shifted by one for the next token",
    """
    def causal_labels(input_ids, attention_mask):
        labels = input_ids.masked_fill(attention_mask == 0, -100)
        return labels[:, 1:]
    """,
    "shifts the labels itself (the model shifts them): shape (batch, width - 1)",
)
bad(
    S,
    E,
    "-100 where the mask is 1",
    """
    def causal_labels(input_ids, attention_mask):
        return input_ids.masked_fill(attention_mask == 1, -100)
    """,
    "the mask read the wrong way round: -100 on the real tokens, the pads keep their ids",
)
bad(
    S,
    E,
    "torch.where with -100.0",
    """
    def causal_labels(input_ids, attention_mask):
        return torch.where(attention_mask == 1, input_ids, -100.0)
    """,
    "a float scalar promotes the result to float32, not int64",
)
bad(
    S,
    E,
    "pads are at the end of each row",
    """
    def causal_labels(input_ids, attention_mask):
        labels = input_ids.clone()
        for row, length in enumerate(attention_mask.sum(dim=1).tolist()):
            labels[row, length:] = -100
        return labels
    """,
    "assumes right padding: with left padding it masks real tokens at the end and keeps the pads",
)
bad(
    S,
    E,
    "0 is ignored, isn't it",
    """
    def causal_labels(input_ids, attention_mask):
        return input_ids * attention_mask
    """,
    "gives 0 (a real token id) on the pads, not -100",
)
bad(
    S,
    E,
    "lists, row by row",
    """
    def causal_labels(input_ids, attention_mask):
        return [[i if m else -100 for i, m in zip(ids, mask)]
                for ids, mask in zip(input_ids.tolist(), attention_mask.tolist())]
    """,
    "returns a list of lists, not a tensor",
)
bad(
    S,
    E,
    "a full tensor of -100, then fill the real ones",
    """
    def causal_labels(input_ids, attention_mask):
        labels = torch.full(input_ids.shape, -100)
        real = attention_mask == 1
        labels[real] = input_ids[real]
        return labels
    """,
    "torch.full without device=: the labels are made on the CPU, and a batch on a GPU fails or comes back on the CPU",
    gpu_only=True,
)

# ---------------------------------------------------------------------------------------------
# Section 12: packing sequences
# ---------------------------------------------------------------------------------------------
S = 12
E = "pack"
ok(
    S,
    E,
    "three lists, skip the empty ones, int64 tensors",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            if len(seq) == 0:
                continue
            ids += list(seq)
            positions += list(range(len(seq)))
            labels += [-100] + list(seq[1:])
        return {key: torch.tensor([values], dtype=torch.int64)
                for key, values in (("input_ids", ids), ("position_ids", positions), ("labels", labels))}
    """,
)
ok(
    S,
    E,
    "torch.cat of per-text tensors",
    """
    def pack(sequences):
        texts = [torch.tensor(s, dtype=torch.long) for s in sequences if len(s) > 0]
        if not texts:
            empty = torch.zeros((1, 0), dtype=torch.long)
            return {"input_ids": empty, "position_ids": empty.clone(), "labels": empty.clone()}
        ids = torch.cat(texts)
        positions = torch.cat([torch.arange(len(t)) for t in texts])
        labels = ids.clone()
        labels[positions == 0] = -100
        return {"input_ids": ids[None], "position_ids": positions[None], "labels": labels[None]}
    """,
)
ok(
    S,
    E,
    "itertools.chain",
    """
    from itertools import chain


    def pack(sequences):
        kept = [list(s) for s in sequences if s]
        ids = list(chain.from_iterable(kept))
        positions = list(chain.from_iterable(range(len(s)) for s in kept))
        labels = list(chain.from_iterable([-100] + s[1:] for s in kept))
        as_row = lambda values: torch.tensor(values, dtype=torch.long).reshape(1, -1)
        return {"input_ids": as_row(ids), "position_ids": as_row(positions), "labels": as_row(labels)}
    """,
)
bad(
    S,
    E,
    "forgot to skip the empty ones",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            ids += seq
            positions += range(len(seq))
            labels += [-100] + seq[1:]
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
    "an empty text adds a -100 label with no token: labels longer than the ids",
)
bad(
    S,
    E,
    "one position count for the row",
    """
    def pack(sequences):
        ids, labels = [], []
        for seq in sequences:
            if seq:
                ids += seq
                labels += [-100] + seq[1:]
        return {"input_ids": torch.tensor([ids], dtype=torch.long),
                "position_ids": torch.arange(len(ids)).unsqueeze(0),
                "labels": torch.tensor([labels], dtype=torch.long)}
    """,
    "position ids run on over the row instead of restarting at 0 for each text",
)
bad(
    S,
    E,
    "labels are the ids",
    """
    def pack(sequences):
        kept = [s for s in sequences if s]
        ids = [t for s in kept for t in s]
        positions = [p for s in kept for p in range(len(s))]
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([ids])}
    """,
    "labels copy the ids without -100 at each text's first position",
)
bad(
    S,
    E,
    "-100 at the end of each text, where the next one starts",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            if seq:
                ids += seq
                positions += range(len(seq))
                labels += seq[:-1] + [-100]
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
    "-100 at each text's last position instead of its first",
)
bad(
    S,
    E,
    "a flat row",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            if seq:
                ids += seq
                positions += range(len(seq))
                labels += [-100] + seq[1:]
        return {"input_ids": torch.tensor(ids), "position_ids": torch.tensor(positions),
                "labels": torch.tensor(labels)}
    """,
    "no batch dimension: shape (total,), not (1, total)",
)
bad(
    S,
    E,
    "labels from the text itself",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            if not seq:
                continue
            label = seq
            ids += seq
            positions += range(len(seq))
            label[0] = -100
            labels += label
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
    "`label` is the caller's list: writing -100 into it changes `sequences` (and its first id)",
)
bad(
    S,
    E,
    "drop the empty ones from the list first",
    """
    def pack(sequences):
        sequences[:] = [s for s in sequences if len(s) > 0]
        ids = sum(sequences, [])
        positions = sum([list(range(len(s))) for s in sequences], [])
        labels = sum([[-100] + s[1:] for s in sequences], [])
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
    "removes the empty texts from the caller's list (sequences[:] = ...) instead of skipping them",
)
bad(
    S,
    E,
    "a mask of ones, as the model likes",
    """
    def pack(sequences):
        kept = [s for s in sequences if s]
        ids = torch.tensor([[t for s in kept for t in s]], dtype=torch.long)
        positions = torch.tensor([[p for s in kept for p in range(len(s))]], dtype=torch.long)
        labels = torch.tensor([[l for s in kept for l in [-100] + s[1:]]], dtype=torch.long)
        return {"input_ids": ids, "position_ids": positions, "labels": labels,
                "attention_mask": torch.ones_like(ids)}
    """,
    "adds an attention_mask the collator does not return (and that breaks packing in the model)",
)
ok(
    S,
    E,
    "plain torch.tensor of the lists",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            if seq:
                ids.extend(seq)
                positions.extend(range(len(seq)))
                labels.extend([-100] + seq[1:])
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
)
bad(
    S,
    E,
    "an end-of-text between the texts",
    """
    def pack(sequences):
        ids, positions, labels = [], [], []
        for seq in sequences:
            if seq:
                if ids:
                    ids.append(tokenizer.eos_token_id)
                    positions.append(0)
                    labels.append(-100)
                ids += seq
                positions += range(len(seq))
                labels += [-100] + seq[1:]
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
    "inserts an <|endoftext|> separator token between texts: the collator adds no token",
)
bad(
    S,
    E,
    "positions from 1",
    """
    def pack(sequences):
        kept = [s for s in sequences if s]
        ids = [t for s in kept for t in s]
        positions = [p for s in kept for p in range(1, len(s) + 1)]
        labels = [l for s in kept for l in [-100] + s[1:]]
        return {"input_ids": torch.tensor([ids]), "position_ids": torch.tensor([positions]),
                "labels": torch.tensor([labels])}
    """,
    "position ids start at 1, not 0",
)

E = "unpack"
ok(
    S,
    E,
    "starts where the position is 0, ends at the next start",
    """
    def unpack(logits, position_ids):
        starts = (position_ids[0] == 0).nonzero().flatten().tolist()
        ends = starts[1:] + [position_ids.shape[1]]
        return [logits[0, start:end] for start, end in zip(starts, ends)]
    """,
)
ok(
    S,
    E,
    "lengths from unique_consecutive, then torch.split",
    """
    def unpack(logits, position_ids):
        text_of = (position_ids[0] == 0).cumsum(dim=0)
        lengths = torch.unique_consecutive(text_of, return_counts=True)[1]
        return list(torch.split(logits[0], lengths.tolist()))
    """,
)
ok(
    S,
    E,
    "a cut wherever the position is not the last plus one",
    """
    def unpack(logits, position_ids):
        pos = position_ids[0].tolist()
        cuts = [0] + [i for i in range(1, len(pos)) if pos[i] != pos[i - 1] + 1] + [len(pos)]
        return [logits[0, a:b] for a, b in zip(cuts, cuts[1:])]
    """,
)
bad(
    S,
    E,
    "append when the next text starts",
    """
    def unpack(logits, position_ids):
        pieces, start = [], 0
        for i in range(1, position_ids.shape[1]):
            if position_ids[0, i] == 0:
                pieces.append(logits[0, start:i])
                start = i
        return pieces
    """,
    "the last text is never appended (no position 0 follows it)",
)
bad(
    S,
    E,
    "the lengths we know",
    """
    def unpack(logits, position_ids):
        return list(torch.split(logits[0], lengths))
    """,
    "uses the notebook's `lengths` of its three texts, not the position ids",
)
bad(
    S,
    E,
    "kept the batch dimension",
    """
    def unpack(logits, position_ids):
        starts = (position_ids[0] == 0).nonzero().flatten().tolist() + [position_ids.shape[1]]
        return [logits[:, a:b] for a, b in zip(starts, starts[1:])]
    """,
    "slices logits[:, a:b]: each piece has shape (1, length, vocabulary), not (length, vocabulary)",
)
bad(
    S,
    E,
    "end included",
    """
    def unpack(logits, position_ids):
        starts = (position_ids[0] == 0).nonzero().flatten().tolist()
        ends = [s - 1 for s in starts[1:]] + [position_ids.shape[1] - 1]
        return [logits[0, a:b + 1 + 1] for a, b in zip(starts, ends)]
    """,
    "off by one: each piece takes one position too many (the next text's first token)",
)
bad(
    S,
    E,
    "a new text where the position goes down",
    """
    def unpack(logits, position_ids):
        pos = position_ids[0]
        cuts = [0] + [i for i in range(1, len(pos)) if pos[i] < pos[i - 1]] + [len(pos)]
        return [logits[0, a:b] for a, b in zip(cuts, cuts[1:])]
    """,
    "a one-token text (position 0 after position 0) is not cut from the next text",
)
bad(
    S,
    E,
    "sliced the first axis",
    """
    def unpack(logits, position_ids):
        starts = (position_ids[0] == 0).nonzero().flatten().tolist() + [position_ids.shape[1]]
        return [logits[a:b] for a, b in zip(starts, starts[1:])]
    """,
    "slices dim 0 (the batch of one), not the row: pieces are empty or the whole row",
)
bad(
    S,
    E,
    "one tensor, padded",
    """
    def unpack(logits, position_ids):
        starts = (position_ids[0] == 0).nonzero().flatten().tolist() + [position_ids.shape[1]]
        pieces = [logits[0, a:b] for a, b in zip(starts, starts[1:])]
        return torch.nn.utils.rnn.pad_sequence(pieces, batch_first=True)
    """,
    "returns one zero-padded tensor (texts, longest, vocabulary), not a list of each text's slice",
)
bad(
    S,
    E,
    "nonzero of the mask, flattened",
    """
    def unpack(logits, position_ids):
        starts = (position_ids == 0).nonzero().flatten().tolist()
        ends = starts[1:] + [position_ids.shape[1]]
        return [logits[0, a:b] for a, b in zip(starts, ends)]
    """,
    "nonzero() of the 2-D (1, total) tensor gives (row, column) pairs: flattened, the row's 0s are taken for starts",
)

E = "packed_logits"
ok(
    S,
    E,
    "ids and positions moved, no cache",
    """
    def packed_logits(batch):
        ids = batch["input_ids"].to(model.device)
        positions = batch["position_ids"].to(model.device)
        return model(input_ids=ids, position_ids=positions, use_cache=False).logits
    """,
)
ok(
    S,
    E,
    "the whole batch moved, labels too",
    """
    def packed_logits(batch):
        inputs = {key: value.to(model.device) for key, value in batch.items()}
        return model(**inputs, use_cache=False).logits
    """,
)
ok(
    S,
    E,
    "no_grad and the output's first item",
    """
    def packed_logits(batch):
        with torch.no_grad():
            out = model(
                input_ids=batch["input_ids"].to(model.device),
                position_ids=batch["position_ids"].to(model.device),
                use_cache=False,
                return_dict=True,
            )
        return out["logits"]
    """,
)
bad(
    S,
    E,
    "ids and positions, defaults otherwise",
    """
    def packed_logits(batch):
        return model(input_ids=batch["input_ids"].to(model.device),
                     position_ids=batch["position_ids"].to(model.device)).logits
    """,
    "the cache is left on (config use_cache=True): the texts attend to each other",
)
bad(
    S,
    E,
    "a mask of ones to be safe",
    """
    def packed_logits(batch):
        ids = batch["input_ids"].to(model.device)
        return model(input_ids=ids, position_ids=batch["position_ids"].to(model.device),
                     attention_mask=torch.ones_like(ids), use_cache=False).logits
    """,
    "passes an attention mask: the packed texts are no longer looked for and attend to each other",
)
bad(
    S,
    E,
    "the ids are all it needs",
    """
    def packed_logits(batch):
        return model(input_ids=batch["input_ids"].to(model.device), use_cache=False).logits
    """,
    "no position ids: one long text, every text after the first attends to the ones before",
)
bad(
    S,
    E,
    "past_key_values=None means no cache",
    """
    def packed_logits(batch):
        return model(input_ids=batch["input_ids"].to(model.device),
                     position_ids=batch["position_ids"].to(model.device),
                     past_key_values=None).logits
    """,
    "past_key_values=None does not turn the cache off (use_cache stays True): texts attend to each other",
)
bad(
    S,
    E,
    "labels are not needed: popped",
    """
    def packed_logits(batch):
        batch.pop("labels", None)
        inputs = {key: value.to(model.device) for key, value in batch.items()}
        return model(**inputs, use_cache=False).logits
    """,
    "pops `labels` from the caller's batch",
)
bad(
    S,
    E,
    "each text alone, then concatenated",
    """
    def packed_logits(batch):
        ids, pos = batch["input_ids"][0], batch["position_ids"][0]
        starts = (pos == 0).nonzero().flatten().tolist() + [len(pos)]
        pieces = [model(input_ids=ids[a:b][None].to(model.device)).logits[0] for a, b in zip(starts, starts[1:])]
        return torch.cat(pieces)[None]
    """,
    "calls the model once per text, not once on the packed row",
)
bad(
    S,
    E,
    "returned the output",
    """
    def packed_logits(batch):
        return model(input_ids=batch["input_ids"].to(model.device),
                     position_ids=batch["position_ids"].to(model.device), use_cache=False)
    """,
    "returns the model's output object, not its logits",
)
bad(
    S,
    E,
    "logits of the one row",
    """
    def packed_logits(batch):
        out = model(input_ids=batch["input_ids"].to(model.device),
                    position_ids=batch["position_ids"].to(model.device), use_cache=False)
        return out.logits[0]
    """,
    "drops the batch dimension: shape (total, vocabulary), not (1, total, vocabulary)",
)
ok(
    S,
    E,
    "cache off in the config",
    """
    def packed_logits(batch):
        model.config.use_cache = False
        return model(input_ids=batch["input_ids"].to(model.device),
                     position_ids=batch["position_ids"].to(model.device)).logits
    """,
)
bad(
    S,
    E,
    "the batch is already where it needs to be",
    """
    def packed_logits(batch):
        return model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
    """,
    "the tensors are not moved to model.device: fails with the model on a GPU",
    gpu_only=True,
)

E = "train_packed"
_PACKED_RIGHT = """
def train_packed(model, optimizer, batches):
    model.train()
    losses = []
    for batch in batches:
        inputs = {key: value.to(model.device) for key, value in batch.items()}
        loss = model(**inputs, use_cache=False).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses
"""
ok(S, E, "section 10's loop with use_cache=False", _PACKED_RIGHT)
ok(
    S,
    E,
    "named arguments, zero_grad first",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            optimizer.zero_grad()
            out = model(
                input_ids=batch["input_ids"].to(model.device),
                position_ids=batch["position_ids"].to(model.device),
                labels=batch["labels"].to(model.device),
                use_cache=False,
            )
            out.loss.backward()
            optimizer.step()
            losses.append(float(out.loss))
        return losses
    """,
)
ok(
    S,
    E,
    "the cache off in the config, as the Trainer does",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        model.config.use_cache = False
        losses = []
        for batch in batches:
            loss = model(**{k: v.to(model.device) for k, v in batch.items()}).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.detach().item())
        return losses
    """,
)
bad(
    S,
    E,
    "section 10's train_steps as it was",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            loss = model(**{k: v.to(model.device) for k, v in batch.items()}).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses
    """,
    "the cache is left on: the packed texts attend to each other (a different loss and gradients)",
)
bad(
    S,
    E,
    "batch.to(device)",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            batch = batch.to(model.device)
            loss = model(**batch, use_cache=False).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses
    """,
    "a plain dict has no .to(): AttributeError",
)
bad(
    S,
    E,
    "forgot model.train()",
    _PACKED_RIGHT.replace("    model.train()\n", ""),
    "never puts the model in training mode: dropout stays off",
)
bad(
    S,
    E,
    "kept the loss tensors",
    _PACKED_RIGHT.replace("losses.append(loss.item())", "losses.append(loss)"),
    "returns loss tensors (with their graphs), not Python floats",
)
bad(
    S,
    E,
    "no zero_grad",
    _PACKED_RIGHT.replace("        optimizer.zero_grad()\n", ""),
    "never zeroes the gradients: they accumulate from one batch to the next",
)
bad(
    S,
    E,
    "zero_grad before step",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            loss = model(**{k: v.to(model.device) for k, v in batch.items()}, use_cache=False).loss
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()
            losses.append(loss.item())
        return losses
    """,
    "zero_grad between backward and step: every step uses zero gradients, nothing is learned",
)
bad(
    S,
    E,
    "seeded for reproducibility",
    _PACKED_RIGHT.replace("    model.train()\n", "    torch.manual_seed(0)\n    model.train()\n"),
    "seeds inside the function (the task says not to): the dropout draws are not the caller's",
)
bad(
    S,
    E,
    "the mask of ones from section 10",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            inputs = {k: v.to(model.device) for k, v in batch.items()}
            inputs["attention_mask"] = torch.ones_like(inputs["input_ids"])
            loss = model(**inputs, use_cache=False).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses
    """,
    "adds an attention mask: the texts are no longer kept apart",
)
bad(
    S,
    E,
    "the loss by hand from the logits",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            batch = {k: v.to(model.device) for k, v in batch.items()}
            logits = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits
            loss = torch.nn.functional.cross_entropy(
                logits.view(-1, logits.shape[-1]), batch["labels"].view(-1), ignore_index=-100
            )
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses
    """,
    "the labels are not shifted: each position is scored against its own token, not the next one",
)
bad(
    S,
    E,
    "one number for the run",
    _PACKED_RIGHT.replace("    return losses\n", "    return sum(losses) / len(losses)\n"),
    "returns the mean loss, not the list of losses",
)
bad(
    S,
    E,
    "moved in place in the batch",
    """
    def train_packed(model, optimizer, batches):
        model.train()
        losses = []
        for batch in batches:
            for key in batch:
                batch[key] = batch[key].to(model.device)
            loss = model(**batch, use_cache=False).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(loss.item())
        return losses
    """,
    "writes the moved tensors back into the caller's batches (on a GPU they change device)",
    gpu_only=True,
)
