"""What learners write for the exercises of section 9 (``09_pairs_of_sequences.ipynb``), in the order they might."""

from . import CORRECT, NOT_ATTEMPTED, Rows

pair = Rows("pair")
token_types = Rows("token_types")
qa_inputs = Rows("qa_inputs")
qa_windows = Rows("qa_windows")
answer_text = Rows("answer_text")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- pair ---
    pair("wrong_length", "the second text cut to fit 16 tokens",
        'pair = tokenizer(first, second, truncation="only_second", max_length=16, return_tensors="pt")',
        "the tokenizer truncated the sequence to 16 ids", "nothing is to be cut here"),
    pair("joined", "the texts joined into one string",
        'pair = tokenizer(first + " " + second, return_tensors="pt")',
        "joined into one string", "tokenizer(first, second"),
    pair("types_of_one_sequence", "a [SEP] typed into the text",
        'pair = tokenizer(first + " [SEP] " + second, return_tensors="pt")',
        "all 0", "typed into one text"),
    pair("types_of_one_sequence", "token types set to 0 afterwards",
        (
            'pair = tokenizer(first, second, return_tensors="pt")\n'
            'pair["token_type_ids"] = torch.zeros_like(pair["token_type_ids"])'
        ),
        "beside the pair's right ids", "setting the token types to 0 afterwards"),
    pair("two_sequences", "a list of the two texts: a batch of two",
        'pair = tokenizer([first, second], padding=True, return_tensors="pt")',
        "batch of two separate sequences"),
    pair("python_list", "no return_tensors",
        "pair = tokenizer(first, second)",
        "Python list", "return_tensors"),
    pair("swapped", "the texts in the wrong order",
        'pair = tokenizer(second, first, return_tensors="pt")',
        "wrong order"),
    pair("single_tensor", "only the input ids",
        'pair = tokenizer(first, second, return_tensors="pt")["input_ids"]',
        "not the tokenizer's output", "['input_ids']"),
    pair("single_tensor", "encode() gives only the ids",
        'pair = tokenizer.encode(first, second, return_tensors="pt")',
        "not the tokenizer's output"),
    pair("numpy_array", "NumPy arrays",
        'pair = tokenizer(first, second, return_tensors="np")',
        "NumPy array"),
    pair("padded_to_model_max", "padded to the maximum length",
        'pair = tokenizer(first, second, padding="max_length", return_tensors="pt")',
        "maximum length"),
    pair("no_special_tokens", "no special tokens",
        'pair = tokenizer(first, second, add_special_tokens=False, return_tensors="pt")',
        "without [CLS] and [SEP]"),
    pair("no_token_type_ids", "token types switched off",
        'pair = tokenizer(first, second, return_token_type_ids=False, return_tensors="pt")',
        "no `token_type_ids`"),
    pair("pair_sequence_count", "the tokens of each text instead of the texts",
        'pair = tokenizer(tokenizer.tokenize(first), tokenizer.tokenize(second), return_tensors="pt")',
        "sequences", "a batch"),
    pair("first_only", "only the first text",
        'pair = tokenizer(first, return_tensors="pt")',
        "only the first text"),
    pair(NOT_ATTEMPTED, "the starter code left",
        (
            "pair = None  # replace None with your answer\n"
            "# YOUR CODE HERE\n"
            "raise NotImplementedError()"
        ),
        "replace the starter code"),
    pair(CORRECT, "right", 'pair = tokenizer(first, second, return_tensors="pt")'),
    pair(CORRECT, "right, keywords", 'pair = tokenizer(text=first, text_pair=second, return_tensors="pt")'),
    pair(CORRECT, "right, a batch of one pair", 'pair = tokenizer([first], [second], return_tensors="pt")'),
    pair(CORRECT, "right, padding and truncation on",
        'pair = tokenizer(first, second, padding=True, truncation=True, return_tensors="pt")'),
    # --- token_types ---
    token_types("first_sep_type_one", "the first [SEP] counted in the second sequence",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "    return types"
        ),
        "first [SEP] has token type 1"),
    token_types("padding_type_one", "the padding marked as the second sequence",
        (
            "def token_types(input_ids):\n"
            "    first_sep = input_ids.index(tokenizer.sep_token_id)\n"
            "    return [0] * (first_sep + 1) + [1] * (len(input_ids) - first_sep - 1)"
        ),
        "padding has token type 1"),
    token_types("types_all_zero", "all zeros",
        (
            "def token_types(input_ids):\n"
            "    return [0] * len(input_ids)"
        ),
        "every token type is 0"),
    token_types("returned_tensor", "a tensor",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return torch.tensor(types)"
        ),
        "a tensor", ".tolist()"),
    token_types("mutated_arguments", "writes the types into input_ids",
        (
            "def token_types(input_ids):\n"
            "    second = False\n"
            "    for i, token in enumerate(input_ids):\n"
            "        input_ids[i] = 0 if token == tokenizer.pad_token_id else int(second)\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return input_ids"
        ),
        "changed the lists", "new list"),
    token_types("types_not_ints", "True/False instead of 0/1",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        types.append(second and token != tokenizer.pad_token_id)\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return types"
        ),
        "bool values"),
    token_types("last_sep_type_zero", "the final [SEP] left at 0",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        special = token in (tokenizer.sep_token_id, tokenizer.pad_token_id)\n"
            "        types.append(1 if second and not special else 0)\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return types"
        ),
        "ends the second text has token type 0"),
    token_types("returned_none", "prints instead of returning",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    print(types)"
        ),
        "returned None"),
    token_types("returned_tuple", "a tuple",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return tuple(types)"
        ),
        "tuple"),
    token_types("types_count", "one value short",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return types[:-1]"
        ),
        "values for"),
    token_types(CORRECT, "right",
        (
            "def token_types(input_ids):\n"
            "    types, second = [], False\n"
            "    for token in input_ids:\n"
            "        types.append(0 if token == tokenizer.pad_token_id else int(second))\n"
            "        if token == tokenizer.sep_token_id:\n"
            "            second = True\n"
            "    return types"
        )),
    token_types(CORRECT, "right, with index()",
        (
            "def token_types(input_ids):\n"
            "    cut = input_ids.index(tokenizer.sep_token_id)\n"
            "    return [int(i > cut and token != tokenizer.pad_token_id) for i, token in enumerate(input_ids)]"
        )),
    # --- qa_inputs ---
    qa_inputs("windows_returned", "windows, just in case",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length,\n"
            "                     return_overflowing_tokens=True)['input_ids']"
        ),
        "a list of lists of ids", "one list of ids per window"),
    qa_inputs("question_cut", "truncation=True: longest_first",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation=True, max_length=max_length)['input_ids']"
        ),
        "question was cut too", "longest_first"),
    qa_inputs("raised", "only_first",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_first', max_length=max_length)['input_ids']"
        ),
        "raised Exception", "`only_first` cuts the first"),
    qa_inputs("raised", "the context first, only_second",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(context, question, truncation='only_second', max_length=max_length)['input_ids']"
        ),
        "Truncation error", "which text comes first"),
    qa_inputs("sep_cut_by_hand", "cut by hand",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context)['input_ids'][:max_length]"
        ),
        "lost the final [SEP]"),
    qa_inputs("not_truncated", "not truncated",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context)['input_ids']"
        ),
        "not truncated"),
    qa_inputs("tokenizer_output", "the whole tokenizer output",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length)"
        ),
        "whole output", "['input_ids']"),
    qa_inputs("returned_tensor", "a tensor",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length, return_tensors='pt')['input_ids']"
        ),
        "a tensor", "list"),
    qa_inputs("tokens_not_ids", "tokens instead of ids",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer.tokenize(question, context, truncation='only_second', max_length=max_length)"
        ),
        "tokens (strings)"),
    qa_inputs("joined_string", "one joined string",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question + ' ' + context, truncation=True, max_length=max_length)['input_ids']"
        ),
        "joined into one string"),
    qa_inputs("padded_to_max_length", "padded to max_length",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length, padding='max_length')['input_ids']"
        ),
        "padded to max_length"),
    qa_inputs("characters_cut", "the context cut in characters",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context[:max_length])['input_ids']"
        ),
        "characters"),
    qa_inputs("cut_too_short", "room left for the special tokens twice",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length - 3)['input_ids']"
        ),
        "already counts [CLS]"),
    qa_inputs("raised", "a stride as large as the room: the tokenizer panics",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length,\n"
            "                     stride=max_length - 4, return_overflowing_tokens=True)['input_ids'][0]"
        ),
        "panicked"),
    qa_inputs(CORRECT, "right",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer(question, context, truncation='only_second', max_length=max_length)['input_ids']"
        )),
    qa_inputs(CORRECT, "right, encode()",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    return tokenizer.encode(question, context, truncation='only_second', max_length=max_length)"
        )),
    qa_inputs(CORRECT, "right, a batch of one and .tolist()",
        (
            "def qa_inputs(question, context, max_length):\n"
            "    batch = tokenizer([question], [context], truncation='only_second', max_length=max_length, return_tensors='pt')\n"
            "    return batch['input_ids'][0].tolist()"
        )),
    # --- qa_windows ---
    qa_windows("one_window_per_pair", "no overflow",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        "one window per pair", "return_overflowing_tokens"),
    qa_windows("overlap", "stride taken as the step",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=96, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        "not the step"),
    qa_windows("overlap", "the demo's settings",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=64, stride=16, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        "share 16 context tokens", "stride = 32"),
    qa_windows("one_pair_only", "only the first pair",
        'qa_windows = tokenizer(questions[0], contexts[0], truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        "only one pair"),
    qa_windows("question_not_whole", "contexts first, only_first",
        'qa_windows = tokenizer(contexts, questions, truncation="only_first", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        "context comes first"),
    qa_windows("no_offset_mapping", "no offsets",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, padding=True, return_tensors="pt")',
        "no `offset_mapping`", "return_offsets_mapping=True"),
    qa_windows("cell_raised", "no padding: the cell raises",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, return_tensors="pt")',
        "raised ValueError", "padding=True"),
    qa_windows("no_sample_mapping", "the mapping popped for the model",
        ('qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")', 'qa_windows.pop("overflow_to_sample_mapping")',),
        "no `overflow_to_sample_mapping`"),
    qa_windows("single_tensor", "only the ids",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")["input_ids"]',
        "not the tokenizer's output"),
    qa_windows("python_list", "lists",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True)',
        "Python list"),
    qa_windows("numpy_array", "NumPy arrays",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="np")',
        "NumPy array"),
    qa_windows("window_length", "windows of 160",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=160, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")',
        "160 tokens long"),
    qa_windows("separate_outputs", "each pair on its own",
        (
            "qa_windows = [\n"
            '    tokenizer(q, c, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True,\n'
            '              return_offsets_mapping=True, padding=True, return_tensors="pt")\n'
            "    for q, c in zip(questions, contexts)\n"
            "]"
        ),
        "list of 2 tokenizer outputs", "one call on the lists"),
    qa_windows(CORRECT, "right",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")'),
    qa_windows(CORRECT, "right, padded to max_length",
        'qa_windows = tokenizer(questions, contexts, truncation="only_second", max_length=128, stride=32, return_overflowing_tokens=True, return_offsets_mapping=True, padding="max_length", return_tensors="pt")'),
    # --- answer_text ---
    answer_text("token_positions_as_characters", "token positions as characters",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context[start:end + 1]"
        ),
        "token positions were used as character positions"),
    answer_text("stops_before_last_token", "stops where the last token starts",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context[offsets[start][0]:offsets[end][0]]"
        ),
        "stops before the last token"),
    answer_text("lowercased", "lowercased",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context.lower()[offsets[start][0]:offsets[end][1]]"
        ),
        "lowercased"),
    answer_text("offsets_from_window", "offsets taken as counting from the window",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    base = next(s for (s, e) in offsets[offsets.index((0, 0), 1) + 1:])\n"
            "    return context[offsets[start][0] - base:offsets[end][1] - base]"
        ),
        "counting from the start of the window"),
    answer_text("positions_not_text", "the positions, not the text",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return offsets[start][0], offsets[end][1]"
        ),
        "two numbers"),
    answer_text("context_tokens_decoded", "decoding the context's own tokens",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    ids = tokenizer(context)['input_ids']\n"
            "    return tokenizer.decode(ids[start:end + 1])"
        ),
        "tokens of the context alone, not of the window"),
    answer_text("text_not_from_context", "the notebook's example answer written in",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return \"to celebrate my mother's retirement\""
        ),
        "does not occur in the context at all"),
    answer_text("words_as_tokens", "the context's words at the token positions",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return ' '.join(context.split()[start:end + 1])"
        ),
        "used as word positions"),
    answer_text("pieces_joined_with_spaces", "each token's characters joined with spaces",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return ' '.join(context[s:e] for s, e in offsets[start:end + 1])"
        ),
        "joined with a space", "splits words"),
    answer_text("pieces_joined", "each token's characters joined",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return ''.join(context[s:e] for s, e in offsets[start:end + 1])"
        ),
        "joined with nothing between them", "spaces between words"),
    answer_text("one_character_too_far", "one character too far",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context[offsets[start][0]:offsets[end][1] + 1]"
        ),
        "one character too far"),
    answer_text("stops_before_last_token", "ends at the token before the last",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context[offsets[start][0]:offsets[end - 1][1]]"
        ),
        "stops before the last token"),
    answer_text("spaces_around", "a space added",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return ' ' + context[offsets[start][0]:offsets[end][1]]"
        ),
        "spaces around it"),
    answer_text("not_a_string", "bytes",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context[offsets[start][0]:offsets[end][1]].encode()"
        ),
        "did not return a string"),
    answer_text(CORRECT, "right",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    return context[offsets[start][0]:offsets[end][1]]"
        )),
    answer_text(CORRECT, "right, unpacked",
        (
            "def answer_text(context, offsets, start, end):\n"
            "    first, _ = offsets[start]\n"
            "    _, last = offsets[end]\n"
            "    return context[first:last]"
        )),
]
# fmt: on
