"""What learners write for the exercises of section 7 (``07_longer_sequences.ipynb``)."""

from . import CORRECT, Rows

truncated_ids = Rows("truncated_ids")
truncate_ids = Rows("truncate_ids")
windows = Rows("windows")
document_label = Rows("document_label")

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
        "truncation=True"),
    truncated_ids("sep_lost", "slicing the ids",
        'truncated_ids = tokenizer(document)["input_ids"][:32]',
        "[SEP]"),
    truncated_ids("characters_cut", "slicing the characters",
        'truncated_ids = tokenizer(document[:32])["input_ids"]',
        "characters"),
    truncated_ids("not_a_list", "a batch tensor",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32, return_tensors="pt")["input_ids"]',
        "a tensor, not a list"),
    truncated_ids("tokens_not_ids", "the tokens",
        "truncated_ids = tokenizer.tokenize(document)[:32]",
        "token strings, not ids", "convert_tokens_to_ids"),
    truncated_ids("tokenizer_output", "the whole output",
        "truncated_ids = tokenizer(document, truncation=True, max_length=32)",
        "tokenizer's whole output", "list of ids"),
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
        "[SEP]"),
    truncate_ids("too_long", "off by one",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length] + [ids[-1]]"
        ),
        "max_length"),
    truncate_ids("did_not_raise", "no ValueError",
        (
            "def truncate_ids(ids, max_length):\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]"
        ),
        "ValueError"),
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
        "changed"),
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
        "decoded and tokenized again"),
    truncate_ids(CORRECT, "a constant 102",
        (
            "def truncate_ids(ids, max_length):\n"
            "    if max_length < 2:\n"
            "        raise ValueError('no room for [CLS] and [SEP]')\n"
            "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [102]"
        )),
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
        "truncation=True"),
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
        "return_overflowing_tokens"),
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
        "logits"),
    document_label("wrong_combination", "a sigmoid",
        (
            "def document_label(window_logits):\n"
            "    return int(torch.sigmoid(window_logits).mean(dim=0).argmax())"
        ),
        "sigmoid"),
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
        "not an int"),
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
        "float"),
    document_label("wrong_combination", "majority vote",
        (
            "def document_label(window_logits):\n"
            "    votes = window_logits.argmax(dim=-1)\n"
            "    return int(votes.mode().values)"
        ),
        "vote"),
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
]
# fmt: on
