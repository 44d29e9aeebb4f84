"""What learners write for section 11 (``11_batches_for_generation.ipynb``).

The notebook's tokenizer is shared by every cell: an attempt that changes it (``padding_side``, a new pad
token) runs in a fresh kernel, so that it cannot change the attempts after it.
"""

from tests.corpus.runner import Attempt

A = Attempt

LEFT_PAD = """def left_pad(sequences, pad_id):
    width = max(len(seq) for seq in sequences)
{body}
"""


def left_pad(body: str) -> str:
    return LEFT_PAD.format(body="\n".join("    " + line for line in body.strip("\n").splitlines()))


IDS = "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences])"
MASK = "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences])"
POS = "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)"
RETURN = "return input_ids, attention_mask, position_ids"
POSITIONS = 'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'

ATTEMPTS = [
    # --- left_pad(sequences, pad_id): three int64 tensors, pads first ---
    A(
        "left_pad",
        "padded on the right, as for the classifier",
        left_pad(
            "input_ids = torch.tensor([list(seq) + [pad_id] * (width - len(seq)) for seq in sequences])\n"
            "attention_mask = torch.tensor([[1] * len(seq) + [0] * (width - len(seq)) for seq in sequences])\n"
            f"{POS}\n{RETURN}"
        ),
        names=("padded on the right",),
    ),
    A(
        "left_pad",
        "the pad id written in as 0",
        left_pad(
            "input_ids = torch.tensor([[0] * (width - len(seq)) + list(seq) for seq in sequences])\n"
            f"{MASK}\n{POS}\n{RETURN}"
        ),
        names=("not with `pad_id`", "use the `pad_id` argument"),
    ),
    A(
        "left_pad",
        "positions that count the pads (torch.arange)",
        left_pad(
            f"{IDS}\n{MASK}\nposition_ids = torch.arange(width).expand(len(sequences), width)\n{RETURN}"
        ),
        names=("counts the pads", "cumsum"),
    ),
    A(
        "left_pad",
        "cumsum - 1 without the clamp",
        left_pad(f"{IDS}\n{MASK}\nposition_ids = attention_mask.cumsum(-1) - 1\n{RETURN}"),
        names=("-1 on the pads", "clamp"),
    ),
    A(
        "left_pad",
        "cumsum without - 1",
        left_pad(
            f"{IDS}\n{MASK}\nposition_ids = attention_mask.cumsum(-1) * attention_mask\n{RETURN}"
        ),
        names=("starts each sequence at position 1",),
    ),
    A(
        "left_pad",
        "the mask from the ids (pad = eos is also a real token)",
        left_pad(f"{IDS}\nattention_mask = (input_ids != pad_id).long()\n{POS}\n{RETURN}"),
        names=("marks a real token as padding", "lengths"),
    ),
    A(
        "left_pad",
        "the mask of right padding beside left-padded ids",
        left_pad(
            f"{IDS}\nattention_mask = torch.tensor([[1] * len(seq) + [0] * (width - len(seq)) for seq in sequences])"
            f"\n{POS}\n{RETURN}"
        ),
        names=("0s on the right",),
    ),
    A(
        "left_pad",
        "the position ids forgotten",
        left_pad(f"{IDS}\n{MASK}\nreturn input_ids, attention_mask"),
        names=("returned 2 values", "position ids are the third"),
    ),
    A(
        "left_pad",
        "Python lists returned",
        left_pad(
            "input_ids = [[pad_id] * (width - len(seq)) + list(seq) for seq in sequences]\n"
            "attention_mask = [[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences]\n"
            "position_ids = [[0] * (width - len(seq)) + list(range(len(seq))) for seq in sequences]\n"
            f"{RETURN}"
        ),
        names=("not a tensor",),
    ),
    A(
        "left_pad",
        "pads inserted into the caller's lists",
        left_pad(
            "for seq in sequences:\n    while len(seq) < width:\n        seq.insert(0, pad_id)\n"
            "input_ids = torch.tensor(sequences)\n"
            "attention_mask = (torch.arange(width) >= width - torch.tensor([len(s) for s in sequences])[:, None]).long()\n"
            f"{POS}\n{RETURN}"
        ),
        names=("changed the lists",),
    ),
    A(
        "left_pad",
        "positions after the pads but put in front",
        left_pad(
            f"{IDS}\n{MASK}\nposition_ids = torch.tensor([list(range(len(seq))) + [0] * (width - len(seq)) "
            f"for seq in sequences])\n{RETURN}"
        ),
        names=("position_ids", "row"),
    ),
    A(
        "left_pad",
        "printed, not returned",
        left_pad(f"{IDS}\n{MASK}\n{POS}\nprint(input_ids, attention_mask, position_ids)"),
        names=("returned None",),
    ),
    A("left_pad", "right", left_pad(f"{IDS}\n{MASK}\n{POS}\n{RETURN}"), expect="correct"),
    A(
        "left_pad",
        "right, masked_fill",
        left_pad(
            f"{IDS}\n{MASK}\nposition_ids = (attention_mask.cumsum(-1) - 1)"
            f".masked_fill(attention_mask == 0, 0)\n{RETURN}"
        ),
        expect="correct",
    ),
    A(
        "left_pad",
        "right, rows built in a loop",
        left_pad(
            "ids, mask, pos = [], [], []\nfor seq in sequences:\n    pads = width - len(seq)\n"
            "    ids.append([pad_id] * pads + list(seq))\n    mask.append([0] * pads + [1] * len(seq))\n"
            "    pos.append([0] * pads + list(range(len(seq))))\n"
            "return torch.tensor(ids), torch.tensor(mask), torch.tensor(pos)"
        ),
        expect="correct",
    ),
    # --- batch: the tokenizer's output, left-padded with eos ---
    A(
        "batch",
        "the tokenizer's default side (right)",
        'batch = tokenizer(prompts, padding=True, return_tensors="pt")',
        names=("padded on the right", 'padding_side="left"'),
    ),
    A(
        "batch",
        "no return_tensors",
        'batch = tokenizer(prompts, padding=True, padding_side="left")',
        names=("return_tensors",),
    ),
    A(
        "batch",
        "NumPy arrays",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="np")',
        names=("NumPy",),
    ),
    A(
        "batch",
        "padded to the maximum length",
        'batch = tokenizer(prompts, padding="max_length", padding_side="left", return_tensors="pt")',
        names=("maximum length",),
    ),
    A(
        "batch",
        "only the ids kept",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")["input_ids"]',
        names=("one tensor", "mask"),
    ),
    A(
        "batch",
        "each prompt tokenized alone",
        'batch = [tokenizer(p, return_tensors="pt") for p in prompts]',
        names=("separate encodings",),
    ),
    A(
        "batch",
        "truncated to 4 tokens",
        'batch = tokenizer(prompts, padding=True, padding_side="left", truncation=True, '
        'max_length=4, return_tensors="pt")',
        names=("truncation", "columns wide"),
    ),
    A(
        "batch",
        "three of the four prompts",
        'batch = tokenizer(prompts[:3], padding=True, padding_side="left", return_tensors="pt")',
        names=("one row per prompt",),
    ),
    A(
        "batch",
        "a new [PAD] token added",
        'tokenizer.add_special_tokens({"pad_token": "[PAD]"})\n'
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")',
        names=("no embedding for", "tokenizer.pad_token = tokenizer.eos_token"),
        fresh=True,
    ),
    A(
        "batch",
        "right",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")',
        expect="correct",
    ),
    A(
        "batch",
        "right, padding='longest' and on the device",
        'batch = tokenizer(prompts, padding="longest", padding_side="left", return_tensors="pt").to(model.device)',
        expect="correct",
    ),
    A(
        "batch",
        "right, the tokenizer's padding side set",
        'tokenizer.padding_side = "left"\n'
        'batch = tokenizer(prompts, padding=True, return_tensors="pt")',
        expect="correct",
        fresh=True,
    ),
    # --- next_ids: one forward call on left, mask and position ids, the last position ---
    A(
        "next_ids",
        "no position ids",
        "with torch.inference_mode():\n    next_ids = model(**left).logits[:, -1].argmax(dim=-1)",
        names=("without position ids", "cumsum"),
    ),
    A(
        "next_ids",
        "position ids that count the pads",
        'position_ids = torch.arange(left["input_ids"].shape[1]).expand_as(left["input_ids"])\n'
        "with torch.inference_mode():\n    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)",
        names=("count the pads",),
    ),
    A(
        "next_ids",
        "cumsum - 1 without the clamp (the cell fails)",
        'position_ids = left["attention_mask"].cumsum(-1) - 1\n'
        "with torch.inference_mode():\n    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)",
        names=("IndexError",),
        fresh=True,
    ),
    A(
        "next_ids",
        "the right-padded batch",
        "with torch.inference_mode():\n    next_ids = model(**right).logits[:, -1].argmax(dim=-1)",
        names=("right-padded batch",),
    ),
    A(
        "next_ids",
        "the first position",
        POSITIONS + "with torch.inference_mode():\n"
        "    next_ids = model(**left, position_ids=position_ids).logits[:, 0].argmax(dim=-1)",
        names=("first position",),
    ),
    A(
        "next_ids",
        "the stale `logits` of the one-prompt example",
        "next_ids = logits[:, -1].argmax(dim=-1)",
        names=("shape (4,)",),
        fresh=True,
    ),
    A(
        "next_ids",
        "the prompts one at a time, joined",
        "next_ids = torch.stack(each_alone)",
        names=("one call on the whole batch",),
    ),
    A(
        "next_ids",
        "the ids typed in",
        "next_ids = torch.tensor([929, 258, 706, 302])",
        names=("one call on the whole batch",),
        fresh=True,
    ),
    A(
        "next_ids",
        "generate with one new token",
        "next_ids = model.generate(**left, max_new_tokens=1, do_sample=False)[:, -1]",
        names=("comes from `model.generate`",),
    ),
    A(
        "next_ids",
        "the logits, not the ids",
        POSITIONS + "with torch.inference_mode():\n"
        "    next_ids = model(**left, position_ids=position_ids).logits[:, -1]",
        names=("logits, not ids", "argmax"),
    ),
    A(
        "next_ids",
        "decoded",
        POSITIONS + "with torch.inference_mode():\n    next_ids = [tokenizer.decode(t) for t in "
        "model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)]",
        names=("is text",),
    ),
    A(
        "next_ids",
        "right",
        POSITIONS + "with torch.inference_mode():\n"
        "    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)",
        expect="correct",
    ),
    A(
        "next_ids",
        "right, keywords and no_grad",
        'mask = left["attention_mask"]\npositions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)\n'
        'with torch.no_grad():\n    out = model(input_ids=left["input_ids"], attention_mask=mask, position_ids=positions)\n'
        "next_ids = out.logits[:, -1, :].argmax(-1)",
        expect="correct",
    ),
    A(
        "next_ids",
        "right, the call and the reading in two cells",
        (
            POSITIONS
            + "with torch.inference_mode():\n    logits = model(**left, position_ids=position_ids).logits",
            "next_ids = logits[:, -1].argmax(dim=-1)",
        ),
        expect="correct",
    ),
    A(
        "next_ids",
        "right, softmax first",
        POSITIONS + "with torch.inference_mode():\n"
        "    probs = model(**left, position_ids=position_ids).logits[:, -1].softmax(dim=-1)\nnext_ids = probs.argmax(dim=-1)",
        expect="correct",
    ),
    # --- generated: one greedy generate call on left, max_new_tokens=8 ---
    A(
        "generated",
        "no mask",
        'generated = model.generate(left["input_ids"], max_new_tokens=8, do_sample=False)',
        names=("without the attention mask",),
    ),
    A(
        "generated",
        "the right-padded batch",
        "generated = model.generate(**right, max_new_tokens=8, do_sample=False)",
        names=("right-padded batch",),
    ),
    A(
        "generated",
        "sampled",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=True)",
        names=("sampled", "do_sample=False"),
    ),
    A(
        "generated",
        "max_length instead of max_new_tokens",
        "generated = model.generate(**left, max_length=8, do_sample=False)",
        names=("`max_length` counts the prompt too",),
    ),
    A(
        "generated",
        "10 new tokens",
        "generated = model.generate(**left, max_new_tokens=10, do_sample=False)",
        names=("max_new_tokens=10",),
    ),
    A(
        "generated",
        "beam search",
        "generated = model.generate(**left, max_new_tokens=8, num_beams=2, do_sample=False)",
        names=("beam search",),
    ),
    A(
        "generated",
        "the prompts cut off already",
        'generated = model.generate(**left, max_new_tokens=8, do_sample=False)[:, left["input_ids"].shape[1]:]',
        names=("only the new tokens",),
    ),
    A(
        "generated",
        "decoded",
        "generated = tokenizer.batch_decode(model.generate(**left, max_new_tokens=8, "
        "do_sample=False), skip_special_tokens=True)",
        names=("is text",),
    ),
    A(
        "generated",
        "a list",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False).tolist()",
        names=("a Python list",),
    ),
    A(
        "generated",
        "a copy of the output",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False).clone()",
        names=("not the tensor generate returned",),
    ),
    A(
        "generated",
        "one prompt at a time, padded and stacked",
        'rows = [model.generate(**tokenizer(p, return_tensors="pt").to(model.device), max_new_tokens=8, do_sample=False)[0] '
        "for p in prompts]\nwidth = max(len(r) for r in rows)\ngenerated = torch.stack([torch.cat([torch.full((width - "
        "len(r),), tokenizer.eos_token_id, device=r.device), r]) for r in rows])",
        names=("one prompt at a time",),
    ),
    A(
        "generated",
        "right",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False)",
        expect="correct",
    ),
    A(
        "generated",
        "right, keywords and the pad id",
        'generated = model.generate(input_ids=left["input_ids"], '
        'attention_mask=left["attention_mask"], max_new_tokens=8, do_sample=False, pad_token_id=tokenizer.eos_token_id)',
        expect="correct",
    ),
    A(
        "generated",
        "right, inference_mode",
        "with torch.inference_mode():\n"
        "    generated = model.generate(**left, max_new_tokens=8, do_sample=False)",
        expect="correct",
    ),
    A(
        "generated",
        "right, on the learner's own batch",
        "generated = model.generate(**batch.to(model.device), max_new_tokens=8, do_sample=False)",
        expect="correct",
    ),
    # --- continuations(output, batch): cut at the prompts' width, decode without special tokens ---
    A(
        "continuations",
        "special tokens kept",
        "def continuations(output, batch):\n"
        '    return tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:])',
        names=("<|endoftext|>", "skip_special_tokens=True"),
    ),
    A(
        "continuations",
        "the whole rows decoded",
        "def continuations(output, batch):\n"
        "    return tokenizer.batch_decode(output, skip_special_tokens=True)",
        names=("start with the prompts",),
    ),
    A(
        "continuations",
        "stripped",
        "def continuations(output, batch):\n    return [t.strip() for t in tokenizer.batch_decode("
        'output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True)]',
        names=("stripped",),
    ),
    A(
        "continuations",
        "each row cut after its own real tokens",
        "def continuations(output, batch):\n"
        '    lengths = batch["attention_mask"].sum(dim=1)\n    return [tokenizer.decode(row[n:], skip_special_tokens=True) '
        "for row, n in zip(output, lengths)]",
        names=("its own number of real tokens",),
    ),
    A(
        "continuations",
        "len(batch['input_ids']) is the batch size",
        "def continuations(output, batch):\n"
        '    return tokenizer.batch_decode(output[:, len(batch["input_ids"]):], skip_special_tokens=True)',
        names=("batch size", "shape[1]"),
    ),
    A(
        "continuations",
        "one column early",
        'def continuations(output, batch):\n    start = batch["input_ids"].shape[1] - 1\n'
        "    return tokenizer.batch_decode(output[:, start:], skip_special_tokens=True)",
        names=("one column early",),
    ),
    A(
        "continuations",
        "the notebook's left instead of the argument",
        "def continuations(output, batch):\n"
        '    return tokenizer.batch_decode(output[:, left["input_ids"].shape[1]:], skip_special_tokens=True)',
        names=("notebook's `left`", "arguments"),
    ),
    A(
        "continuations",
        "one string",
        'def continuations(output, batch):\n    return " ".join(tokenizer.batch_decode('
        'output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True))',
        names=("one string",),
    ),
    A(
        "continuations",
        "the ids, not decoded",
        'def continuations(output, batch):\n    return output[:, batch["input_ids"].shape[1]:]',
        names=("token ids, not text",),
    ),
    A(
        "continuations",
        "printed",
        "def continuations(output, batch):\n"
        '    print(tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True))',
        names=("returned None",),
    ),
    A(
        "continuations",
        "right",
        "def continuations(output, batch):\n"
        '    return tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True)',
        expect="correct",
    ),
    A(
        "continuations",
        "right, a loop",
        'def continuations(output, batch):\n    width = batch["input_ids"].shape[1]\n'
        "    texts = []\n    for row in output:\n        texts.append(tokenizer.decode(row[width:], skip_special_tokens=True))\n"
        "    return texts",
        expect="correct",
    ),
    A(
        "continuations",
        "right, attribute access and the mask's width",
        "def continuations(output, batch):\n"
        "    return tokenizer.batch_decode(output[:, batch.attention_mask.shape[-1]:], skip_special_tokens=True)",
        expect="correct",
    ),
]
