"""What learners write for section 8 (``08_putting_it_together.ipynb``)."""

from tests.corpus.runner import Attempt

A = Attempt


def classify(
    body: str = "",
    *,
    sort: str = "lengths[i]",
    reverse: str = "",
    tokenize: str = 'tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")',
    call: str = "model(**inputs).logits",
    end: str = "return torch.stack(results)",
    step: str = "batch_size",
    take: str = "batch_size",
) -> str:
    """A learner's classify_texts: the notebook's shape, with one part changed."""
    return (
        f"def classify_texts(texts, batch_size):\n"
        f"    lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
        f"    order = sorted(range(len(texts)), key=lambda i: {sort}{reverse})\n"
        f"    results = [None] * len(texts)\n{body}"
        f"    with torch.inference_mode():\n"
        f"        for start in range(0, len(order), {step}):\n"
        f"            chunk = order[start:start + {take}]\n"
        f"            inputs = {tokenize}\n"
        f"            logits = {call}\n"
        f"            for row, i in enumerate(chunk):\n"
        f"                results[i] = logits[row]\n"
        f"    {end}\n"
    )


def C(what: str, source: str, *names: str, expect: str = "incorrect") -> Attempt:
    return A("classify_texts", what, source, expect=expect, names=names)


T = 'tokenizer(sequences, padding=True, truncation=True, return_tensors="pt")'

ATTEMPTS = [
    # --- batch: the tokenizer's padded, truncated tensors, whole ---
    A(
        "batch",
        "no return_tensors: lists",
        "batch = tokenizer(sequences, padding=True, truncation=True)",
        names=("Python list", "return_tensors"),
    ),
    A(
        "batch",
        "NumPy arrays",
        'batch = tokenizer(sequences, padding=True, truncation=True, return_tensors="np")',
        names=("NumPy",),
    ),
    A(
        "batch",
        "padded to max_length",
        'batch = tokenizer(sequences, padding="max_length", truncation=True, return_tensors="pt")',
        names=("maximum length",),
    ),
    A("batch", "only the ids kept", f'batch = {T}["input_ids"]', names=("one tensor",)),
    A(
        "batch",
        "no padding: the cell raises",
        'batch = tokenizer(sequences, truncation=True, return_tensors="pt")',
        names=("padding",),
    ),
    A(
        "batch",
        "cut to 8 tokens",
        'batch = tokenizer(sequences, padding=True, truncation=True, max_length=8, return_tensors="pt")',
        names=("trunc",),
    ),
    A(
        "batch",
        "no special tokens",
        'batch = tokenizer(sequences, padding=True, truncation=True, add_special_tokens=False, return_tensors="pt")',
        names=("[CLS]",),
    ),
    A(
        "batch",
        "one encoding per sentence",
        'batch = [tokenizer(s, return_tensors="pt") for s in sequences]',
        names=("not the tokenizer's output",),
    ),
    A(
        "batch",
        "the two sentences as one pair",
        'batch = tokenizer(*sequences, padding=True, truncation=True, return_tensors="pt")',
        names=("one pair",),
    ),
    A(
        "batch",
        "only the first sentence",
        'batch = tokenizer(sequences[:1], padding=True, truncation=True, return_tensors="pt")',
        names=("1 sequence",),
    ),
    A("batch", "right", f"batch = {T}", expect="correct"),
    A(
        "batch",
        "right, padding='longest'",
        'batch = tokenizer(sequences, padding="longest", truncation=True, return_tensors="pt")',
        expect="correct",
    ),
    A(
        "batch",
        "right, max_length=512 spelled out",
        'batch = tokenizer(sequences, padding=True, truncation=True, max_length=512, return_tensors="pt")',
        expect="correct",
    ),
    A(
        "batch",
        "right, keyword text= and a strategy",
        'batch = tokenizer(text=sequences, padding=True, truncation="longest_first", return_tensors="pt")',
        expect="correct",
    ),
    A(
        "batch",
        "right, from a copy of the list",
        'batch = tokenizer(list(sequences), padding=True, truncation=True, return_tensors="pt")',
        expect="correct",
    ),
    A(
        "batch",
        "right, then moved to the model's device",
        f"batch = {T}.to(model.device)",
        expect="correct",
    ),
    # --- classify_texts: one tensor, token-sorted batches of batch_size, each padded to its own longest ---
    C("no sorting", classify(sort="i"), "did not sort"),
    C("sorted by characters", classify(sort="len(texts[i])"), "by characters"),
    C("sorted by words", classify(sort="len(texts[i].split())"), "by words"),
    C("one text at a time, batch_size ignored", classify(step="1", take="1"), "one at a time"),
    C("everything in one call", classify(step="len(order)", take="len(order)"), "`batch_size` is"),
    C(
        "padding to max_length",
        classify(
            tokenize='tokenizer([texts[i] for i in chunk], padding="max_length", '
            'truncation=True, return_tensors="pt")'
        ),
        "padded to 512",
        "stopped",
    ),
    C(
        "a fixed max_length of 64",
        classify(
            tokenize='tokenizer([texts[i] for i in chunk], padding="max_length", '
            'max_length=64, truncation=True, return_tensors="pt")'
        ),
        "padded to 64",
    ),
    C(
        "pad_to_multiple_of=8",
        classify(
            tokenize="tokenizer([texts[i] for i in chunk], padding=True, truncation=True, "
            'pad_to_multiple_of=8, return_tensors="pt")'
        ),
        "pad_to_multiple_of",
    ),
    C(
        "tokenized all together, then split",
        classify(
            body="    everything = tokenizer(texts, padding=True, truncation=True, return_tensors='pt')\n",
            tokenize="{k: v[chunk] for k, v in everything.items()}",
        ),
        "longest text of all",
    ),
    C(
        "no truncation",
        classify(
            tokenize='tokenizer([texts[i] for i in chunk], padding=True, return_tensors="pt")'
        ),
        "truncation=True",
    ),
    C("no attention mask", classify(call='model(inputs["input_ids"]).logits'), "attention mask"),
    C("a list of rows", classify(end="return results"), "not one tensor", "torch.stack(results)"),
    C("lists of numbers", classify(end="return [r.tolist() for r in results]"), "not a tensor"),
    C("a NumPy array", classify(end="return torch.stack(results).numpy()"), "NumPy"),
    C(
        "labels instead of logits",
        classify(end="return [model.config.id2label[int(r.argmax())] for r in results]"),
        "labels (strings)",
    ),
    C("predicted ids", classify(end="return torch.stack(results).argmax(dim=-1)"), "integers"),
    C(
        "probabilities",
        classify(end="return torch.stack(results).softmax(dim=-1)"),
        "probabilities",
    ),
    C(
        "rows in the sorted order",
        classify(end="return torch.stack([results[i] for i in order])"),
        "wrong order",
        "the sorted order",
    ),
    C("print instead of return", classify(end="print(torch.stack(results))"), "returned None"),
    C(
        "return inside the loop",
        classify()
        .replace("    return torch.stack", "            return torch.stack")
        .replace(
            "                results[i] = logits[row]\n            return",
            "                results[i] = logits[row]\n            return",
        ),
        "inside the `for` loop",
    ),
    C(
        "restore by texts.index (breaks on equal texts)",
        "def classify_texts(texts, batch_size):\n"
        "    ordered = sorted(texts, key=lambda t: len(tokenizer(t, truncation=True)['input_ids']))\n"
        "    results = [None] * len(texts)\n"
        "    with torch.inference_mode():\n"
        "        for start in range(0, len(ordered), batch_size):\n"
        "            chunk = ordered[start:start + batch_size]\n"
        "            logits = model(**tokenizer(chunk, padding=True, truncation=True, return_tensors='pt')).logits\n"
        "            for row, text in enumerate(chunk):\n"
        "                results[texts.index(text)] = logits[row]\n"
        "    return torch.stack(results)\n",
        "two of the texts are equal",
    ),
    C("batches overlap by one", classify(take="batch_size + 1"), "more than once"),
    C(
        "the last batch dropped",
        classify(step="batch_size").replace(
            "range(0, len(order), batch_size)", "range(0, len(order) - batch_size + 1, batch_size)"
        ),
        "2 of 3 batches",
        "last batch",
    ),
    C(
        "rows kept with a batch dimension",
        classify().replace("results[i] = logits[row]", "results[i] = logits[row:row + 1]"),
        "dimension",
    ),
    C(
        "left padding",
        classify(
            tokenize="tokenizer([texts[i] for i in chunk], padding=True, truncation=True, "
            'padding_side="left", return_tensors="pt")'
        ),
        "differs",
    ),  # unnamed: calls do not show the side
    C("the model's whole output", classify(call="model(**inputs)"), "logits"),
    C("right", classify(), expect="correct"),
    C("right, longest first", classify(reverse=", reverse=True"), expect="correct"),
    C(
        "right, no_grad and torch.cat into place",
        "def classify_texts(texts, batch_size):\n"
        "    lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]\n"
        "    order = torch.argsort(torch.tensor(lengths)).tolist()\n"
        "    out = torch.empty(len(texts), model.config.num_labels)\n"
        "    with torch.no_grad():\n"
        "        for start in range(0, len(order), batch_size):\n"
        "            chunk = order[start:start + batch_size]\n"
        "            batch = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors='pt')\n"
        "            out[chunk] = model(**batch).logits\n"
        "    return out\n",
        expect="correct",
    ),
    C(
        "right, tokenize() for the lengths",
        classify().replace(
            "lengths = [len(ids) for ids in tokenizer(texts, truncation=True)['input_ids']]",
            "lengths = [min(len(tokenizer.tokenize(t)), 510) for t in texts]",
        ),
        expect="correct",
    ),
    C(
        "right, padding='longest'",
        classify(
            tokenize='tokenizer([texts[i] for i in chunk], padding="longest", '
            'truncation=True, return_tensors="pt")'
        ),
        expect="correct",
    ),
    C(
        "right, a dict of rows",
        classify(end="return torch.stack([results[i] for i in range(len(texts))])"),
        expect="correct",
    ),
    # --- logits: one call on the padded batch with its mask ---
    A(
        "logits",
        "rows one sentence at a time",
        "logits = torch.cat([model(**tokenizer([s], return_tensors='pt')).logits for s in sequences])",
        names=("one sentence at a time",),
    ),
    A(
        "logits",
        "numbers copied from the print",
        "logits = torch.tensor([[-2.4544, 2.4960], [-3.3431, 3.4399]])",
        names=("no call",),
    ),
    A(
        "logits",
        "ids only, no mask",
        'logits = model(batch["input_ids"]).logits',
        names=("without the attention mask",),
    ),
    A(
        "logits",
        "padded to the maximum length",
        'logits = model(**tokenizer(sequences, padding="max_length", return_tensors="pt")).logits',
        names=("maximum length",),
    ),
    A("logits", "the whole output", "logits = model(**batch)", names=("whole output",)),
    A("logits", "right", "logits = model(**batch).logits", expect="correct"),
    A(
        "logits",
        "right, inference_mode",
        "with torch.inference_mode():\n    logits = model(**batch).logits",
        expect="correct",
    ),
    # --- padding_efficiency: a Python float ---
    A(
        "padding_efficiency",
        "a tensor",
        "def padding_efficiency(attention_mask):\n    return attention_mask.float().mean()",
        names=("not a float", ".item()"),
    ),
    A(
        "padding_efficiency",
        "the share of padding",
        "def padding_efficiency(attention_mask):\n"
        "    return 1 - attention_mask.sum().item() / attention_mask.numel()",
        names=("share of padding",),
    ),
    A(
        "padding_efficiency",
        "divided by the width",
        "def padding_efficiency(attention_mask):\n"
        "    return attention_mask.sum().item() / attention_mask.shape[1]",
        names=("padded length only",),
    ),
    A(
        "padding_efficiency",
        "right",
        "def padding_efficiency(attention_mask):\n"
        "    return attention_mask.sum().item() / attention_mask.numel()",
        expect="correct",
    ),
    A(
        "padding_efficiency",
        "right, mean",
        "def padding_efficiency(attention_mask):\n    return attention_mask.float().mean().item()",
        expect="correct",
    ),
]
