"""What learners write for section 10 (``10_batches_for_training.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt

HEADS = {
    "group_by_length": "def group_by_length(lengths, batch_size):",
    "padded_width": "def padded_width(lengths, multiple):",
    "token_loss": "def token_loss(logits, labels):",
    "train_steps": "def train_steps(model, optimizer, batches):",
}


def fn(name: str, body: str, before: str = "") -> str:
    """A function attempt: ``def name(...)`` with ``body`` (its lines already indented)."""
    return f"{before}{HEADS[name]}\n{body}"


def steps(body: str) -> str:
    """A train_steps attempt: model.train() and a loop over the batches whose body is ``body``."""
    return fn(
        "train_steps",
        "    model.train()\n    losses = []\n    for batch in batches:\n"
        + body
        + "    return losses",
    )


RIGHT_STEP = (
    "        loss = model(**batch.to(model.device)).loss\n        loss.backward()\n"
    "        optimizer.step()\n        optimizer.zero_grad()\n"
)

ATTEMPTS = [
    # --- first_batch: next(iter(DataLoader(features, batch_size=8, shuffle=False, collate_fn=collator))) ---
    A(
        "first_batch",
        "the DataLoader itself",
        "first_batch = DataLoader(features, batch_size=8, shuffle=False, "
        "collate_fn=DataCollatorWithPadding(tokenizer))",
        names=("DataLoader itself", "next(iter(loader))"),
    ),
    A(
        "first_batch",
        "the notebook's loader of 16, shuffled",
        "first_batch = next(iter(loader))",
        names=("16 rows", "batch_size"),
    ),
    A(
        "first_batch",
        "shuffle=True out of habit",
        "first_batch = next(iter(DataLoader(features, batch_size=8, "
        "shuffle=True, collate_fn=collator)))",
        names=("shuffle=True",),
    ),
    A(
        "first_batch",
        "no collate_fn: the default collate cannot stack features of different lengths",
        "first_batch = next(iter(DataLoader(features, batch_size=8)))",
        names=("collate_fn",),
    ),
    A(
        "first_batch",
        "every batch in a list",
        "first_batch = list(DataLoader(features, batch_size=8, collate_fn=collator))",
        names=("batches", "next(iter(loader))"),
    ),
    A(
        "first_batch",
        "only the ids of the batch",
        "first_batch = next(iter(DataLoader(features, batch_size=8, "
        "collate_fn=collator)))['input_ids']",
        names=("one tensor",),
    ),
    A(
        "first_batch",
        "the data set padded once, first 8 rows",
        "first_batch = {key: value[:8] for key, value in padded_all.items()}",
        names=("512", "pads each batch"),
    ),
    A(
        "first_batch",
        "the collator told to pad to max_length",
        "first_batch = next(iter(DataLoader(features, "
        "batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer, padding='max_length'))))",
        names=("512", "max_length"),
    ),
    A(
        "first_batch",
        "pad_to_multiple_of=8 from further down",
        "first_batch = next(iter(DataLoader(features, "
        "batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer, pad_to_multiple_of=8))))",
        names=("pad_to_multiple_of",),
    ),
    A(
        "first_batch",
        "NumPy batches",
        "first_batch = next(iter(DataLoader(features, batch_size=8, "
        "collate_fn=DataCollatorWithPadding(tokenizer, return_tensors='np'))))",
        names=("NumPy array",),
    ),
    A(
        "first_batch",
        "the last batch of a loop",
        "for first_batch in DataLoader(features, batch_size=8, collate_fn=collator):\n    pass",
        names=("4 rows",),
    ),
    A(
        "first_batch",
        "the labels dropped from the features",
        "no_labels = [{k: v for k, v in f.items() "
        "if k != 'label'} for f in features]\nfirst_batch = next(iter(DataLoader(no_labels, batch_size=8, "
        "collate_fn=collator)))",
        names=("no `labels`",),
    ),
    A(
        "first_batch",
        "the starter code left",
        "first_batch = None  # replace None with your answer\n"
        "# YOUR CODE HERE\nraise NotImplementedError()",
        expect="not attempted",
    ),
    A(
        "first_batch",
        "right",
        "first_loader = DataLoader(features, batch_size=8, shuffle=False, "
        "collate_fn=DataCollatorWithPadding(tokenizer))\nfirst_batch = next(iter(first_loader))",
        expect="correct",
    ),
    A(
        "first_batch",
        "right, the notebook's collator and the default shuffle",
        "first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=collator)))",
        expect="correct",
    ),
    # --- group_by_length(lengths, batch_size) ---
    A(
        "group_by_length",
        "the sorted lengths instead of the indices",
        fn(
            "group_by_length",
            "    ordered = sorted(lengths)\n    return [ordered[i:i + batch_size] for i in range(0, len(ordered), "
            "batch_size)]",
        ),
        names=("lengths, not the indices",),
    ),
    A(
        "group_by_length",
        "sorted, but not cut into batches",
        fn("group_by_length", "    return sorted(range(len(lengths)), key=lambda i: lengths[i])"),
        names=("one flat list",),
    ),
    A(
        "group_by_length",
        "the last, shorter batch dropped",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order) - batch_size + 1, batch_size)]",
        ),
        names=("last, shorter batch was dropped",),
    ),
    A(
        "group_by_length",
        "cut in order, never sorted",
        fn(
            "group_by_length",
            "    order = list(range(len(lengths)))\n    return [order[i:i + batch_size] for i in range(0, len(order), "
            "batch_size)]",
        ),
        names=("not grouped by length",),
    ),
    A(
        "group_by_length",
        "sorted, then the indices shuffled",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n    random.shuffle(order)\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]",
            before="import random\n\n\n",
        ),
        names=("not grouped by length", "shuffle the batches"),
    ),
    A(
        "group_by_length",
        "sorting the caller's list in place",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n    lengths.sort()\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]",
        ),
        names=("in place",),
    ),
    A(
        "group_by_length",
        "NumPy's argsort and array_split",
        fn(
            "group_by_length",
            "    order = np.argsort(lengths)\n    return list(np.array_split(order, math.ceil(len(order) / batch_size)))",
            before="import math\n\nimport numpy as np\n\n\n",
        ),
        names=(".tolist()",),
    ),
    A(
        "group_by_length",
        "the zip(*[iter]) idiom: tuples, the rest dropped",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return list(zip(*[iter(order)] * batch_size))",
        ),
        names=("tuple",),
    ),
    A(
        "group_by_length",
        "one batch per distinct length",
        fn(
            "group_by_length",
            "    groups = {}\n    for i, n in enumerate(lengths):\n        groups.setdefault(n, []).append(i)\n"
            "    return [groups[n] for n in sorted(groups)]",
        ),
        names=("smaller than batch_size",),
    ),
    A(
        "group_by_length",
        "printed instead of returned",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    print([order[i:i + batch_size] for i in range(0, len(order), batch_size)])",
        ),
        names=("returned None",),
    ),
    A(
        "group_by_length",
        "right",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]",
        ),
        expect="correct",
    ),
    A(
        "group_by_length",
        "right, longest first and the batches shuffled",
        fn(
            "group_by_length",
            "    order = sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True)\n"
            "    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]\n"
            "    random.shuffle(batches)\n    return batches",
            before="import random\n\n\n",
        ),
        expect="correct",
    ),
    # --- padded_width(lengths, multiple) ---
    A(
        "padded_width",
        "one multiple too many when it divides evenly",
        fn(
            "padded_width",
            "    if multiple is None:\n        return max(lengths)\n    return (max(lengths) // multiple + 1) * multiple",
        ),
        names=("one multiple too many",),
    ),
    A(
        "padded_width",
        "adds the remainder's complement, a whole multiple when it divides",
        fn(
            "padded_width",
            "    if multiple is None:\n        return max(lengths)\n"
            "    return max(lengths) + (multiple - max(lengths) % multiple)",
        ),
        names=("one multiple too many",),
    ),
    A(
        "padded_width",
        "None forgotten",
        fn(
            "padded_width",
            "    return math.ceil(max(lengths) / multiple) * multiple",
            before="import math\n\n\n",
        ),
        names=("may be None",),
    ),
    A(
        "padded_width",
        "np.ceil",
        fn(
            "padded_width",
            "    if multiple is None:\n        return max(lengths)\n"
            "    return np.ceil(max(lengths) / multiple) * multiple",
            before="import numpy as np\n\n\n",
        ),
        names=("Python int",),
    ),
    A(
        "padded_width",
        "rounded down",
        fn(
            "padded_width",
            "    if multiple is None:\n        return max(lengths)\n"
            "    return max(lengths) // multiple * multiple",
        ),
        names=("rounded down",),
    ),
    A(
        "padded_width",
        "the last length, not the longest",
        fn(
            "padded_width",
            "    if multiple is None:\n        return lengths[-1]\n    return math.ceil(lengths[-1] / multiple) * multiple",
            before="import math\n\n\n",
        ),
        names=("not the longest",),
    ),
    A(
        "padded_width",
        "the total of the lengths",
        fn(
            "padded_width",
            "    total = sum(lengths)\n    if multiple is None:\n        return total\n"
            "    return math.ceil(total / multiple) * multiple",
            before="import math\n\n\n",
        ),
        names=("sum of the lengths",),
    ),
    A(
        "padded_width",
        "one width per row",
        fn(
            "padded_width",
            "    width = max(lengths) if multiple is None else -(-max(lengths) // multiple) * multiple\n"
            "    return [width] * len(lengths)",
        ),
        names=("returned a list",),
    ),
    A(
        "padded_width",
        "right",
        fn(
            "padded_width",
            "    longest = max(lengths)\n    if multiple is None:\n"
            "        return longest\n    return -(-longest // multiple) * multiple",
        ),
        expect="correct",
    ),
    A(
        "padded_width",
        "right, math.ceil",
        fn(
            "padded_width",
            "    return max(lengths) if not multiple else math.ceil(max(lengths) / multiple) * multiple",
            before="import math\n\n\n",
        ),
        expect="correct",
    ),
    A(
        "padded_width",
        "right, asking the collator itself",
        fn(
            "padded_width",
            "    fake = [{'input_ids': [1] * n} for n in lengths]\n"
            "    return DataCollatorWithPadding(tokenizer, pad_to_multiple_of=multiple)(fake)['input_ids'].shape[1]",
        ),
        expect="correct",
    ),
    # --- token_loss(logits, labels) ---
    A(
        "token_loss",
        "3-D logits straight into F.cross_entropy",
        fn("token_loss", "    return F.cross_entropy(logits, labels)"),
        names=("classes in dimension 1", "view(-1"),
    ),
    A(
        "token_loss",
        "-100 clamped to class 0 and counted",
        fn(
            "token_loss",
            "    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.clamp(min=0).view(-1))",
        ),
        names=("counts the -100",),
    ),
    A(
        "token_loss",
        ".item() at the end",
        fn(
            "token_loss",
            "    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1)).item()",
        ),
        names=("Python number", ".backward()"),
    ),
    A(
        "token_loss",
        "reduction='none'",
        fn(
            "token_loss",
            "    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), reduction='none')",
        ),
        names=("one loss per position",),
    ),
    A(
        "token_loss",
        "softmax and log by hand: large logits overflow",
        fn(
            "token_loss",
            "    p = torch.exp(logits) / torch.exp(logits).sum(dim=-1, keepdim=True)\n    keep = labels != -100\n"
            "    picked = p.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n"
            "    return -torch.log(picked[keep]).mean()",
        ),
        names=("NaN or infinity", "log_softmax"),
    ),
    A(
        "token_loss",
        "a mean per row",
        fn(
            "token_loss",
            "    rows = []\n    for z, y in zip(logits, labels):\n        keep = y != -100\n"
            "        rows.append(F.cross_entropy(z[keep], y[keep]))\n    return torch.stack(rows).mean()",
        ),
        names=("a mean per row",),
    ),
    A(
        "token_loss",
        "log_softmax over the wrong dimension",
        fn(
            "token_loss",
            "    keep = labels != -100\n    logp = torch.log_softmax(logits, dim=1)\n"
            "    return -logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)[keep].mean()",
        ),
        names=("softmax over the positions", "dim=-1"),
    ),
    A(
        "token_loss",
        "masked, then the mean over every position",
        fn(
            "token_loss",
            "    per = F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), reduction='none')\n"
            "    return (per * (labels.view(-1) != -100)).mean()",
        ),
        names=("divided by all positions",),
    ),
    A(
        "token_loss",
        "the minus sign forgotten",
        fn(
            "token_loss",
            "    keep = labels != -100\n    logp = torch.log_softmax(logits, dim=-1)\n"
            "    return logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)[keep].mean()",
        ),
        names=("negative of the loss",),
    ),
    A(
        "token_loss",
        "right, F.cross_entropy",
        fn(
            "token_loss",
            "    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)",
        ),
        expect="correct",
    ),
    A(
        "token_loss",
        "right, by hand",
        fn(
            "token_loss",
            "    keep = labels != -100\n    logp = torch.log_softmax(logits, dim=-1)\n"
            "    right = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n    return -right[keep].mean()",
        ),
        expect="correct",
    ),
    A(
        "token_loss",
        "right, the labelled positions picked first",
        fn(
            "token_loss",
            "    keep = labels != -100\n    return F.cross_entropy(logits[keep], labels[keep])",
        ),
        expect="correct",
    ),
    # --- train_steps(model, optimizer, batches) ---
    A(
        "train_steps",
        "no zero_grad",
        steps(
            "        loss = model(**batch).loss\n        loss.backward()\n"
            "        optimizer.step()\n        losses.append(loss.item())\n"
        ),
        names=("never cleared", "zero_grad"),
    ),
    A(
        "train_steps",
        "no model.train()",
        fn(
            "train_steps",
            "    losses = []\n    for batch in batches:\n"
            + RIGHT_STEP
            + "        losses.append(loss.item())\n    return losses",
        ),
        names=("eval mode", "model.train()"),
    ),
    A(
        "train_steps",
        "zero_grad between backward and step",
        steps(
            "        loss = model(**batch).loss\n        loss.backward()\n        optimizer.zero_grad()\n"
            "        optimizer.step()\n        losses.append(loss.item())\n"
        ),
        names=("never changed",),
    ),
    A(
        "train_steps",
        "no backward",
        steps(
            "        loss = model(**batch).loss\n        optimizer.step()\n"
            "        optimizer.zero_grad()\n        losses.append(loss.item())\n"
        ),
        names=("never changed", "backward"),
    ),
    A(
        "train_steps",
        "the loss tensors kept",
        steps(RIGHT_STEP + "        losses.append(loss)\n"),
        names=("returned tensors", "loss.item()"),
    ),
    A(
        "train_steps",
        "under torch.no_grad() from the prediction habit",
        fn(
            "train_steps",
            "    model.train()\n    losses = []\n    with torch.no_grad():\n        for batch in batches:\n"
            + "".join("    " + line + "\n" for line in RIGHT_STEP.splitlines())
            + "            losses.append(loss.item())\n    return losses",
        ),
        names=("no_grad",),
    ),
    A(
        "train_steps",
        "return inside the loop",
        fn(
            "train_steps",
            "    model.train()\n    losses = []\n"
            "    for batch in batches:\n"
            + RIGHT_STEP
            + "        losses.append(loss.item())\n        return losses",
        ),
        names=("1 loss for 3 batches",),
    ),
    A(
        "train_steps",
        "the labels left out of the model call",
        steps(
            "        inputs = {k: v for k, v in batch.items() if k != 'labels'}\n        loss = model(**inputs).loss\n"
            "        loss.backward()\n        optimizer.step()\n        optimizer.zero_grad()\n"
            "        losses.append(loss.item())\n"
        ),
        names=("labels",),
    ),
    A(
        "train_steps",
        "seeded inside, for reproducibility",
        fn(
            "train_steps",
            "    torch.manual_seed(0)\n"
            "    model.train()\n    losses = []\n    for batch in batches:\n"
            + RIGHT_STEP
            + "        losses.append(loss.item())\n    return losses",
        ),
        names=("seeds the random generator",),
    ),
    A(
        "train_steps",
        "a new optimizer instead of the given one",
        fn(
            "train_steps",
            "    model.train()\n    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)\n    losses = []\n"
            "    for batch in batches:\n"
            + RIGHT_STEP
            + "        losses.append(loss.item())\n    return losses",
        ),
        names=("optimizer you were given",),
    ),
    A(
        "train_steps",
        "right",
        steps(RIGHT_STEP + "        losses.append(loss.item())\n"),
        expect="correct",
    ),
    A(
        "train_steps",
        "right, zero_grad first and the keys spelled out",
        steps(
            "        optimizer.zero_grad()\n        outputs = model(input_ids=batch['input_ids'], "
            "attention_mask=batch['attention_mask'], labels=batch['labels'])\n        outputs.loss.backward()\n"
            "        optimizer.step()\n        losses.append(float(outputs.loss))\n"
        ),
        expect="correct",
    ),
]
