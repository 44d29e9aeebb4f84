"""What learners write for the exercises of section 3 (``03_batching_multiple_sequences.ipynb``), in the order they might."""

from . import CORRECT, NOT_ATTEMPTED, Rows

batched_ids = Rows("batched_ids")
batched_logits = Rows("batched_logits")
rows_agree = Rows("rows_agree")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- batched_ids ---
    batched_ids("python_list", "the list of lists, not a tensor",
        "batched_ids = [ids, ids]",
        "a Python list, not a tensor", "torch.tensor"),
    batched_ids("one_long_sequence", "the ids joined into one sequence",
        "batched_ids = torch.tensor(ids + ids)",
        "one long sequence", "[ids, ids]"),
    batched_ids("one_long_sequence", "repeat(2) of the 1-D tensor",
        "batched_ids = torch.tensor(ids).repeat(2)",
        "one long sequence", ".repeat(2)"),
    batched_ids("no_batch_dimension", "the ids made a tensor, no batch dimension",
        "batched_ids = torch.tensor(ids)",
        "no batch dimension"),
    batched_ids("text", "the expression written as a string",
        'batched_ids = "[ids, ids]"',
        "text"),
    batched_ids("sequence_once", "the batch of one of section 2",
        "batched_ids = torch.tensor([ids])",
        "holds the sequence once", "two copies"),
    batched_ids("three_dimensions", "each copy with its own batch dimension",
        "batched_ids = torch.tensor([[ids], [ids]])",
        "3 dimensions", "(2, 14)"),
    batched_ids("floats", "capital-T Tensor makes floats",
        "batched_ids = torch.Tensor([ids, ids])",
        "holds floats", "int64"),
    batched_ids("special_tokens_added", "the tokenizer's ids, with [CLS] and [SEP]",
        'batched_ids = tokenizer([sequence, sequence], return_tensors="pt")["input_ids"]',
        "[CLS] and [SEP]"),
    batched_ids("tokenizer_output", "the tokenizer's whole output",
        'batched_ids = tokenizer([sequence, sequence], return_tensors="pt")',
        "tokenizer's whole output"),
    batched_ids("cell_raised", "the tokens made into a tensor: the cell raises",
        "batched_ids = torch.tensor([tokenizer.tokenize(sequence)] * 2)",
        "raised ValueError", "convert_tokens_to_ids"),
    batched_ids("token_strings_listed", "the tokens, as lists",
        "batched_ids = [tokenizer.tokenize(sequence)] * 2",
        "token strings", "convert_tokens_to_ids"),
    batched_ids("ids_dtype", "int32 ids",
        "batched_ids = torch.tensor([ids, ids], dtype=torch.int32)",
        "dtype torch.int32", "torch.int64"),
    batched_ids("batch_transposed", "transposed", "batched_ids = torch.tensor([ids, ids]).T", "transposed"),
    batched_ids("numpy_array", "a NumPy array",
        (
            "import numpy as np\n"
            "batched_ids = np.array([ids, ids])"
        ),
        "NumPy array"),
    batched_ids("cell_raised", "torch.stack of lists raises, after a right answer: the old value is not judged",
        ("batched_ids = torch.tensor([ids, ids])", "batched_ids = torch.stack([ids, ids])",),
        "raised TypeError", "earlier run"),
    batched_ids(NOT_ATTEMPTED, "the starter code left",
        (
            "batched_ids = None  # replace None with your answer\n"
            "# YOUR CODE HERE\n"
            "raise NotImplementedError()"
        ),
        "replace the starter code"),
    batched_ids(CORRECT, "right", "batched_ids = torch.tensor([ids, ids])"),
    batched_ids(CORRECT, "right, a list times two", "batched_ids = torch.tensor([ids] * 2)"),
    batched_ids(CORRECT, "right, repeat", "batched_ids = torch.tensor([ids]).repeat(2, 1)"),
    batched_ids(CORRECT, "right, stack", "batched_ids = torch.stack([torch.tensor(ids), torch.tensor(ids)])"),
    batched_ids(CORRECT, "right, explicit dtype", "batched_ids = torch.tensor([ids, ids], dtype=torch.long)"),
    batched_ids(CORRECT, "right, made on the model's device", "batched_ids = torch.tensor([ids, ids], device=model.device)"),
    batched_ids(CORRECT, "right, expand", "batched_ids = torch.tensor([ids]).expand(2, -1)"),
    # --- batched_logits ---
    batched_logits("model_output", "the whole output",
        "batched_logits = model(batched_ids)",
        "model's whole output", ".logits"),
    batched_logits("row_of_batch_of_one", "each row run alone and joined",
        "batched_logits = torch.cat([model(torch.tensor([ids])).logits, model(torch.tensor([ids])).logits])",
        "row of a model call on a batch of one", "torch.cat"),
    batched_logits("row_of_batch_of_one", "the batch of one repeated",
        "batched_logits = single_logits.repeat(2, 1)",
        "built from the row of a model call on a batch of one", "repeat"),
    batched_logits("row_of_batch_of_one", "rows stacked from single calls",
        "batched_logits = torch.stack([model(torch.tensor([i])).logits[0] for i in [ids, ids]])",
        "batch of one"),
    batched_logits("typed_in", "numbers typed in from the print",
        "batched_logits = torch.tensor([[-2.5358, 2.5810], [-2.5358, 2.5810]])",
        "typed in", "4 decimals", "as a print shows them"),
    batched_logits("typed_in", "numbers typed in, rounded",
        "batched_logits = torch.tensor([[-2.54, 2.58], [-2.54, 2.58]])",
        "typed in", "2 decimals"),
    batched_logits("typed_in", "DistilBERT's published logits typed in from the original course",
        "batched_logits = torch.tensor([[-2.7276, 2.8789], [-2.7276, 2.8789]])",
        "DistilBERT numbers, typed in"),
    batched_logits("integers", "integers of the right shape typed in",
        "batched_logits = torch.tensor([[1, 2], [3, 4]])",
        "holds integers"),
    batched_logits("not_finite", "NaN of the right shape",
        'batched_logits = torch.full((2, 2), float("nan"))',
        "NaN"),
    batched_logits("text", "the name as a string",
        'batched_logits = "logits"',
        "text"),
    batched_logits("one_row", "the batch of one's logits",
        "batched_logits = single_logits",
        "only one row", "batch of one"),
    batched_logits("one_row", "one row kept",
        "batched_logits = model(batched_ids).logits[0]",
        "only one row", "logits[0]"),
    batched_logits("probabilities", "probabilities",
        "batched_logits = torch.softmax(model(batched_ids).logits, dim=-1)",
        "probabilities"),
    batched_logits("known_wrong_logits", "sigmoid",
        "batched_logits = torch.sigmoid(model(batched_ids).logits)",
        "sigmoid"),
    batched_logits("integers", "the predicted labels",
        "batched_logits = model(batched_ids).logits.argmax(dim=-1)",
        "holds integers"),
    batched_logits("call_shape", "the tokenizer's batch, with [CLS] and [SEP]",
        'batched_logits = model(**tokenizer([sequence, sequence], return_tensors="pt")).logits',
        "shape (2, 16)", "[CLS]"),
    batched_logits("python_list", "a Python list",
        "batched_logits = model(batched_ids).logits.tolist()",
        "a Python list"),
    batched_logits("numpy_array", "a NumPy array",
        "batched_logits = model(batched_ids).logits.detach().numpy()",
        "NumPy array"),
    batched_logits("rows_of_another_call", "two rows of a batch of three",
        "batched_logits = model(torch.tensor([ids, ids, ids])).logits[:2]",
        "takes its rows from a model call on a batch of shape (3, 14)"),
    batched_logits("logits_differ", "the model in training mode (dropout)",
        (
            "model.train()\n"
            "batched_logits = model(batched_ids).logits"
        ),
        "training mode", "model.eval()"),
    batched_logits("cell_raised", "the model on the list of lists: the cell raises, after a right answer ran",
        ("batched_logits = model(batched_ids).logits", "_ = model.eval()", "batched_logits = model(batched_ids.tolist()).logits",),
        "raised", "earlier run"),
    batched_logits(CORRECT, "right", "batched_logits = model(batched_ids).logits"),
    batched_logits(CORRECT, "right, no_grad",
        (
            "with torch.no_grad():\n"
            "    batched_logits = model(batched_ids).logits"
        )),
    batched_logits(CORRECT, "right, inference_mode",
        (
            "with torch.inference_mode():\n"
            "    batched_logits = model(batched_ids).logits"
        )),
    batched_logits(CORRECT, "right, keyword", "batched_logits = model(input_ids=batched_ids).logits"),
    batched_logits(CORRECT, "right, index 0", "batched_logits = model(batched_ids)[0]"),
    batched_logits(CORRECT, "right, two lines",
        (
            "outputs = model(batched_ids)\n"
            "batched_logits = outputs.logits"
        )),
    batched_logits(CORRECT, "right, detached", "batched_logits = model(batched_ids).logits.detach()"),
    batched_logits(CORRECT, "right, a mask of ones (the task leaves the mask free)",
        "batched_logits = model(batched_ids, attention_mask=torch.ones_like(batched_ids)).logits"),
    # --- rows_agree ---
    rows_agree("wrong_answer", "exact comparison",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return all(torch.equal(row, logits[0]) for row in logits)"
        ),
        "3e-6", "exact comparison"),
    rows_agree("wrong_answer", "== on the whole tensor",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool((logits == logits[0]).all())"
        ),
        "exact comparison"),
    rows_agree("wrong_answer", "rounded, then ==",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.equal(logits.round(decimals=4), logits[0].round(decimals=4).expand_as(logits))"
        ),
        "rounding boundary", "rounding and then comparing"),
    rows_agree("wrong_answer", "allclose with its defaults",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits))"
        ),
        "differ by 5e-5", "tighter", "rtol=1e-5, atol=1e-8"),
    rows_agree("wrong_answer", "only atol given",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4)"
        ),
        "near 20", "relative part"),
    rows_agree("wrong_answer", "the largest absolute difference",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool((logits - logits[0]).abs().max() < 1e-4)"
        ),
        "near 20", "relative part"),
    rows_agree("wrong_answer", "only rtol given",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), rtol=1e-4)"
        ),
        "near-zero", "atol=1e-4, is missing"),
    rows_agree("wrong_answer", "atol=0",
        (
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=0, rtol=1e-4)"
        ),
        "near-zero", "atol=1e-4, is missing"),
    rows_agree("wrong_answer", "a loose atol=0.1",
        (
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=0.1)"
        ),
        "differ by 0.05", "looser"),
    rows_agree("wrong_answer", "atol ten times too loose, rtol right",
        (
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-3, rtol=1e-4)"
        ),
        "differ by 5e-4", "too loose"),
    rows_agree("wrong_answer", "rtol ten times too loose, atol right",
        (
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-3)"
        ),
        "5e-3", "relative part, rtol"),
    rows_agree("wrong_answer", "against the mean row",
        (
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits.mean(0).expand_as(logits), atol=1e-4, rtol=1e-4)"
        ),
        "1.5e-4 apart"),
    rows_agree("wrong_answer", "a tolerance ten times too loose",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-3, rtol=1e-3)"
        ),
        "too loose"),
    rows_agree("wrong_answer", "the first two rows only",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return len(logits) < 2 or torch.allclose(logits[0], logits[1], atol=1e-4, rtol=1e-4)"
        ),
        "three rows, the last one different", "first two", "last row was not compared"),
    rows_agree("wrong_answer", "the first and the last row only",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits[0], logits[-1], atol=1e-4, rtol=1e-4)"
        ),
        "the middle one different", "middle row was not compared"),
    rows_agree("wrong_answer", "the first column only",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits[:, 0], logits[0, 0].expand(len(logits)), atol=1e-4, rtol=1e-4)"
        ),
        "second column was not compared", "every column"),
    rows_agree("wrong_answer", "the first column only, as floats",
        (
            "def rows_agree(logits):\n"
            "    return all(abs(float(r[0] - logits[0][0])) < 1e-4 for r in logits)"
        ),
        "second column", "every column"),
    rows_agree("wrong_answer", "each row with the previous one",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return all(torch.allclose(logits[i], logits[i + 1], atol=1e-4, rtol=1e-4) for i in range(len(logits) - 1))"
        ),
        "previous one", "add up"),
    rows_agree("wrong_answer", "the mean absolute difference",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool((logits - logits[0]).abs().mean() < 1e-4)"
        ),
        "off by 2e-3", "average"),
    rows_agree("wrong_answer", "the sum of the differences",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool(abs((logits - logits[0]).sum()) < 1e-4)"
        ),
        "differences cancel", "sum (or a mean)"),
    rows_agree("wrong_answer", "the sum of the absolute differences",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool((logits - logits[0]).abs().sum() < 1e-4)"
        ),
        "eight entries", "every entry on its own"),
    rows_agree("wrong_answer", "the norm of the differences",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool(torch.norm(logits - logits[0]) < 1e-4)"
        ),
        "norm"),
    rows_agree("constant_answer", "a row compared with itself",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return all(torch.allclose(row, row, atol=1e-4, rtol=1e-4) for row in logits)"
        ),
        "True on every case", "nothing is really compared"),
    rows_agree("constant_answer", "returns True",
        (
            "def rows_agree(logits):\n"
            "    return True"
        ),
        "True on every case", "nothing is really compared"),
    rows_agree("one_element_tensor", "a one-element tensor",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return ((logits - logits[0]).abs() <= 1e-4 + 1e-4 * logits[0].abs()).all()"
        ),
        "one-element tensor", "bool(...)"),
    rows_agree("many_booleans", "isclose, not reduced",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.isclose(logits, logits[0], atol=1e-4, rtol=1e-4)"
        ),
        "entry by entry", "returned a tensor of shape", "allclose"),
    rows_agree("numpy_bool", "a NumPy bool",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return np.isclose(logits.numpy(), logits[0].numpy(), atol=1e-4, rtol=1e-4).all()"
        ),
        "NumPy bool"),
    rows_agree("list_of_booleans", "a list of one bool per row",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return [torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits]"
        ),
        "True/False values"),
    rows_agree("returned_none", "prints instead of returning",
        (
            "def rows_agree(logits):\n"
            "    print(all(torch.allclose(r, logits[0], atol=1e-4, rtol=1e-4) for r in logits))"
        ),
        "returned None", "return"),
    rows_agree("not_a_bool", "a word for the answer",
        (
            "def rows_agree(logits):\n"
            '    return "yes"'
        ),
        "did not return True or False"),
    rows_agree("not_a_function", "a value, not a function",
        "rows_agree = 42",
        "not a function"),
    rows_agree("raised", "logits[1] on a single row",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits[0], logits[1], atol=1e-4, rtol=1e-4)"
        ),
        "IndexError", "single row"),
    rows_agree("cell_raised", "a broken redefinition after a right one: the old function is not judged",
        ((
            "def rows_agree(logits):\n"
            "    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)"
        ), (
            "def rows_agree(logits)\n"
            "    return True"
        ),),
        "SyntaxError", "earlier run"),
    rows_agree(CORRECT, "right",
        (
            "def rows_agree(logits):\n"
            "    return all(torch.allclose(row, logits[0], atol=1e-4, rtol=1e-4) for row in logits)"
        )),
    rows_agree(CORRECT, "right, all rows at once",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0].expand_as(logits), atol=1e-4, rtol=1e-4)"
        )),
    rows_agree(CORRECT, "right, broadcasting",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.allclose(logits, logits[0], atol=1e-4, rtol=1e-4)"
        )),
    rows_agree(CORRECT, "right, the formula by hand",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return bool(((logits - logits[0]).abs() <= 1e-4 + 1e-4 * logits[0].abs()).all())"
        )),
    rows_agree(CORRECT, "right, NumPy",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return np.allclose(logits.numpy(), logits[0].numpy(), atol=1e-4, rtol=1e-4)"
        )),
    rows_agree(CORRECT, "right, isclose reduced",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def rows_agree(logits):\n"
            "    return torch.isclose(logits, logits[0], atol=1e-4, rtol=1e-4).all().item()"
        )),
    rows_agree(CORRECT, "right, the tolerance relative to each row (the same here)",
        (
            "def rows_agree(logits):\n"
            "    return all(torch.allclose(logits[0], row, atol=1e-4, rtol=1e-4) for row in logits)"
        )),
    rows_agree(CORRECT, "right, a loop",
        (
            "def rows_agree(logits):\n"
            "    first = logits[0]\n"
            "    for row in logits[1:]:\n"
            "        if not torch.allclose(row, first, atol=1e-4, rtol=1e-4):\n"
            "            return False\n"
            "    return True"
        )),
]
# fmt: on
