"""What learners write for the exercises of section 7 (``07_longer_sequences.ipynb``)."""

from . import CORRECT, Rows

truncated_ids = Rows("truncated_ids")
truncate_ids = Rows("truncate_ids")
windows = Rows("windows")
document_label = Rows("document_label")
labels_by_document = Rows("labels_by_document")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- truncated_ids ---
    truncated_ids("truncated_wrong_length", "max_length 34 for the special tokens",
        'truncated_ids = tokenizer(document, truncation=True, max_length=34)["input_ids"]',
        "already counts [CLS] and [SEP]"),
    truncated_ids("truncated_wrong_length", "the model's limit",
        'truncated_ids = tokenizer(document, truncation=True)["input_ids"]',
        "model's limit"),
    truncated_ids("not_truncated", "padding instead of truncation",
        'truncated_ids = tokenizer(document, padding=True, max_length=32)["input_ids"]',
        "truncation=True", "not truncated"),
    truncated_ids("sep_lost", "slicing the ids",
        'truncated_ids = tokenizer(document)["input_ids"][:32]',
        "truncated the ids by hand and lost [SEP]"),
    truncated_ids("characters_cut", "slicing the characters",
        'truncated_ids = tokenizer(document[:32])["input_ids"]',
        "truncated characters instead of tokens"),
    truncated_ids("not_a_list", "a batch tensor",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32, return_tensors="pt")["input_ids"]',
        "a tensor, not a list"),
    truncated_ids("tokens_not_ids", "the tokens",
        "truncated_ids = tokenizer.tokenize(document)[:32]",
        "token strings, not ids", "convert_tokens_to_ids"),
    truncated_ids("tokenizer_output", "the whole output",
        "truncated_ids = tokenizer(document, truncation=True, max_length=32)",
        "tokenizer's whole output", "list of ids"),
    truncated_ids("tuple_not_list", "a tuple",
        'truncated_ids = tuple(tokenizer(document, truncation=True, max_length=32)["input_ids"])',
        "a tuple, not a list"),
    truncated_ids("one_id", "one id",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32)["input_ids"][0]',
        "one id"),
    truncated_ids("end_kept", "truncated on the left",
        (
            'tokenizer.truncation_side = "left"  # transformers 5 ignores truncation_side= in the call\n'
            'truncated_ids = tokenizer(document, truncation=True, max_length=32)["input_ids"]\n'
            'tokenizer.truncation_side = "right"'
        ),
        "the end of the review"),
    truncated_ids("truncated_no_special_tokens", "no special tokens",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32, add_special_tokens=False)["input_ids"]',
        "special tokens are missing"),
    truncated_ids("truncated_no_special_tokens", "ids of the tokens, sliced",
        "truncated_ids = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(document))[:32]",
        "special tokens are missing"),
    truncated_ids("truncated_wrong_length", "max_length 31",
        'truncated_ids = tokenizer(document, truncation=True, max_length=31)["input_ids"]',
        "wrong length", "truncated to 31 tokens"),
    truncated_ids("not_truncated", "not truncated at all",
        'truncated_ids = tokenizer(document)["input_ids"]',
        "not truncated"),
    truncated_ids("text", "the text cut",
        "truncated_ids = document[:32]",
        "text"),
    truncated_ids("empty", "an empty list",
        "truncated_ids = []",
        "empty"),
    truncated_ids("floats", "floats",
        "truncated_ids = [101.0] * 32",
        "floats"),
    truncated_ids("truncated_no_special_tokens", "an id no token has",
        "truncated_ids = [-(2**63)]",
        "special tokens are missing"),
    truncated_ids(CORRECT, "right",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32)["input_ids"]'),
    truncated_ids(CORRECT, "right, encode",
        "truncated_ids = tokenizer.encode(document, truncation=True, max_length=32)"),
    truncated_ids(CORRECT, "right, max_length alone",
        'truncated_ids = tokenizer(document, max_length=32)["input_ids"]'),
    # --- truncate_ids ---
    truncate_ids("result_sep_lost", "drops [SEP]",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids[:max_length])"
        ),
        "lost [SEP]"),
    truncate_ids("too_long", "off by one",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length] + [ids[-1]]"
        ),
        "too long"),
    truncate_ids("did_not_raise", "no ValueError",
        (
            "def truncate_ids(ids, max_length):\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        ),
        "did not raise ValueError on max_length=1"),
    truncate_ids("same_list_returned", "the same list back",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return ids if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        ),
        "not a new list", "list(ids)"),
    truncate_ids("mutated_arguments", "changes the given list",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    del ids[max_length - 1:-1]\n"
            "    return list(ids)"
        ),
        "changed the lists it was given"),
    truncate_ids("fitting_sequence_changed", "always cuts",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return ids[:max_length - 1] + [ids[-1]]"
        ),
        "already fits"),
    truncate_ids("returned_not_a_list", "a tuple",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return tuple(ids) if len(ids) <= max_length else tuple(ids[:max_length - 1]) + (ids[-1],)"
        ),
        "returned a tuple, not a list"),
    truncate_ids("returned_not_a_list", "a tensor",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    cut = ids if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]\n"
            "    return torch.tensor(cut)"
        ),
        "returned a tensor, not a list"),
    truncate_ids("decoded_and_retokenized", "decode and re-encode",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    if len(ids) <= max_length:\n"
            "        return list(ids)\n"
            "    return tokenizer(tokenizer.decode(ids[1:-1]), truncation=True, max_length=max_length)['input_ids']"
        ),
        "decoded and tokenized again", "cached ids"),
    truncate_ids("too_short", "off by one, too short",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 2] + [ids[-1]]"
        ),
        "too short"),
    truncate_ids("result_end_kept", "keeps the end",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else [ids[0]] + ids[-(max_length - 1):]"
        ),
        "end of the text instead of its beginning"),
    truncate_ids("no_cls_first", "drops [CLS]",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[1:max_length] + [ids[-1]]"
        ),
        "does not start with [CLS]"),
    truncate_ids("did_not_raise", "TypeError for a short max_length",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise TypeError('too small')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        ),
        "raised TypeError"),
    truncate_ids("raised_with_room", "raises for max_length=2 too",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length <= 2:\n"
            "        raise ValueError('too short')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        ),
        "raised ValueError", "max_length=2 leaves room", "not `<= 2`"),
    truncate_ids("returned_none", "returns None",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    cut = list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        ),
        "returned None"),
    truncate_ids("not_a_function", "a list, not a function",
        "truncate_ids = [101, 102]",
        "not a function"),
    truncate_ids("raised", "an IndexError",
        (
            "def truncate_ids(ids, max_length):\n"
            "    return [][0]"
        ),
        "raised IndexError"),
    # "then the last id": 102 is [SEP] only for the course's tokenizer (COURSE_CHECKPOINT can name another)
    truncate_ids("last_id_replaced", "a constant 102",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [102]"
        ),
        "list's own last id", "[SEP] is 2", "102 is the course tokenizer's [SEP], written in", "ids[-1]"),
    truncate_ids(CORRECT, "right",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        )),
    truncate_ids(CORRECT, "right, copy",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    if len(ids) <= max_length:\n"
            "        return ids.copy()\n"
            "    return ids[:max_length - 1] + ids[-1:]"
        )),
    # --- windows ---
    windows("overlap", "stride as the step",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=48, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "overlap"),
    windows("not_cut", "no truncation",
        "windows = tokenizer(document, max_length=64, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "not cut", "truncation=True"),
    windows("ragged_windows", "no padding",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True)",
        "ragged"),
    windows("python_list", "lists",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding=True)",
        "Python list, not a tensor"),
    windows("window_length", "windows of 128",
        "windows = tokenizer(document, truncation=True, max_length=128, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "64"),
    windows("one_window", "no overflow",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, padding=True, return_tensors='pt')",
        "one window", "return_overflowing_tokens"),
    windows("overlap", "stride 46 as the step",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=46, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "overlap by 46 tokens", "not how far each window moves on"),
    windows("overlap", "stride 0",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=0, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "overlap by 0 tokens"),
    windows("window_length", "windows of 128, stride 32",
        "windows = tokenizer(document, truncation=True, max_length=128, stride=32, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "at most max_length = 64"),
    windows("window_special_tokens", "cut by hand, no special tokens",
        (
            "ids = tokenizer(document, add_special_tokens=False)['input_ids']\n"
            "rows = [ids[i:i + 64] for i in range(0, len(ids), 48)]\n"
            "rows = [r + [tokenizer.pad_token_id] * (64 - len(r)) for r in rows]\n"
            "windows = {'input_ids': torch.tensor(rows)}"
        ),
        "lack [CLS] or [SEP]"),
    windows("single_tensor", "the ids alone",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')['input_ids']",
        "not the tokenizer's output"),
    windows("no_attention_mask", "a dict without the mask",
        "windows = {'input_ids': tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')['input_ids']}",
        "no `attention_mask`"),
    windows("mask_inverted", "an inverted mask",
        (
            "batch = tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')\n"
            "windows = {'input_ids': batch['input_ids'], 'attention_mask': 1 - batch['attention_mask']}"
        ),
        "inverted"),
    windows("several_texts", "two texts",
        "windows = tokenizer([document, 'Too loud.'], truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')",
        "windows of 2 texts"),
    windows(CORRECT, "right",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding=True, return_tensors='pt')"),
    windows(CORRECT, "right, padding='longest'",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, return_overflowing_tokens=True, padding='longest', return_tensors='pt')"),
    # --- document_label ---
    document_label("wrong_combination", "mean of the logits",
        (
            "def document_label(window_logits):\n"
            "    return int(window_logits.mean(dim=0).argmax())"
        ),
        "mean of the logits"),
    document_label("wrong_combination", "a sigmoid",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.sigmoid(window_logits).mean(dim=0).argmax())"
        ),
        "a sigmoid of each logit"),
    document_label("wrong_combination", "first window",
        (
            "def document_label(window_logits):\n"
            "    return int(window_logits[0].argmax())"
        ),
        "first window only"),
    document_label("wrong_combination", "last window",
        (
            "def document_label(window_logits):\n"
            "    return int(window_logits[-1].argmax())"
        ),
        "last window only"),
    document_label("wrong_combination", "softmax over windows",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.softmax(window_logits, dim=0).mean(dim=0).argmax())"
        ),
        "softmax over the windows"),
    document_label("label_not_int", "a 0-d tensor",
        (
            "def document_label(window_logits):\n"
            "    return torch.softmax(window_logits, dim=-1).mean(dim=0).argmax()"
        ),
        "a tensor, not an int", "KeyError"),
    document_label("label_text", "the label name",
        (
            "def document_label(window_logits):\n"
            "    return model.config.id2label[int(torch.softmax(window_logits, -1).mean(0).argmax())]"
        ),
        "returned text"),
    document_label("label_not_a_number", "the probability",
        (
            "def document_label(window_logits):\n"
            "    return float(torch.softmax(window_logits, -1).mean(0).max())"
        ),
        "a float"),
    document_label("wrong_combination", "majority vote",
        (
            "def document_label(window_logits):\n"
            "    votes = window_logits.argmax(dim=-1)\n"
            "    return int(votes.mode().values)"
        ),
        "majority vote"),
    document_label("label_not_int", "a NumPy integer",
        (
            "def document_label(window_logits):\n"
            "    return torch.softmax(window_logits, -1).mean(0).argmax().numpy()"
        ),
        "not an int"),
    document_label("wrong_combination", "votes counted with bincount",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.bincount(window_logits.argmax(-1), minlength=window_logits.shape[-1]).argmax())"
        ),
        "majority vote"),
    document_label("wrong_combination", "the most confident window",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.softmax(window_logits, -1).max(dim=0).values.argmax())"
        ),
        "most confident window"),
    document_label("wrong_combination", "the largest logit",
        (
            "def document_label(window_logits):\n"
            "    return int(window_logits.max(dim=0).values.argmax())"
        ),
        "largest logit of any window"),
    document_label("label_text", "the label text written in",
        (
            "def document_label(window_logits):\n"
            "    return 'POSITIVE'"
        ),
        "returned text"),
    document_label("label_not_int", "one label per window",
        (
            "def document_label(window_logits):\n"
            "    return torch.softmax(window_logits, -1).argmax(-1)"
        ),
        "not an int"),
    document_label("returned_none", "returns None",
        (
            "def document_label(window_logits):\n"
            "    label = int(torch.softmax(window_logits, -1).mean(0).argmax())"
        ),
        "returned None"),
    document_label("label_out_of_range", "a label that does not exist",
        (
            "def document_label(window_logits):\n"
            "    return 7"
        ),
        "label id from 0"),
    document_label("wrong_combination", "the mean over dim 1",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.softmax(window_logits, dim=-1).mean(dim=1).argmax())"
        ),
        "mean over each window's labels (`dim=1`)", "picks a window, not a label"),
    document_label("two_labels_assumed", "positive above one half",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.softmax(window_logits, dim=-1).mean(dim=0)[1] > 0.5)"
        ),
        "more than two labels", "argmax over all of them"),
    document_label("single_window", "squeezed first",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.softmax(window_logits.squeeze(), dim=-1).mean(dim=0).argmax())"
        ),
        "only when there is a single window", ".squeeze()"),
    document_label("exp_overflow", "a softmax by hand, no max subtracted",
        (
            "def document_label(window_logits):\n"
            "    e = torch.exp(window_logits)\n"
            "    return int((e / e.sum(dim=-1, keepdim=True)).mean(dim=0).argmax())"
        ),
        "only where the logits are large", "subtract each row's max"),
    document_label(CORRECT, "right, a softmax by hand with the max subtracted",
        (
            "def document_label(window_logits):\n"
            "    e = torch.exp(window_logits - window_logits.max(dim=-1, keepdim=True).values)\n"
            "    return int((e / e.sum(dim=-1, keepdim=True)).mean(dim=0).argmax())"
        ),
        ),
    document_label(CORRECT, "right",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.softmax(window_logits, dim=-1).mean(dim=0).argmax())"
        )),
    document_label(CORRECT, "right, sum",
        (
            "def document_label(window_logits):\n"
            "    return int(window_logits.softmax(-1).sum(0).argmax())"
        )),
    document_label(CORRECT, "right, .item()",
        (
            "def document_label(window_logits):\n"
            "    return torch.softmax(window_logits, dim=-1).mean(dim=0).argmax().item()"
        )),
    # --- labels_by_document ---
    labels_by_document("one_label_for_all", "the mean over every window",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    return [int(torch.softmax(window_logits, dim=-1).mean(dim=0).argmax())]'
        ),
        "one label for all the documents", "overflow_to_sample_mapping"),
    labels_by_document("label_per_window", "a label per window",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    return torch.softmax(window_logits, dim=-1).argmax(dim=-1).tolist()'
        ),
        "one per window", "grouped"),
    labels_by_document("label_mean_logits", "the mean of each document's logits",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    mapping = overflow_to_sample_mapping\n'
            '    return [int(window_logits[mapping == d].mean(dim=0).argmax()) for d in range(int(mapping.max()) + 1)]'
        ),
        "mean of the logits", "softmax first"),
    labels_by_document("label_first_window", "each document's first window",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    mapping = overflow_to_sample_mapping.tolist()\n'
            '    return [int(window_logits[mapping.index(d)].argmax()) for d in range(max(mapping) + 1)]'
        ),
        "first window only"),
    labels_by_document("label_even_split", "the windows split evenly",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    documents = int(overflow_to_sample_mapping.max()) + 1\n'
            '    parts = torch.softmax(window_logits, dim=-1).chunk(documents)\n'
            '    return [int(part.mean(dim=0).argmax()) for part in parts]'
        ),
        "split evenly", "not by position"),
    labels_by_document("label_majority_vote", "a majority vote per document",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    votes = window_logits.argmax(dim=-1)\n'
            '    mapping = overflow_to_sample_mapping\n'
            '    return [int(torch.mode(votes[mapping == d]).values) for d in range(int(mapping.max()) + 1)]'
        ),
        "vote", "how sure"),
    labels_by_document("label_softmax_over_windows", "the softmax over the windows",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    probabilities = torch.softmax(window_logits, dim=0)\n'
            '    mapping = overflow_to_sample_mapping\n'
            '    return [int(probabilities[mapping == d].mean(dim=0).argmax()) for d in range(int(mapping.max()) + 1)]'
        ),
        "over the windows (`dim=0`)", "dim=-1"),
    labels_by_document("last_document_missing", "range of the largest document id",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    probabilities = torch.softmax(window_logits, dim=-1)\n'
            '    mapping = overflow_to_sample_mapping\n'
            '    return [int(probabilities[mapping == d].mean(dim=0).argmax()) for d in range(int(mapping.max()))]'
        ),
        "but the last", "+ 1"),
    labels_by_document("label_last_window", "a dict of document to label, window by window",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    best = {}\n'
            '    for d, row in zip(overflow_to_sample_mapping.tolist(), window_logits.softmax(dim=-1)):\n'
            '        best[d] = int(row.argmax())\n'
            '    return list(best.values())'
        ),
        "last window only"),
    labels_by_document("label_per_window", "a set of the document ids",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    probabilities = torch.softmax(window_logits, dim=-1)\n'
            '    mapping = overflow_to_sample_mapping\n'
            '    return [int(probabilities[mapping == d].mean(dim=0).argmax()) for d in set(mapping)]'
        ),
        "once per window", "hash by identity"),
    labels_by_document("notebook_variables", "the notebook's cell, with its reviews and mapping",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    window_probabilities = torch.softmax(window_logits, dim=-1)\n'
            '    counts = torch.bincount(owner, minlength=len(long_reviews))\n'
            '    sums = torch.zeros(len(long_reviews), window_probabilities.shape[-1]).index_add_(0, owner, window_probabilities)\n'
            '    return [int(row.argmax()) for row in sums / counts.unsqueeze(-1)]'
        ),
        "the notebook's own windows", "int(overflow_to_sample_mapping.max()) + 1"),
    labels_by_document("labels_tensor", "a tensor",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    probabilities = torch.softmax(window_logits, dim=-1)\n'
            '    mapping = overflow_to_sample_mapping\n'
            '    return torch.stack([probabilities[mapping == d].mean(dim=0) for d in range(int(mapping.max()) + 1)]).argmax(dim=-1)'
        ),
        "a tensor, not a list", ".tolist()"),
    labels_by_document("returned_none", "no return",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    labels = [0]'
        ),
        "returned None"),
    labels_by_document(CORRECT, "right, a mask per document",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    probabilities = torch.softmax(window_logits, dim=-1)\n'
            '    mapping = overflow_to_sample_mapping\n'
            '    return [int(probabilities[mapping == d].mean(dim=0).argmax()) for d in range(int(mapping.max()) + 1)]'
        ),
        ),
    labels_by_document(CORRECT, "right, index_add_ and bincount",
        (
            "def labels_by_document(window_logits, overflow_to_sample_mapping):\n"
            '    probabilities = torch.softmax(window_logits, dim=-1)\n'
            '    owner = torch.as_tensor(overflow_to_sample_mapping)\n'
            '    counts = torch.bincount(owner)\n'
            '    sums = torch.zeros(len(counts), probabilities.shape[-1]).index_add_(0, owner, probabilities)\n'
            '    return (sums / counts.unsqueeze(-1)).argmax(dim=-1).tolist()'
        ),
        ),
]
# fmt: on
