"""What learners write for the exercises of section 8 (``08_putting_it_together.ipynb``)."""

from . import CORRECT, Rows, function

batch = Rows("batch")
logits = Rows("logits")
padding_efficiency = Rows("padding_efficiency")
classify_texts = Rows("classify_texts")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- batch ---
    batch("python_list", "no return_tensors: lists",
        "batch = tokenizer(sequences, padding=True, truncation=True)",
        "Python list", "return_tensors"),
    batch("numpy_array", "NumPy arrays",
        'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="np")',
        "NumPy"),
    batch("padded_to_max_length", "padded to max_length",
        'batch = tokenizer(sequences, padding="max_length", truncation=True, return_tensors="pt")',
        "maximum length", "padding=True"),
    batch("one_tensor", "only the ids kept",
        'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")["input_ids"]',
        "one tensor"),
    batch("cell_raised", "no padding: the cell raises",
        'batch = tokenizer(sequences, truncation=True, return_tensors="pt")',
        "padding"),
    batch("wrong_length", "cut to 8 tokens",
        'batch = tokenizer(sequences, padding=True, truncation=True, max_length=8, return_tensors="pt")',
        "trunc"),
    batch("special_tokens_missing", "no special tokens",
        'batch = tokenizer(sequences, padding=True, truncation=True, add_special_tokens=False, return_tensors="pt")',
        "[CLS]"),
    batch("not_tokenizer_output", "one encoding per sentence",
        'batch = [tokenizer(s, return_tensors="pt") for s in sequences]',
        "not the tokenizer's output"),
    batch("sequence_count", "the two sentences as one pair",
        'batch = tokenizer(*sequences, padding=True, truncation=True, return_tensors="pt")',
        "one pair"),
    batch("sequence_count", "only the first sentence",
        'batch = tokenizer(sequences[:1], padding=True, truncation=True, return_tensors="pt")',
        "1 sequence"),
    batch("left_padding", "padded on the left",
        'batch = tokenizer(sequences, padding=True, return_tensors="pt", padding_side="left")',
        "padded on the left"),
    batch("mask_inverted", "an inverted mask",
        (
            'batch = dict(tokenizer(sequences, padding=True, truncation=True, return_tensors="pt"))\n'
            'batch["attention_mask"] = 1 - batch["attention_mask"]'
        ),
        "inverted"),
    batch("not_tokenizer_output", "text",
        'batch = "text"',
        "not the tokenizer's output"),
    batch("missing_fields", "a dict without input_ids",
        'batch = {"ids": 1}',
        "no input_ids"),
    batch(CORRECT, "right",
        'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")'),
    batch(CORRECT, "right, as a dict",
        'batch = dict(tokenizer(sequences, padding=True, truncation=True, return_tensors="pt"))'),
    batch(CORRECT, "right, padding='longest'",
        'batch = tokenizer(sequences, padding="longest", truncation=True, return_tensors="pt")'),
    batch(CORRECT, "right, max_length=512 spelled out",
        'batch = tokenizer(sequences, padding=True, truncation=True, max_length=512, return_tensors="pt")'),
    batch(CORRECT, "right, keyword text= and a strategy",
        'batch = tokenizer(text=sequences, padding=True, truncation="longest_first", return_tensors="pt")'),
    batch(CORRECT, "right, from a copy of the list",
        'batch = tokenizer(list(sequences), padding=True, truncation=True, return_tensors="pt")'),
    batch(CORRECT, "right, then moved to the model's device",
        'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="pt").to(model.device)'),
    # --- logits ---
    logits("rows_joined", "rows one sentence at a time",
        "logits = torch.cat([model(**tokenizer([s], return_tensors='pt')).logits for s in sequences])",
        "one sentence at a time"),
    logits("no_batched_call", "numbers copied from the print",
        "logits = torch.tensor([[-2.4544, 2.4960], [-3.3431, 3.4399]])",
        "no call"),
    logits("known_wrong_logits", "ids only, no mask",
        'logits = model(batch["input_ids"]).logits',
        "without the attention mask", "model(**batch)"),
    logits("logits_of_max_length", "padded to the maximum length",
        'logits = model(**tokenizer(sequences, padding="max_length", return_tensors="pt")).logits',
        "maximum length"),
    logits("mask_all_zeros", "ids and token types by position",
        'logits = model(batch["input_ids"], batch["token_type_ids"]).logits',
        "attention mask is all zeros", "second positional argument is `attention_mask`"),
    logits("known_wrong_logits", "a left-padded batch",
        'logits = model(**tokenizer(sequences, padding=True, padding_side="left", return_tensors="pt")).logits',
        "padded on the left", "later positions"),
    logits("model_output", "the whole output", "logits = model(**batch)", "whole output", ".logits"),
    logits("numpy_array", "a NumPy array",
        "logits = model(**batch).logits.detach().numpy()",
        "NumPy"),
    logits("probabilities", "probabilities",
        "logits = model(**batch).logits.softmax(-1)",
        "probabilities"),
    logits("logits_no_batch_dimension", "the first row",
        "logits = model(**batch).logits[0]",
        "no batch dimension"),
    logits("not_finite", "NaN",
        "logits = torch.full_like(model(**batch).logits, float('nan'))",
        "NaN"),
    logits("logits_differ", "shifted by one",
        "logits = model(**batch).logits + 1",
        "differs from the reference"),
    logits(CORRECT, "right", "logits = model(**batch).logits"),
    logits(CORRECT, "right, inference_mode",
        (
            "with torch.inference_mode():\n"
            "    logits = model(**batch).logits"
        )),
    # --- padding_efficiency ---
    padding_efficiency("not_a_float", "a tensor",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.float().mean()"
        ),
        "not a float", ".item()"),
    padding_efficiency("share_of_padding", "the share of padding",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return 1 - attention_mask.sum().item() / attention_mask.numel()"
        ),
        "share of padding"),
    padding_efficiency("divided_by_length", "divided by the width",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.sum().item() / attention_mask.shape[1]"
        ),
        "padded length only"),
    padding_efficiency("count_not_share", "the number of real tokens",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.sum().item()"
        ),
        "number of real tokens, not a share"),
    padding_efficiency("first_row_only", "the first row",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask[0].float().mean().item()"
        ),
        "first row's share"),
    padding_efficiency("int_not_float", "floor division",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.sum().item() // attention_mask.numel()"
        ),
        "not a float"),
    padding_efficiency("returned_none", "printed",
        (
            "def padding_efficiency(attention_mask):\n"
            "    print(attention_mask.sum().item() / attention_mask.numel())"
        ),
        "returned None"),
    padding_efficiency("not_a_float", "one share per row",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.sum(dim=1) / attention_mask.shape[1]"
        ),
        "one number per row"),
    padding_efficiency("raised", "a ZeroDivisionError",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.sum().item() / 0"
        ),
        "ZeroDivisionError"),
    padding_efficiency("not_a_function", "a number, not a function",
        "padding_efficiency = 42",
        "not a function"),
    padding_efficiency("rounded", "rounded for readability",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return round(attention_mask.float().mean().item(), 2)"
        ),
        "rounded the share to 2 decimals", "round only where you print it"),
    padding_efficiency(CORRECT, "right",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.sum().item() / attention_mask.numel()"
        )),
    padding_efficiency(CORRECT, "right, a NumPy float",
        (
            "import numpy as np\n"
            "def padding_efficiency(attention_mask):\n"
            "    return np.float64(attention_mask.sum().item() / attention_mask.numel())"
        ),
        ),
    padding_efficiency(CORRECT, "right, mean",
        (
            "def padding_efficiency(attention_mask):\n"
            "    return attention_mask.float().mean().item()"
        )),
    # --- classify_texts ---
    classify_texts("unsorted", "no sorting",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: i)\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "did not sort"),
    classify_texts("sorted_by_characters", "sorted by characters",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: len(texts[i]))\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "by characters"),
    classify_texts("sorted_by_words", "sorted by words",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: len(texts[i].split()))\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "by words"),
    classify_texts("texts_one_at_a_time", "one text at a time, batch_size ignored",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), 1):\n"
                "        chunk = order[start:start + 1]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "one at a time"),
    classify_texts("batch_too_large", "everything in one call",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), len(order)):\n"
                "        chunk = order[start:start + len(order)]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "`batch_size` is"),
    classify_texts("overpadded_batch", "padding to max_length",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding="max_length", truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "padded to 512", "stopped"),
    classify_texts("overpadded_batch", "a fixed max_length of 64",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding="max_length", max_length=64, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "padded to 64"),
    classify_texts("overpadded_batch", "pad_to_multiple_of=8",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, pad_to_multiple_of=8, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "pad_to_multiple_of"),
    classify_texts("overpadded_batch", "tokenized all together, then split",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "everything = tokenizer(texts, padding=True, truncation=True, return_tensors='pt')\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                "        inputs = {k: v[chunk] for k, v in everything.items()}\n"
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "longest text of all"),
    classify_texts("too_long_for_model", "no truncation",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "truncation=True", "longer than the model's limit", "raised"),
    classify_texts("mask_not_passed", "no attention mask",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                '        logits = model(inputs["input_ids"]).logits\n'
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "attention mask"),
    classify_texts("list_of_tensors", "a list of rows",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return results"
            )),
        "not one tensor", "torch.stack(results)"),
    classify_texts("python_list", "lists of numbers",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return [r.tolist() for r in results]"
            )),
        "not a tensor"),
    classify_texts("numpy_array", "a NumPy array",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results).numpy()"
            )),
        "NumPy"),
    classify_texts("labels_not_logits", "labels instead of logits",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return [model.config.id2label[int(r.argmax())] for r in results]"
            )),
        "labels (strings)"),
    classify_texts("integers", "predicted ids",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results).argmax(dim=-1)"
            )),
        "integers"),
    classify_texts("probabilities", "probabilities",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results).softmax(dim=-1)"
            )),
        "probabilities"),
    classify_texts("rows_reordered", "rows in the sorted order",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack([results[i] for i in order])"
            )),
        "wrong order", "the sorted order", "order by characters is not their order by tokens"),
    classify_texts("returned_none", "print instead of return",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "print(torch.stack(results))"
            )),
        "returned None"),
    classify_texts("return_in_loop", "return inside the loop",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "        return torch.stack(results)"
            )),
        "inside the `for` loop"),
    classify_texts("index_of_duplicates", "restore by texts.index (breaks on equal texts)",
        function("classify_texts(texts, batch_size)", (
                "ordered = sorted(texts, key=lambda t: len(tokenizer(t, truncation=True)['input_ids']))\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(ordered), batch_size):\n"
                "        chunk = ordered[start:start + batch_size]\n"
                "        logits = model(**tokenizer(chunk, padding=True, truncation=True, return_tensors='pt')).logits\n"
                "        for row, text in enumerate(chunk):\n"
                "            results[texts.index(text)] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "two of the texts are equal"),
    classify_texts("rows_run_twice", "batches overlap by one",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size + 1]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "more than once"),
    classify_texts("stopped_early", "the last batch dropped",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order) - batch_size + 1, batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "2 of 3 batches", "last batch"),
    classify_texts("logits_extra_dimension", "rows kept with a batch dimension",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row:row + 1]\n"
                "return torch.stack(results)"
            )),
        "one dimension too many"),
    classify_texts("logits_differ", "left padding",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, padding_side="left", return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "differs"),
    classify_texts("raised", "the model's whole output",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs)\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            )),
        "logits"),
    classify_texts("returned_none", "None",
        function("classify_texts(texts, batch_size)", "return None"),
        "returned None"),
    classify_texts("labels_not_logits", "label names",
        function("classify_texts(texts, batch_size)", "return ['POSITIVE'] * len(texts)"),
        "labels (strings)"),
    classify_texts("dict_of_results", "a dict",
        function("classify_texts(texts, batch_size)", "return {t: 1.0 for t in texts}"),
        "returned a dict"),
    classify_texts("not_a_tensor", "a number",
        function("classify_texts(texts, batch_size)", "return 3"),
        "did not return a torch tensor"),
    classify_texts("logits_differ", "made-up probabilities",
        function("classify_texts(texts, batch_size)", "return torch.zeros(len(texts), 2).softmax(-1)"),
        "differs"),
    classify_texts("not_a_function", "a string, not a function",
        'classify_texts = "classify"',
        "not a function"),
    classify_texts("empty_texts_dropped", "empty texts skipped",
        function("classify_texts(texts, batch_size)", (
                "texts = [t for t in texts if t.strip()]\n"
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "for start in range(0, len(order), batch_size):\n"
                "    chunk = order[start:start + batch_size]\n"
                '    batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "    with torch.no_grad():\n"
                "        logits = model(**batch).logits\n"
                "    for k, i in enumerate(chunk):\n"
                "        results[i] = logits[k]\n"
                "return torch.stack(results)"
            )),
        "the empty one never ran", "still a text"),
    classify_texts("batches_skipped", "range stops one batch early, rows preallocated",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = torch.zeros(len(texts), model.config.num_labels)\n"
                "for start in range(0, len(order) - batch_size, batch_size):\n"
                "    chunk = order[start:start + batch_size]\n"
                '    batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "    with torch.no_grad():\n"
                "        results[chunk] = model(**batch).logits\n"
                "return results"
            )),
        "2 of 3 batches", "stopped before the last batch"),
    classify_texts(CORRECT, "right",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            ))),
    classify_texts(CORRECT, "right, longest first",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i], reverse=True)\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            ))),
    classify_texts(CORRECT, "right, no_grad and torch.cat into place",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = torch.argsort(torch.tensor(lengths)).tolist()\n"
                "out = torch.empty(len(texts), model.config.num_labels)\n"
                "with torch.no_grad():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                "        batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors='pt')\n"
                "        out[chunk] = model(**batch).logits\n"
                "return out"
            ))),
    classify_texts(CORRECT, "right, tokenize() for the lengths",
        function("classify_texts(texts, batch_size)", (
                "lengths = [min(len(tokenizer.tokenize(t)), 510) for t in texts]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            ))),
    classify_texts(CORRECT, "right, padding='longest'",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding="longest", truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack(results)"
            ))),
    classify_texts(CORRECT, "right, a dict of rows",
        function("classify_texts(texts, batch_size)", (
                "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
                "order = sorted(range(len(texts)), key=lambda i: lengths[i])\n"
                "results = [None] * len(texts)\n"
                "with torch.inference_mode():\n"
                "    for start in range(0, len(order), batch_size):\n"
                "        chunk = order[start:start + batch_size]\n"
                '        inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")\n'
                "        logits = model(**inputs).logits\n"
                "        for row, i in enumerate(chunk):\n"
                "            results[i] = logits[row]\n"
                "return torch.stack([results[i] for i in range(len(texts))])"
            ))),
]
# fmt: on
