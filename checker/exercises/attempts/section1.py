"""What learners write for the exercises of section 1 (``01_why_multiple_sequences.ipynb``), in the order they might."""

from . import CORRECT, NOT_ATTEMPTED, Rows

batch_of_two = Rows("batch_of_two")
batch_shape = Rows("batch_shape")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- batch_of_two ---
    batch_of_two("python_list", "the two lists, not a tensor",
        "batch = [first_ids, second_ids]",
        "a Python list, not a tensor", "torch.tensor"),
    batch_of_two("one_long_sequence", "the lists joined into one sequence",
        "batch = torch.tensor(first_ids + second_ids)",
        "one long sequence", "first_ids + second_ids"),
    batch_of_two("batch_floats", "capital-T Tensor makes floats",
        "batch = torch.Tensor([first_ids, second_ids])",
        "holds floats", "torch.Tensor(...)"),
    batch_of_two("wrong_order", "the rows swapped",
        "batch = torch.tensor([second_ids, first_ids])",
        "wrong order"),
    batch_of_two("batch_transposed", "transposed",
        "batch = torch.tensor([first_ids, second_ids]).T",
        "transposed"),
    batch_of_two("batch_extra_dimension", "an extra list around the batch",
        "batch = torch.tensor([[first_ids, second_ids]])",
        "extra dimension", "[[first_ids, second_ids]]"),
    batch_of_two("wrong_token", "the first sentence twice",
        "batch = torch.tensor([first_ids, first_ids])",
        "row 1, position 3"),
    batch_of_two("tokenizer_output", "the tokenizer's whole output",
        'batch = tokenizer(["This film was wonderful.", "This film was terrible."], return_tensors="pt")',
        "tokenizer's whole output"),
    batch_of_two("special_tokens_added", "the tokenizer's ids, with [CLS] and [SEP]",
        'batch = tokenizer(["This film was wonderful.", "This film was terrible."], return_tensors="pt")["input_ids"]',
        "[CLS] and [SEP] added", "manual ids"),
    batch_of_two("ids_dtype", "int32 ids",
        "batch = torch.tensor([first_ids, second_ids], dtype=torch.int32)",
        "dtype torch.int32", "torch.int64"),
    batch_of_two("numpy_array", "a NumPy array",
        (
            "import numpy as np\n"
            "batch = np.array([first_ids, second_ids])"
        ),
        "NumPy array"),
    batch_of_two("cell_raised", "torch.stack of lists raises, after a right answer: the old value is not judged",
        ("batch = torch.tensor([first_ids, second_ids])", "batch = torch.stack([first_ids, second_ids])",),
        "raised TypeError", "earlier run"),
    batch_of_two("cell_raised", "a replaced stub that raises, in a fresh kernel",
        "batch = torch.tensor([first_ids, second_ids)",
        "SyntaxError", "was not set"),
    batch_of_two(NOT_ATTEMPTED, "the starter code left",
        (
            "batch = None  # replace None with your answer\n"
            "# YOUR CODE HERE\n"
            "raise NotImplementedError()"
        ),
        "replace the starter code"),
    batch_of_two(CORRECT, "right", "batch = torch.tensor([first_ids, second_ids])"),
    batch_of_two(CORRECT, "right, from a tuple", "batch = torch.tensor((first_ids, second_ids))"),
    batch_of_two(CORRECT, "right, stacked tensors",
        "batch = torch.stack([torch.tensor(first_ids), torch.tensor(second_ids)])"),
    batch_of_two(CORRECT, "right, LongTensor", "batch = torch.LongTensor([first_ids, second_ids])"),
    batch_of_two(CORRECT, "right, concatenated rows",
        "batch = torch.cat([torch.tensor([first_ids]), torch.tensor([second_ids])])"),
    batch_of_two(CORRECT, "right, explicit dtype",
        "batch = torch.tensor([first_ids, second_ids], dtype=torch.long)"),
    # --- batch_shape ---
    batch_shape("swapped", "swapped", "batch_shape = (7, 4)", "swapped"),
    batch_shape("shape_list", "a list", "batch_shape = [4, 7]", "is a list", "tuple"),
    batch_shape("shape_text", "a string", 'batch_shape = "(4, 7)"', "is text"),
    batch_shape("special_tokens_counted", "counted with [CLS] and [SEP]",
        "batch_shape = (4, 9)",
        "two ids too many", "[CLS]"),
    batch_shape("one_dimension", "every id in one number",
        "batch_shape = (28,)",
        "every id in one dimension"),
    batch_shape("shape_extra_dimension", "an extra dimension", "batch_shape = (1, 4, 7)", "extra dimension"),
    batch_shape("all_ids_counted", "characters of the first sentence (28, as many as the ids of all four)",
        "batch_shape = (len(shape_texts), len(shape_texts[0]))",
        "ids of all 4 sentences together", "characters of 'The food was cold and bland.'"),
    batch_shape("all_ids_counted", "the ids of all the sentences",
        "batch_shape = (len(shape_texts), sum(len(tokenizer.tokenize(t)) for t in shape_texts))",
        "ids of all 4 sentences together", "a row holds the ids of one sentence"),
    batch_shape("characters_counted", "characters of the second sentence",
        "batch_shape = (len(shape_texts), len(shape_texts[1]))",
        "counts characters"),
    batch_shape("words_counted", "words counted",
        "batch_shape = (len(shape_texts), len(shape_texts[0].split()))",
        "counts words"),
    batch_shape("not_whole_numbers", "floats", "batch_shape = (4.0, 7.0)", "other than whole numbers"),
    batch_shape("not_a_shape", "the tensor instead of its shape",
        "batch_shape = torch.tensor([tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in shape_texts])",
        "not a shape", "tensor.shape"),
    batch_shape(CORRECT, "right, by hand", "batch_shape = (4, 7)"),
    batch_shape(CORRECT, "right, computed",
        (
            "lengths = [len(tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t))) for t in shape_texts]\n"
            "batch_shape = (len(shape_texts), lengths[0])"
        )),
    batch_shape(CORRECT, "right, a tensor's shape",
        "batch_shape = torch.tensor([tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in shape_texts]).shape"),
    batch_shape(CORRECT, "right, tuple of a shape",
        "batch_shape = tuple(torch.tensor([tokenizer.convert_tokens_to_ids(tokenizer.tokenize(t)) for t in shape_texts]).shape)"),
    # --- from the unit tests (tests/checker/exercises/test_section1.py) ---
    batch_of_two("ragged", "the two lists, one cut short", "batch = [first_ids, second_ids[:-1]]", "ragged", "pad"),
    batch_of_two("wrong_token", "the first sentence twice, named by its row", "batch = torch.tensor([first_ids, first_ids])", "row 1"),
    batch_shape(CORRECT, "right, a torch.Size", "batch_shape = torch.Size([4, 7])"),
    batch_shape("one_dimension", "every id counted in one int", "batch_shape = 28", "every id in one dimension"),
    batch_shape("wrong_shape", "a shape of another batch", "batch_shape = (3, 7)", "not the shape"),
    batch_shape("number_count", "three numbers", "batch_shape = (4, 7, 2)", "3 numbers"),
    batch_of_two("text", "the word batch, as text", 'batch = "batch"', "text"),
    batch_of_two("not_a_tensor", "a number", "batch = 3.5", "not a tensor"),
    batch_of_two("tokenizer_output", "a dict of ids", 'batch = {"input_ids": [1, 2]}', "tokenizer's whole output"),
    batch_of_two("batch_floats", "a float tensor with NaN", 'batch = torch.tensor([[1.0, float("nan")]])', "floats"),
]
# fmt: on
