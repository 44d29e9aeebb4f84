"""What learners write for section 9 (``09_pairs_of_sequences.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt


def fn(name: str, body: str) -> str:
    """A function attempt: ``def name(...)`` with ``body`` (its lines already indented)."""
    heads = {
        "token_types": "def token_types(input_ids):",
        "qa_inputs": "def qa_inputs(question, context, max_length):",
        "answer_text": "def answer_text(context, offsets, start, end):",
    }
    return f"{heads[name]}\n{body}"


ATTEMPTS = [
    # --- pair: tokenizer(first, second, return_tensors="pt") ---
    A(
        "pair",
        "the texts joined into one string",
        'pair = tokenizer(first + " " + second, return_tensors="pt")',
        names=("joined into one string", "tokenizer(first, second"),
    ),
    A(
        "pair",
        "a [SEP] typed into the text",
        'pair = tokenizer(first + " [SEP] " + second, return_tensors="pt")',
        names=("all 0", "typed into the text"),
    ),
    A(
        "pair",
        "a list of the two texts: a batch of two",
        'pair = tokenizer([first, second], padding=True, return_tensors="pt")',
        names=("batch of two separate sequences",),
    ),
    A(
        "pair",
        "no return_tensors",
        "pair = tokenizer(first, second)",
        names=("Python list", "return_tensors"),
    ),
    A(
        "pair",
        "the texts in the wrong order",
        'pair = tokenizer(second, first, return_tensors="pt")',
        names=("wrong order",),
    ),
    A(
        "pair",
        "only the input ids",
        'pair = tokenizer(first, second, return_tensors="pt")["input_ids"]',
        names=("not the tokenizer's output", "['input_ids']"),
    ),
    A(
        "pair",
        "encode() gives only the ids",
        'pair = tokenizer.encode(first, second, return_tensors="pt")',
        names=("not the tokenizer's output",),
    ),
    A(
        "pair",
        "NumPy arrays",
        'pair = tokenizer(first, second, return_tensors="np")',
        names=("NumPy array",),
    ),
    A(
        "pair",
        "padded to the maximum length",
        'pair = tokenizer(first, second, padding="max_length", return_tensors="pt")',
        names=("maximum length",),
    ),
    A(
        "pair",
        "no special tokens",
        'pair = tokenizer(first, second, add_special_tokens=False, return_tensors="pt")',
        names=("without [CLS] and [SEP]",),
    ),
    A(
        "pair",
        "token types switched off",
        'pair = tokenizer(first, second, return_token_type_ids=False, return_tensors="pt")',
        names=("no `token_type_ids`",),
    ),
    A(
        "pair",
        "the tokens of each text instead of the texts",
        "pair = tokenizer(tokenizer.tokenize(first), "
        'tokenizer.tokenize(second), return_tensors="pt")',
        names=("sequences", "a batch"),
    ),
    A(
        "pair",
        "the starter code left",
        "pair = None  # replace None with your answer\n# YOUR CODE HERE\n"
        "raise NotImplementedError()",
        expect="not attempted",
        names=("replace the starter code",),
    ),
    A("pair", "right", 'pair = tokenizer(first, second, return_tensors="pt")', expect="correct"),
    A(
        "pair",
        "right, keywords",
        'pair = tokenizer(text=first, text_pair=second, return_tensors="pt")',
        expect="correct",
    ),
    A(
        "pair",
        "right, a batch of one pair",
        'pair = tokenizer([first], [second], return_tensors="pt")',
        expect="correct",
    ),
    A(
        "pair",
        "right, padding and truncation on",
        'pair = tokenizer(first, second, padding=True, truncation=True, return_tensors="pt")',
        expect="correct",
    ),
    # --- token_types(input_ids) ---
    A(
        "token_types",
        "the first [SEP] counted in the second sequence",
        fn(
            "token_types",
            "    types, second = [], False\n    for token in input_ids:\n"
            "        if token == tokenizer.sep_token_id:\n            second = True\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n    return types",
        ),
        names=("first [SEP] has token type 1",),
    ),
    A(
        "token_types",
        "the padding marked as the second sequence",
        fn(
            "token_types",
            "    first_sep = input_ids.index(tokenizer.sep_token_id)\n"
            "    return [0] * (first_sep + 1) + [1] * (len(input_ids) - first_sep - 1)",
        ),
        names=("padding has token type 1",),
    ),
    A(
        "token_types",
        "all zeros",
        fn("token_types", "    return [0] * len(input_ids)"),
        names=("every token type is 0",),
    ),
    A(
        "token_types",
        "a tensor",
        fn(
            "token_types",
            "    types, second = [], False\n    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n            second = True\n    return torch.tensor(types)",
        ),
        names=("a tensor", ".tolist()"),
    ),
    A(
        "token_types",
        "writes the types into input_ids",
        fn(
            "token_types",
            "    second = False\n"
            "    for i, token in enumerate(input_ids):\n        input_ids[i] = 0 if token == tokenizer.pad_token_id "
            "else int(second)\n        if token == tokenizer.sep_token_id:\n            second = True\n"
            "    return input_ids",
        ),
        names=("changed the lists", "new list"),
    ),
    A(
        "token_types",
        "True/False instead of 0/1",
        fn(
            "token_types",
            "    types, second = [], False\n"
            "    for token in input_ids:\n        types.append(second and token != tokenizer.pad_token_id)\n"
            "        if token == tokenizer.sep_token_id:\n            second = True\n    return types",
        ),
        names=("bool values",),
    ),
    A(
        "token_types",
        "the final [SEP] left at 0",
        fn(
            "token_types",
            "    types, second = [], False\n"
            "    for token in input_ids:\n        special = token in (tokenizer.sep_token_id, tokenizer.pad_token_id)\n"
            "        types.append(1 if second and not special else 0)\n        if token == tokenizer.sep_token_id:\n"
            "            second = True\n    return types",
        ),
        names=("ends the second text has token type 0",),
    ),
    A(
        "token_types",
        "prints instead of returning",
        fn(
            "token_types",
            "    types, second = [], False\n"
            "    for token in input_ids:\n        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n            second = True\n    print(types)",
        ),
        names=("returned None",),
    ),
    A(
        "token_types",
        "right",
        fn(
            "token_types",
            "    types, second = [], False\n    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n            second = True\n    return types",
        ),
        expect="correct",
    ),
    A(
        "token_types",
        "right, with index()",
        fn(
            "token_types",
            "    cut = input_ids.index(tokenizer.sep_token_id)\n"
            "    return [int(i > cut and token != tokenizer.pad_token_id) for i, token in enumerate(input_ids)]",
        ),
        expect="correct",
    ),
    # --- qa_inputs(question, context, max_length) ---
    A(
        "qa_inputs",
        "truncation=True: longest_first",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, "
            "truncation=True, max_length=max_length)['input_ids']",
        ),
        names=("question was cut too", "longest_first"),
    ),
    A(
        "qa_inputs",
        "only_first",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, truncation='only_first', "
            "max_length=max_length)['input_ids']",
        ),
        names=("raised Exception", "`only_first` cuts the first"),
    ),
    A(
        "qa_inputs",
        "the context first, only_second",
        fn(
            "qa_inputs",
            "    return tokenizer(context, question, "
            "truncation='only_second', max_length=max_length)['input_ids']",
        ),
        names=("Truncation error", "which text comes first"),
    ),
    A(
        "qa_inputs",
        "cut by hand",
        fn("qa_inputs", "    return tokenizer(question, context)['input_ids'][:max_length]"),
        names=("lost the final [SEP]",),
    ),
    A(
        "qa_inputs",
        "not truncated",
        fn("qa_inputs", "    return tokenizer(question, context)['input_ids']"),
        names=("not truncated",),
    ),
    A(
        "qa_inputs",
        "the whole tokenizer output",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, "
            "truncation='only_second', max_length=max_length)",
        ),
        names=("whole output", "['input_ids']"),
    ),
    A(
        "qa_inputs",
        "a tensor",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, truncation='only_second', "
            "max_length=max_length, return_tensors='pt')['input_ids']",
        ),
        names=("a tensor", "list"),
    ),
    A(
        "qa_inputs",
        "tokens instead of ids",
        fn(
            "qa_inputs",
            "    return tokenizer.tokenize(question, context, "
            "truncation='only_second', max_length=max_length)",
        ),
        names=("tokens (strings)",),
    ),
    A(
        "qa_inputs",
        "one joined string",
        fn(
            "qa_inputs",
            "    return tokenizer(question + ' ' + context, "
            "truncation=True, max_length=max_length)['input_ids']",
        ),
        names=("joined into one string",),
    ),
    A(
        "qa_inputs",
        "padded to max_length",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, "
            "truncation='only_second', max_length=max_length, padding='max_length')['input_ids']",
        ),
        names=("padded to max_length",),
    ),
    A(
        "qa_inputs",
        "the context cut in characters",
        fn("qa_inputs", "    return tokenizer(question, context[:max_length])['input_ids']"),
        names=("characters",),
    ),
    A(
        "qa_inputs",
        "room left for the special tokens twice",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, "
            "truncation='only_second', max_length=max_length - 3)['input_ids']",
        ),
        names=("already counts [CLS]",),
    ),
    A(
        "qa_inputs",
        "right",
        fn(
            "qa_inputs",
            "    return tokenizer(question, context, truncation='only_second', "
            "max_length=max_length)['input_ids']",
        ),
        expect="correct",
    ),
    A(
        "qa_inputs",
        "right, encode()",
        fn(
            "qa_inputs",
            "    return tokenizer.encode(question, context, "
            "truncation='only_second', max_length=max_length)",
        ),
        expect="correct",
    ),
    A(
        "qa_inputs",
        "right, a batch of one and .tolist()",
        fn(
            "qa_inputs",
            "    batch = tokenizer([question], [context], "
            "truncation='only_second', max_length=max_length, return_tensors='pt')\n    return batch['input_ids'][0].tolist()",
        ),
        expect="correct",
    ),
    # --- qa_windows ---
    A(
        "qa_windows",
        "no overflow",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", '
        'max_length=128, stride=32, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        names=("one window per pair", "return_overflowing_tokens"),
    ),
    A(
        "qa_windows",
        "stride taken as the step",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", '
        "max_length=128, stride=96, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, "
        'return_tensors="pt")',
        names=("not the step",),
    ),
    A(
        "qa_windows",
        "the demo's settings",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", '
        "max_length=64, stride=16, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, "
        'return_tensors="pt")',
        names=("share 16 context tokens", "stride = 32"),
    ),
    A(
        "qa_windows",
        "only the first pair",
        'qa_windows = tokenizer(questions[0], contexts[0], truncation="only_second", '
        "max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, "
        'return_tensors="pt")',
        names=("only one pair",),
    ),
    A(
        "qa_windows",
        "contexts first, only_first",
        'qa_windows = tokenizer(contexts, questions, truncation="only_first", '
        "max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, "
        'return_tensors="pt")',
        names=("context comes first",),
    ),
    A(
        "qa_windows",
        "no offsets",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", '
        'max_length=128, stride=32, return_overflowing_tokens=True, padding=True, return_tensors="pt")',
        names=("no `offset_mapping`", "return_offsets_mapping=True"),
    ),
    A(
        "qa_windows",
        "no padding: the cell raises",
        "qa_windows = tokenizer(questions, contexts, "
        'truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, '
        'return_offsets_mapping=True, return_tensors="pt")',
        names=("raised ValueError", "padding=True"),
    ),
    A(
        "qa_windows",
        "the mapping popped for the model",
        (
            "qa_windows = tokenizer(questions, contexts, "
            'truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, '
            'return_offsets_mapping=True, padding=True, return_tensors="pt")',
            'qa_windows.pop("overflow_to_sample_mapping")',
        ),
        names=("no `overflow_to_sample_mapping`",),
    ),
    A(
        "qa_windows",
        "only the ids",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", '
        "max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, "
        'return_tensors="pt")["input_ids"]',
        names=("not the tokenizer's output",),
    ),
    A(
        "qa_windows",
        "right",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, '
        'stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        expect="correct",
    ),
    A(
        "qa_windows",
        "right, padded to max_length",
        "qa_windows = tokenizer(questions, contexts, "
        'truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, '
        'return_offsets_mapping=True, padding="max_length", return_tensors="pt")',
        expect="correct",
    ),
    # --- answer_text(context, offsets, start, end) ---
    A(
        "answer_text",
        "token positions as characters",
        fn("answer_text", "    return context[start:end + 1]"),
        names=("token positions were used as character positions",),
    ),
    A(
        "answer_text",
        "stops where the last token starts",
        fn("answer_text", "    return context[offsets[start][0]:offsets[end][0]]"),
        names=("stops before the last token",),
    ),
    A(
        "answer_text",
        "lowercased",
        fn("answer_text", "    return context.lower()[offsets[start][0]:offsets[end][1]]"),
        names=("lowercased",),
    ),
    A(
        "answer_text",
        "offsets taken as counting from the window",
        fn(
            "answer_text",
            "    base = next(s for (s, e) in offsets[offsets.index((0, 0), 1) + 1:])\n"
            "    return context[offsets[start][0] - base:offsets[end][1] - base]",
        ),
        names=("counting from the start of the window",),
    ),
    A(
        "answer_text",
        "the positions, not the text",
        fn("answer_text", "    return offsets[start][0], offsets[end][1]"),
        names=("two numbers",),
    ),
    A(
        "answer_text",
        "decoding the context's own tokens",
        fn(
            "answer_text",
            "    ids = tokenizer(context)['input_ids']\n"
            "    return tokenizer.decode(ids[start:end + 1])",
        ),
        names=("not the characters of those tokens",),
    ),
    A(
        "answer_text",
        "one character too far",
        fn("answer_text", "    return context[offsets[start][0]:offsets[end][1] + 1]"),
        names=("one character too far",),
    ),
    A(
        "answer_text",
        "right",
        fn("answer_text", "    return context[offsets[start][0]:offsets[end][1]]"),
        expect="correct",
    ),
    A(
        "answer_text",
        "right, unpacked",
        fn(
            "answer_text",
            "    first, _ = offsets[start]\n    _, last = offsets[end]\n"
            "    return context[first:last]",
        ),
        expect="correct",
    ),
]
