"""What learners write for section 1 (``01_why_multiple_sequences.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt
ATTEMPTS = [
    # --- batch_of_two: a (2, n) int64 tensor, first_ids then second_ids ---
    A(
        "batch_of_two",
        "the two lists, not a tensor",
        "batch = [first_ids, second_ids]",
        names=("a Python list, not a tensor", "torch.tensor"),
    ),
    A(
        "batch_of_two",
        "the lists joined into one sequence",
        "batch = torch.tensor(first_ids + second_ids)",
        names=("one long sequence", "first_ids + second_ids"),
    ),
    A(
        "batch_of_two",
        "capital-T Tensor makes floats",
        "batch = torch.Tensor([first_ids, second_ids])",
        names=("holds floats", "torch.Tensor(...)"),
    ),
    A(
        "batch_of_two",
        "the rows swapped",
        "batch = torch.tensor([second_ids, first_ids])",
        names=("wrong order",),
    ),
    A(
        "batch_of_two",
        "transposed",
        "batch = torch.tensor([first_ids, second_ids]).T",
        names=("transposed",),
    ),
    A(
        "batch_of_two",
        "an extra list around the batch",
        "batch = torch.tensor([[first_ids, second_ids]])",
        names=("extra dimension", "[[first_ids, second_ids]]"),
    ),
    A(
        "batch_of_two",
        "the first sentence twice",
        "batch = torch.tensor([first_ids, first_ids])",
        names=("row 1, position 3",),
    ),
    A(
        "batch_of_two",
        "the tokenizer's whole output",
        'batch = tokenizer(["This film was wonderful.", '
        '"This film was terrible."], return_tensors="pt")',
        names=("tokenizer's whole output",),
    ),
    A(
        "batch_of_two",
        "the tokenizer's ids, with [CLS] and [SEP]",
        'batch = tokenizer(["This film was wonderful.", '
        '"This film was terrible."], return_tensors="pt")["input_ids"]',
        names=("[CLS] and [SEP] added", "manual ids"),
    ),
    A(
        "batch_of_two",
        "int32 ids",
        "batch = torch.tensor([first_ids, second_ids], dtype=torch.int32)",
        names=("dtype torch.int32", "torch.int64"),
    ),
    A(
        "batch_of_two",
        "a NumPy array",
        "import numpy as np\nbatch = np.array([first_ids, second_ids])",
        names=("NumPy array",),
    ),
    A(
        "batch_of_two",
        "torch.stack of lists raises, after a right answer: the old value is not judged",
        (
            "batch = torch.tensor([first_ids, second_ids])",
            "batch = torch.stack([first_ids, second_ids])",
        ),
        names=("raised TypeError", "earlier run"),
    ),
    A(
        "batch_of_two",
        "a replaced stub that raises, in a fresh kernel",
        "batch = torch.tensor([first_ids, second_ids)",
        fresh=True,
        names=("SyntaxError", "was not set"),
    ),
    A(
        "batch_of_two",
        "the starter code left",
        "batch = None  # replace None with your answer\n"
        "# YOUR CODE HERE\nraise NotImplementedError()",
        expect="not attempted",
        names=("replace the starter code",),
    ),
    A("batch_of_two", "right", "batch = torch.tensor([first_ids, second_ids])", expect="correct"),
    A(
        "batch_of_two",
        "right, from a tuple",
        "batch = torch.tensor((first_ids, second_ids))",
        expect="correct",
    ),
    A(
        "batch_of_two",
        "right, stacked tensors",
        "batch = torch.stack([torch.tensor(first_ids), torch.tensor(second_ids)])",
        expect="correct",
    ),
    A(
        "batch_of_two",
        "right, LongTensor",
        "batch = torch.LongTensor([first_ids, second_ids])",
        expect="correct",
    ),
    A(
        "batch_of_two",
        "right, concatenated rows",
        "batch = torch.cat([torch.tensor([first_ids]), torch.tensor([second_ids])])",
        expect="correct",
    ),
    A(
        "batch_of_two",
        "right, explicit dtype",
        "batch = torch.tensor([first_ids, second_ids], dtype=torch.long)",
        expect="correct",
    ),
    # --- batch_shape: a tuple (batch, ids per sentence) ---
    A("batch_shape", "swapped", "batch_shape = (7, 4)", names=("swapped",)),
    A("batch_shape", "a list", "batch_shape = [4, 7]", names=("is a list", "tuple")),
    A("batch_shape", "a string", 'batch_shape = "(4, 7)"', names=("is text",)),
    A(
        "batch_shape",
        "counted with [CLS] and [SEP]",
        "batch_shape = (4, 9)",
        names=("two ids too many", "[CLS]"),
    ),
    A(
        "batch_shape",
        "every id in one number",
        "batch_shape = (28,)",
        names=("every id in one dimension",),
    ),
    A("batch_shape", "an extra dimension", "batch_shape = (1, 4, 7)", names=("extra dimension",)),
    A(
        "batch_shape",
        "characters counted",
        "batch_shape = (len(shape_texts), len(shape_texts[0]))",
        names=("counts characters",),
    ),
    A(
        "batch_shape",
        "words counted",
        "batch_shape = (len(shape_texts), len(shape_texts[0].split()))",
        names=("counts words",),
    ),
    A("batch_shape", "floats", "batch_shape = (4.0, 7.0)", names=("other than whole numbers",)),
    A(
        "batch_shape",
        "the tensor instead of its shape",
        "batch_shape = torch.tensor([tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in shape_texts])",
        names=("not a shape", "tensor.shape"),
    ),
    A("batch_shape", "right, by hand", "batch_shape = (4, 7)", expect="correct"),
    A(
        "batch_shape",
        "right, computed",
        "lengths = [len(tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t))) "
        "for t in shape_texts]\nbatch_shape = (len(shape_texts), lengths[0])",
        expect="correct",
    ),
    A(
        "batch_shape",
        "right, a tensor's shape",
        "batch_shape = torch.tensor([tokenizer.convert_tokens_to_ids("
        "tokenizer.tokenize(t)) for t in shape_texts]).shape",
        expect="correct",
    ),
    A(
        "batch_shape",
        "right, tuple of a shape",
        "batch_shape = tuple(torch.tensor([tokenizer.convert_tokens_to_ids("
        "tokenizer.tokenize(t)) for t in shape_texts]).shape)",
        expect="correct",
    ),
]
