"""What learners write for section 7 (``07_longer_sequences.ipynb``)."""

from tests.corpus.runner import Attempt

A = Attempt


def T(what: str, source: str, *names: str, expect: str = "incorrect") -> Attempt:
    return A("truncated_ids", what, source, expect=expect, names=names)


def F(what: str, body: str, *names: str, expect: str = "incorrect") -> Attempt:
    return A(
        "truncate_ids",
        what,
        "def truncate_ids(ids, max_length):\n" + body,
        expect=expect,
        names=names,
    )


def W(what: str, source: str, *names: str, expect: str = "incorrect") -> Attempt:
    return A("windows", what, source, expect=expect, names=names)


def L(what: str, body: str, *names: str, expect: str = "incorrect") -> Attempt:
    return A(
        "document_label",
        what,
        "def document_label(window_logits):\n" + body,
        expect=expect,
        names=names,
    )


CHECK = "    if max_length < 2:\n        raise ValueError('no room for [CLS] and [SEP]')\n"
WINDOWS = "tokenizer(document, truncation=True, max_length={n}, stride={s}, return_overflowing_tokens=True{more})"

ATTEMPTS = [
    # --- truncated_ids: a list of 32 ids from the tokenizer's truncation ---
    T(
        "max_length 34 for the special tokens",
        'truncated_ids = tokenizer(document, truncation=True, max_length=34)["input_ids"]',
        "already counts [CLS] and [SEP]",
    ),
    T(
        "the model's limit",
        'truncated_ids = tokenizer(document, truncation=True)["input_ids"]',
        "model's limit",
    ),
    T(
        "padding instead of truncation",
        'truncated_ids = tokenizer(document, padding=True, max_length=32)["input_ids"]',
        "truncation=True",
    ),
    T("slicing the ids", 'truncated_ids = tokenizer(document)["input_ids"][:32]', "[SEP]"),
    T(
        "slicing the characters",
        'truncated_ids = tokenizer(document[:32])["input_ids"]',
        "characters",
    ),
    T(
        "a batch tensor",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32, return_tensors="pt")'
        '["input_ids"]',
        "a tensor, not a list",
    ),
    T(
        "the tokens",
        "truncated_ids = tokenizer.tokenize(document)[:32]",
        "token strings, not ids",
        "convert_tokens_to_ids",
    ),
    T(
        "the whole output",
        "truncated_ids = tokenizer(document, truncation=True, max_length=32)",
        "whole tokenizer output",
        "list of ids",
    ),
    T(
        "right",
        'truncated_ids = tokenizer(document, truncation=True, max_length=32)["input_ids"]',
        expect="correct",
    ),
    T(
        "right, encode",
        "truncated_ids = tokenizer.encode(document, truncation=True, max_length=32)",
        expect="correct",
    ),
    T(
        "right, max_length alone",
        'truncated_ids = tokenizer(document, max_length=32)["input_ids"]',
        expect="correct",
    ),
    # --- truncate_ids: a new list, [CLS] + first tokens + [SEP], ValueError below 2 ---
    F("drops [SEP]", CHECK + "    return list(ids[:max_length])", "[SEP]"),
    F(
        "off by one",
        CHECK + "    return list(ids) if len(ids) <= max_length else ids[:max_length] + [ids[-1]]",
        "max_length",
    ),
    F(
        "no ValueError",
        "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]",
        "ValueError",
    ),
    F(
        "the same list back",
        CHECK + "    return ids if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]",
        "not a new list",
        "list(ids)",
    ),
    F(
        "changes the given list",
        CHECK + "    del ids[max_length - 1:-1]\n    return list(ids)",
        "changed",
    ),
    F("always cuts", CHECK + "    return ids[:max_length - 1] + [ids[-1]]", "already fits"),
    F(
        "a tuple",
        CHECK
        + "    return tuple(ids) if len(ids) <= max_length else tuple(ids[:max_length - 1]) + (ids[-1],)",
        "returned a tuple, not a list",
    ),
    F(
        "a tensor",
        CHECK + "    cut = ids if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]\n"
        "    return torch.tensor(cut)",
        "returned a tensor, not a list",
    ),
    F(
        "decode and re-encode",
        CHECK + "    if len(ids) <= max_length:\n        return list(ids)\n"
        "    return tokenizer(tokenizer.decode(ids[1:-1]), truncation=True, max_length=max_length)['input_ids']",
        "decoded and tokenized again",
    ),
    F(
        "a constant 102",
        CHECK + "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [102]",
        expect="correct",
    ),
    F(
        "right",
        CHECK
        + "    return list(ids) if len(ids) <= max_length else ids[:max_length - 1] + [ids[-1]]",
        expect="correct",
    ),
    F(
        "right, copy",
        CHECK + "    if len(ids) <= max_length:\n        return ids.copy()\n"
        "    return ids[:max_length - 1] + ids[-1:]",
        expect="correct",
    ),
    # --- windows: 64-token windows overlapping by 16, padded, tensors ---
    W(
        "stride as the step",
        WINDOWS.format(n=64, s=48, more=", padding=True, return_tensors='pt'").join(
            ["windows = ", ""]
        ),
        "overlap",
    ),
    W(
        "no truncation",
        "windows = "
        + WINDOWS.replace("truncation=True, ", "").format(
            n=64, s=16, more=", padding=True, return_tensors='pt'"
        ),
        "truncation=True",
    ),
    W("no padding", "windows = " + WINDOWS.format(n=64, s=16, more=""), "ragged"),
    W(
        "lists",
        "windows = " + WINDOWS.format(n=64, s=16, more=", padding=True"),
        "Python list, not a tensor",
    ),
    W(
        "windows of 128",
        "windows = " + WINDOWS.format(n=128, s=16, more=", padding=True, return_tensors='pt'"),
        "64",
    ),
    W(
        "no overflow",
        "windows = tokenizer(document, truncation=True, max_length=64, stride=16, padding=True, "
        "return_tensors='pt')",
        "return_overflowing_tokens",
    ),
    W(
        "right",
        "windows = " + WINDOWS.format(n=64, s=16, more=", padding=True, return_tensors='pt'"),
        expect="correct",
    ),
    W(
        "right, padding='longest'",
        "windows = " + WINDOWS.format(n=64, s=16, more=", padding='longest', return_tensors='pt'"),
        expect="correct",
    ),
    # --- document_label: int argmax of the mean probability ---
    L("mean of the logits", "    return int(window_logits.mean(dim=0).argmax())", "logits"),
    L("a sigmoid", "    return int(torch.sigmoid(window_logits).mean(dim=0).argmax())", "sigmoid"),
    L("first window", "    return int(window_logits[0].argmax())", "first window only"),
    L("last window", "    return int(window_logits[-1].argmax())", "last window only"),
    L(
        "softmax over windows",
        "    return int(torch.softmax(window_logits, dim=0).mean(dim=0).argmax())",
        "softmax over the windows",
    ),
    L(
        "a 0-d tensor",
        "    return torch.softmax(window_logits, dim=-1).mean(dim=0).argmax()",
        "not an int",
    ),
    L(
        "the label name",
        "    return model.config.id2label[int(torch.softmax(window_logits, -1).mean(0).argmax())]",
        "returned text",
    ),
    L(
        "the probability",
        "    return float(torch.softmax(window_logits, -1).mean(0).max())",
        "float",
    ),
    L(
        "majority vote",
        "    votes = window_logits.argmax(dim=-1)\n    return int(votes.mode().values)",
        "vote",
    ),
    L(
        "right",
        "    return int(torch.softmax(window_logits, dim=-1).mean(dim=0).argmax())",
        expect="correct",
    ),
    L("right, sum", "    return int(window_logits.softmax(-1).sum(0).argmax())", expect="correct"),
    L(
        "right, .item()",
        "    return torch.softmax(window_logits, dim=-1).mean(dim=0).argmax().item()",
        expect="correct",
    ),
]
