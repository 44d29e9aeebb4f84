"""What learners write for section 12 (``12_packing_sequences.ipynb``), in the order they might.

Plain data: each attempt is the exercise, what the learner did, the cell(s) they run, what the feedback must
say, and (:data:`MISTAKE`) the id of the mistake the check names for it (``Mistake.slug`` in
``checker/exercises/section12.py``), so that the rows convert mechanically to another declaration.
"""

from tests.corpus.runner import Attempt

HEADS = {
    "pack": "def pack(sequences):",
    "unpack": "def unpack(logits, position_ids):",
    "packed_logits": "def packed_logits(batch):",
    "train_packed": "def train_packed(model, optimizer, batches):",
}

#: The mistake id each wrong attempt must be named with, by its ``what``.
MISTAKE: dict[str, str] = {}
ATTEMPTS: list[Attempt] = []


def fn(name: str, body: str, before: str = "") -> str:
    """A function attempt: ``def name(...)`` with ``body`` (its lines already indented)."""
    return f"{before}{HEADS[name]}\n{body}"


def wrong(exercise: str, slug: str, what: str, cells, *names: str, fresh: bool = False) -> None:
    MISTAKE[what] = slug
    ATTEMPTS.append(Attempt(exercise, what, cells, "incorrect", names, fresh))


def right(exercise: str, what: str, cells, fresh: bool = False) -> None:
    ATTEMPTS.append(Attempt(exercise, what, cells, "correct", (), fresh))


def starter(exercise: str, cells: str) -> None:
    ATTEMPTS.append(Attempt(exercise, "the starter code left", cells, "not attempted"))


# --- pack(sequences): what DataCollatorWithFlattening returns, by hand ----------------------------------------

PACK_LOOP = (
    "    input_ids, position_ids, labels = [], [], []\n"
    "    for seq in sequences:\n"
    "        if not seq:\n            continue\n"
)
PACK_RETURN = (
    "    return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
    "            'labels': torch.tensor([labels])}"
)


def pack_body(positions: str, labels: str, skip_empty: bool = True, ret: str = PACK_RETURN) -> str:
    loop = PACK_LOOP if skip_empty else PACK_LOOP.split("        if not seq")[0]
    return (
        loop
        + "        input_ids += seq\n"
        + f"        position_ids += {positions}\n"
        + f"        labels += {labels}\n"
        + ret
    )


RIGHT_POSITIONS, RIGHT_LABELS = "list(range(len(seq)))", "[-100] + seq[1:]"

starter("pack", "def pack(sequences):\n    # YOUR CODE HERE\n    raise NotImplementedError()")
wrong(
    "pack",
    "positions-run-on",
    "position ids counted over the whole row",
    fn(
        "pack",
        pack_body("list(range(len(position_ids), len(position_ids) + len(seq)))", RIGHT_LABELS),
    ),
    "restart at 0",
    "find_packed_sequence_indices",
)
wrong(
    "pack",
    "positions-from-1",
    "position ids counted from 1",
    fn("pack", pack_body("list(range(1, len(seq) + 1))", RIGHT_LABELS)),
    "from 1",
    "position 0",
)
wrong(
    "pack",
    "labels-no-boundary",
    "labels are the input ids (no -100 at the boundaries)",
    fn("pack", pack_body(RIGHT_POSITIONS, "list(seq)")),
    "no -100",
    "first token of the next text",
)
wrong(
    "pack",
    "labels-shifted",
    "labels shifted by hand (the model shifts them again)",
    fn("pack", pack_body(RIGHT_POSITIONS, "seq[1:] + [-100]")),
    "shifted",
    "shifts the labels itself",
)
wrong(
    "pack",
    "boundary-at-end",
    "-100 on each text's last token instead of its first",
    fn("pack", pack_body(RIGHT_POSITIONS, "seq[:-1] + [-100]")),
    "last token",
    "first position",
)
wrong(
    "pack",
    "empty-text-label",
    "an empty text still adds a -100 label",
    fn("pack", pack_body(RIGHT_POSITIONS, RIGHT_LABELS, skip_empty=False)),
    "empty text",
    "skip",
)
wrong(
    "pack",
    "attention-mask",
    "an attention mask of ones added, as a padded batch has",
    fn(
        "pack",
        pack_body(
            RIGHT_POSITIONS,
            RIGHT_LABELS,
            ret=PACK_RETURN[:-1]
            + ",\n            'attention_mask': torch.ones(1, len(input_ids), dtype=torch.long)}",
        ),
    ),
    "attention_mask",
    "no longer",
)
wrong(
    "pack",
    "lists",
    "Python lists instead of tensors",
    fn(
        "pack",
        pack_body(
            RIGHT_POSITIONS,
            RIGHT_LABELS,
            ret="    return {'input_ids': [input_ids], 'position_ids': [position_ids], 'labels': [labels]}",
        ),
    ),
    "Python list",
    "torch.tensor",
)
wrong(
    "pack",
    "no-batch-dim",
    "one-dimensional tensors: no batch dimension",
    fn(
        "pack",
        pack_body(
            RIGHT_POSITIONS,
            RIGHT_LABELS,
            ret="    return {'input_ids': torch.tensor(input_ids), 'position_ids': torch.tensor(position_ids),\n"
            "            'labels': torch.tensor(labels)}",
        ),
    ),
    "batch dimension",
    "(1, ",
)
wrong(
    "pack",
    "tuple",
    "a tuple of three tensors instead of a dict",
    fn(
        "pack",
        pack_body(
            RIGHT_POSITIONS,
            RIGHT_LABELS,
            ret="    return torch.tensor([input_ids]), torch.tensor([position_ids]), torch.tensor([labels])",
        ),
    ),
    "dict",
    "'position_ids'",
)
wrong(
    "pack",
    "padded",
    "padded into rows instead of packed into one",
    fn(
        "pack",
        "    width = max(len(s) for s in sequences)\n"
        "    ids = [s + [0] * (width - len(s)) for s in sequences]\n"
        "    pos = [list(range(width)) for s in sequences]\n"
        "    labels = [s + [-100] * (width - len(s)) for s in sequences]\n"
        "    return {'input_ids': torch.tensor(ids), 'position_ids': torch.tensor(pos), "
        "'labels': torch.tensor(labels)}",
    ),
    "one row",
    "padded",
)
wrong(
    "pack",
    "dtype",
    "int32 tensors",
    fn(
        "pack",
        pack_body(
            RIGHT_POSITIONS,
            RIGHT_LABELS,
            ret="    return {k: torch.tensor([v], dtype=torch.int32) for k, v in\n"
            "            (('input_ids', input_ids), ('position_ids', position_ids), ('labels', labels))}",
        ),
    ),
    "torch.int32",
    "torch.int64",
)
wrong(
    "pack",
    "mutation",
    "labels written into the caller's list",
    fn(
        "pack",
        "    input_ids, position_ids, labels = [], [], []\n"
        "    for seq in sequences:\n"
        "        if not seq:\n            continue\n"
        "        input_ids += list(seq)\n"
        "        position_ids += list(range(len(seq)))\n"
        "        seq[0] = -100\n"
        "        labels += seq\n" + PACK_RETURN,
    ),
    "changed",
    "caller",
)
wrong(
    "pack",
    "none",
    "printed instead of returned",
    fn("pack", "    print(DataCollatorWithFlattening()([{'input_ids': s} for s in sequences]))"),
    "returned None",
)
right("pack", "right, by hand", fn("pack", pack_body(RIGHT_POSITIONS, RIGHT_LABELS)))
right(
    "pack",
    "right, with torch.cat and arange",
    fn(
        "pack",
        "    kept = [torch.tensor(s) for s in sequences if len(s)]\n"
        "    ids = torch.cat(kept)\n"
        "    pos = torch.cat([torch.arange(len(s)) for s in kept])\n"
        "    labels = ids.clone()\n"
        "    labels[pos == 0] = -100\n"
        "    return {'input_ids': ids[None], 'position_ids': pos[None], 'labels': labels[None]}",
    ),
)
right(
    "pack",
    "right, the collator itself",
    fn("pack", "    return DataCollatorWithFlattening()([{'input_ids': s} for s in sequences])"),
)

# --- unpack(logits, position_ids): one tensor per text ---------------------------------------------------------

starter(
    "unpack",
    "def unpack(logits, position_ids):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
)
STARTS = "    starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
wrong(
    "unpack",
    "batch-dim-kept",
    "each piece keeps the batch dimension",
    fn(
        "unpack",
        STARTS + "    ends = starts[1:] + [logits.shape[1]]\n"
        "    return [logits[:, s:e] for s, e in zip(starts, ends)]",
    ),
    "batch dimension",
    "logits[0, start:end]",
)
wrong(
    "unpack",
    "last-dropped",
    "the last text forgotten",
    fn(
        "unpack",
        STARTS + "    return [logits[0, s:e] for s, e in zip(starts, starts[1:])]",
    ),
    "last text",
)
wrong(
    "unpack",
    "off-by-one",
    "cut one token after each start",
    fn(
        "unpack",
        STARTS + "    cuts = [s + 1 for s in starts[1:]]\n"
        "    return [logits[0, s:e] for s, e in zip([0] + cuts, cuts + [logits.shape[1]])]",
    ),
    "one token",
    "position 0",
)
wrong(
    "unpack",
    "empty-first",
    "an empty piece before the first text",
    fn(
        "unpack",
        STARTS + "    bounds = [0] + starts + [logits.shape[1]]\n"
        "    return [logits[0, s:e] for s, e in zip(bounds, bounds[1:])]",
    ),
    "empty",
)
wrong(
    "unpack",
    "stacked",
    "the pieces padded into one tensor",
    fn(
        "unpack",
        STARTS + "    ends = starts[1:] + [logits.shape[1]]\n"
        "    return torch.nn.utils.rnn.pad_sequence([logits[0, s:e] for s, e in zip(starts, ends)], "
        "batch_first=True)",
    ),
    "one tensor",
    "list",
)
wrong(
    "unpack",
    "lengths",
    "the lengths instead of the logits",
    fn(
        "unpack",
        STARTS + "    ends = starts[1:] + [logits.shape[1]]\n"
        "    return [e - s for s, e in zip(starts, ends)]",
    ),
    "numbers",
    "slices",
)
wrong(
    "unpack",
    "fixed-split",
    "the notebook's lengths instead of the position ids",
    fn(
        "unpack",
        "    return list(torch.split(logits[0], [len(f['input_ids']) for f in features]))",
    ),
    "position_ids",
)
right(
    "unpack",
    "right, the starts of the texts",
    fn(
        "unpack",
        STARTS + "    ends = starts[1:] + [logits.shape[1]]\n"
        "    return [logits[0, s:e] for s, e in zip(starts, ends)]",
    ),
)
right(
    "unpack",
    "right, torch.split on the lengths (a tuple)",
    fn(
        "unpack",
        "    starts = (position_ids[0] == 0).nonzero().flatten()\n"
        "    lengths = torch.diff(starts, append=torch.tensor([position_ids.shape[1]])).tolist()\n"
        "    return torch.split(logits[0], lengths)",
    ),
)
right(
    "unpack",
    "right, a loop over the positions",
    fn(
        "unpack",
        "    pieces, current = [], []\n"
        "    for i, p in enumerate(position_ids[0].tolist()):\n"
        "        if p == 0 and current:\n"
        "            pieces.append(logits[0, current[0]:current[-1] + 1])\n"
        "            current = []\n"
        "        current.append(i)\n"
        "    pieces.append(logits[0, current[0]:current[-1] + 1])\n"
        "    return pieces",
    ),
)

# --- packed_logits(batch): one call that keeps every text to itself ---------------------------------------------

starter(
    "packed_logits",
    "def packed_logits(batch):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
)
MOVE = "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
wrong(
    "packed_logits",
    "cache-on",
    "model(**batch): the cache left on",
    fn("packed_logits", MOVE + "    return model(**batch).logits"),
    "use_cache",
    "True",
    "attended to each other",
)
wrong(
    "packed_logits",
    "cache-on",
    "in training mode, the cache still on",
    fn(
        "packed_logits",
        MOVE
        + "    model.train()\n    logits = model(**batch).logits\n    model.eval()\n    return logits",
    ),
    "use_cache",
    "training mode too",
)
wrong(
    "packed_logits",
    "attention-mask",
    "an attention mask of ones passed along",
    fn(
        "packed_logits",
        MOVE + "    mask = torch.ones_like(batch['input_ids'])\n"
        "    return model(input_ids=batch['input_ids'], position_ids=batch['position_ids'], "
        "attention_mask=mask, use_cache=False).logits",
    ),
    "attention mask",
    "attention_mask is None",
)
wrong(
    "packed_logits",
    "no-position-ids",
    "the position ids left out",
    fn(
        "packed_logits",
        MOVE + "    return model(input_ids=batch['input_ids'], use_cache=False).logits",
    ),
    "position_ids",
    "0, 1, 2",
)
wrong(
    "packed_logits",
    "positions-run-on",
    "position ids of its own, counted over the whole row",
    fn(
        "packed_logits",
        MOVE
        + "    positions = torch.arange(batch['input_ids'].shape[1], device=model.device)[None]\n"
        "    return model(input_ids=batch['input_ids'], position_ids=positions, use_cache=False).logits",
    ),
    "restart",
    "one text",
)
wrong(
    "packed_logits",
    "one-at-a-time",
    "each text run alone and the logits joined",
    fn(
        "packed_logits",
        "    ids, pos = batch['input_ids'][0], batch['position_ids'][0]\n"
        "    starts = (pos == 0).nonzero().flatten().tolist() + [len(ids)]\n"
        "    pieces = [model(input_ids=ids[None, s:e].to(model.device)).logits for s, e in zip(starts, starts[1:])]\n"
        "    return torch.cat(pieces, dim=1)",
    ),
    "one at a time",
    "one call",
)
wrong(
    "packed_logits",
    "whole-output",
    "the model's whole output returned",
    fn("packed_logits", MOVE + "    return model(**batch, use_cache=False)"),
    "whole output",
    ".logits",
)
wrong(
    "packed_logits",
    "no-batch-dim",
    "the row's logits without the batch dimension",
    fn("packed_logits", MOVE + "    return model(**batch, use_cache=False).logits[0]"),
    "batch dimension",
)
wrong(
    "packed_logits",
    "ids",
    "the predicted ids instead of the logits",
    fn("packed_logits", MOVE + "    return model(**batch, use_cache=False).logits.argmax(dim=-1)"),
    "ids",
    "argmax",
)
wrong(
    "packed_logits",
    "mutation",
    "the labels popped out of the caller's batch",
    fn(
        "packed_logits",
        "    batch.pop('labels', None)\n"
        "    return model(**{k: v.to(model.device) for k, v in batch.items()}, use_cache=False).logits",
    ),
    "changed",
    "batch",
)
right(
    "packed_logits",
    "right, use_cache=False",
    fn(
        "packed_logits",
        "    return model(input_ids=batch['input_ids'].to(model.device),\n"
        "                 position_ids=batch['position_ids'].to(model.device), use_cache=False).logits",
    ),
)
right(
    "packed_logits",
    "right, the whole batch with its labels",
    fn("packed_logits", MOVE + "    return model(**batch, use_cache=False).logits"),
)
right(
    "packed_logits",
    "right, under inference_mode",
    fn(
        "packed_logits",
        MOVE + "    with torch.inference_mode():\n"
        "        return model(input_ids=batch['input_ids'], position_ids=batch['position_ids'],\n"
        "                     use_cache=False).logits",
    ),
)
right(
    "packed_logits",
    "right, the cache switched off in the config",
    fn(
        "packed_logits",
        MOVE + "    model.config.use_cache = False\n"
        "    return model(input_ids=batch['input_ids'], position_ids=batch['position_ids']).logits",
    ),
    fresh=True,  # it changes the shared model's config: later attempts must not inherit it
)

# --- train_packed(model, optimizer, batches): section 10's steps on packed batches ------------------------------

TRAIN_HEAD = "    model.train()\n    losses = []\n    for batch in batches:\n"
MOVE_STEP = "        batch = {k: v.to(model.device) for k, v in batch.items()}\n"
STEP_REST = (
    "        loss.backward()\n        optimizer.step()\n        optimizer.zero_grad()\n"
    "        losses.append(loss.item())\n"
)


def steps(call: str, rest: str = STEP_REST, head: str = TRAIN_HEAD) -> str:
    return fn(
        "train_packed", head + MOVE_STEP + f"        loss = {call}\n" + rest + "    return losses"
    )


RIGHT_CALL = "model(**batch, use_cache=False).loss"

starter(
    "train_packed",
    "def train_packed(model, optimizer, batches):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
)
wrong(
    "train_packed",
    "cache-on",
    "section 10's loop as it was: the cache on",
    steps("model(**batch).loss"),
    "use_cache",
    "training mode too",
)
wrong(
    "train_packed",
    "attention-mask",
    "an attention mask of ones passed",
    steps(
        "model(**batch, attention_mask=torch.ones_like(batch['input_ids']), use_cache=False).loss"
    ),
    "attention mask",
)
wrong(
    "train_packed",
    "no-position-ids",
    "the position ids left out",
    steps("model(input_ids=batch['input_ids'], labels=batch['labels'], use_cache=False).loss"),
    "position_ids",
)
wrong(
    "train_packed",
    "eval",
    "no model.train()",
    steps(RIGHT_CALL, head="    losses = []\n    for batch in batches:\n"),
    "eval mode",
    "model.train()",
)
wrong(
    "train_packed",
    "no-zero-grad",
    "no zero_grad",
    steps(
        RIGHT_CALL,
        rest="        loss.backward()\n        optimizer.step()\n        losses.append(loss.item())\n",
    ),
    "never cleared",
    "zero_grad",
)
wrong(
    "train_packed",
    "no-update",
    "no backward",
    steps(
        RIGHT_CALL,
        rest="        optimizer.step()\n        optimizer.zero_grad()\n        losses.append(loss.item())\n",
    ),
    "never changed",
)
wrong(
    "train_packed",
    "tensors",
    "the loss tensors kept",
    steps(RIGHT_CALL, rest=STEP_REST.replace("loss.item()", "loss")),
    "tensors",
    "loss.item()",
)
wrong(
    "train_packed",
    "batch-to",
    "batch.to(device), as in section 10 (the collator gives a plain dict)",
    fn(
        "train_packed",
        TRAIN_HEAD
        + "        loss = model(**batch.to(model.device), use_cache=False).loss\n"
        + STEP_REST
        + "    return losses",
    ),
    "AttributeError",
    "plain dict",
)
right("train_packed", "right", steps(RIGHT_CALL))
right(
    "train_packed",
    "right, the keys spelled out and zero_grad first",
    fn(
        "train_packed",
        TRAIN_HEAD
        + MOVE_STEP
        + "        optimizer.zero_grad()\n"
        + "        out = model(input_ids=batch['input_ids'], position_ids=batch['position_ids'],\n"
        + "                    labels=batch['labels'], use_cache=False)\n"
        + "        out.loss.backward()\n        optimizer.step()\n        losses.append(float(out.loss))\n"
        + "    return losses",
    ),
)
