"""What learners write for section 12 (``12_packing_sequences.ipynb``), in the order they might."""

from . import CORRECT, Rows, function

pack = Rows("pack")
unpack = Rows("unpack")
packed_logits = Rows("packed_logits")
train_packed = Rows("train_packed")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- pack ---
    pack("positions_run_on", "position ids counted over the whole row",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(position_ids), len(position_ids) + len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "restart at 0", "find_packed_sequence_indices"),
    pack("positions_from_one", "position ids counted from 1",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(1, len(seq) + 1))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "from 1", "position 0"),
    pack("labels_no_boundary", "labels are the input ids (no -100 at the boundaries)",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += list(seq)\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "no -100", "first token of the next text"),
    pack("labels_shifted", "labels shifted by hand (the model shifts them again)",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += seq[1:] + [-100]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "shifted", "shifts the labels itself"),
    pack("boundary_at_end", "-100 on each text's last token instead of its first",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += seq[:-1] + [-100]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "last token", "first position"),
    pack("empty_text_label", "an empty text still adds a -100 label",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "empty text", "skip"),
    pack("returns_attention_mask", "an attention mask of ones added, as a padded batch has",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels]),\n"
                "        'attention_mask': torch.ones(1, len(input_ids), dtype=torch.long)}"
            )),
        "attention_mask", "no longer"),
    pack("python_list", "Python lists instead of tensors",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': [input_ids], 'position_ids': [position_ids], 'labels': [labels]}"
            )),
        "Python list", "torch.tensor"),
    pack("no_batch_dim", "one-dimensional tensors: no batch dimension",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor(input_ids), 'position_ids': torch.tensor(position_ids),\n"
                "        'labels': torch.tensor(labels)}"
            )),
        "batch dimension", "(1, "),
    pack("returned_tuple", "a tuple of three tensors instead of a dict",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return torch.tensor([input_ids]), torch.tensor([position_ids]), torch.tensor([labels])"
            )),
        "dict", "'position_ids'"),
    pack("padded", "padded into rows instead of packed into one",
        function("pack(sequences)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [0] * (width - len(s)) for s in sequences]\n"
                "pos = [list(range(width)) for s in sequences]\n"
                "labels = [s + [-100] * (width - len(s)) for s in sequences]\n"
                "return {'input_ids': torch.tensor(ids), 'position_ids': torch.tensor(pos), 'labels': torch.tensor(labels)}"
            )),
        "one row", "padded"),
    pack("ids_dtype", "int32 tensors",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {k: torch.tensor([v], dtype=torch.int32) for k, v in\n"
                "        (('input_ids', input_ids), ('position_ids', position_ids), ('labels', labels))}"
            )),
        "torch.int32", "torch.int64"),
    pack("mutated_arguments", "labels written into the caller's list",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += list(seq)\n"
                "    position_ids += list(range(len(seq)))\n"
                "    seq[0] = -100\n"
                "    labels += seq\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "changed", "caller"),
    pack("mutated_arguments", "the empty texts removed from the caller's list",
        function("pack(sequences)", (
                "sequences[:] = [s for s in sequences if len(s) > 0]\n"
                "input_ids = [t for s in sequences for t in s]\n"
                "position_ids = [p for s in sequences for p in range(len(s))]\n"
                "labels = [x for s in sequences for x in [-100] + s[1:]]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "changed", "list of texts itself"),
    pack("separator_added", "an end-of-text token between the texts",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    if input_ids:\n"
                "        input_ids.append(0)\n"
                "        position_ids.append(0)\n"
                "        labels.append(-100)\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "between each two texts", "adds no token"),
    pack("returned_none", "printed instead of returned",
        function("pack(sequences)", "print(DataCollatorWithFlattening()([{'input_ids': s} for s in sequences]))"),
        "returned None"),
    pack("positions_run_on", "position ids from one arange over the packed row",
        function("pack(sequences)", (
                "input_ids = [t for seq in sequences for t in seq]\n"
                "labels = [t for seq in sequences if seq for t in [-100] + seq[1:]]\n"
                "return {'input_ids': torch.tensor([input_ids]),\n"
                "        'position_ids': torch.arange(len(input_ids)).unsqueeze(0),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "restart at 0"),
    pack("boundary_only_first", "labels from the packed row: -100 only at its first position",
        function("pack(sequences)", (
                "input_ids, position_ids = [], []\n"
                "for seq in sequences:\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "labels = [-100] + input_ids[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            )),
        "only at the first position", "every text"),
    pack("floats", "torch.Tensor (capital T): float tensors",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.Tensor([input_ids]), 'position_ids': torch.Tensor([position_ids]),\n"
                "        'labels': torch.Tensor([labels])}"
            )),
        "float"),
    pack("returns_attention_mask", "the collator asked for an attention mask too (DataCollatorWithPadding's habit)",
        function("pack(sequences)", (
                "batch = DataCollatorWithFlattening()([{'input_ids': s} for s in sequences])\n"
                "batch['attention_mask'] = torch.ones_like(batch['input_ids'])\n"
                "return batch"
            )),
        "attention_mask"),
    pack(CORRECT, "right, by hand",
        function("pack(sequences)", (
                "input_ids, position_ids, labels = [], [], []\n"
                "for seq in sequences:\n"
                "    if not seq:\n"
                "        continue\n"
                "    input_ids += seq\n"
                "    position_ids += list(range(len(seq)))\n"
                "    labels += [-100] + seq[1:]\n"
                "return {'input_ids': torch.tensor([input_ids]), 'position_ids': torch.tensor([position_ids]),\n"
                "        'labels': torch.tensor([labels])}"
            ))),
    pack(CORRECT, "right, with torch.cat and arange",
        function("pack(sequences)", (
                "kept = [torch.tensor(s) for s in sequences if len(s)]\n"
                "ids = torch.cat(kept)\n"
                "pos = torch.cat([torch.arange(len(s)) for s in kept])\n"
                "labels = ids.clone()\n"
                "labels[pos == 0] = -100\n"
                "return {'input_ids': ids[None], 'position_ids': pos[None], 'labels': labels[None]}"
            ))),
    pack(CORRECT, "right, the collator itself",
        function("pack(sequences)", "return DataCollatorWithFlattening()([{'input_ids': s} for s in sequences])")),
    # --- unpack ---
    unpack("off_by_one", "each end one further, to include the last token",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [position_ids.shape[1]]\n"
                "return [logits[0, a:b + 1] for a, b in zip(starts, ends)]"
            )),
        "one token late", "next text"),
    unpack("one_token_text_missed", "a new text where the position id drops",
        function("unpack(logits, position_ids)", (
                "pos = position_ids[0].tolist()\n"
                "cuts = [0] + [i for i in range(1, len(pos)) if pos[i] < pos[i - 1]] + [len(pos)]\n"
                "return [logits[0, a:b] for a, b in zip(cuts, cuts[1:])]"
            )),
        "one-token text", "right after a 0"),
    unpack("sliced_batch_axis", "the slices taken on the first axis",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist() + [position_ids.shape[1]]\n"
                "return [logits[a:b] for a, b in zip(starts, starts[1:])]"
            )),
        "batch axis", "logits[0, start:end]"),
    unpack("batch_dim_kept", "each piece keeps the batch dimension",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [logits.shape[1]]\n"
                "return [logits[:, s:e] for s, e in zip(starts, ends)]"
            )),
        "batch dimension", "logits[0, start:end]"),
    unpack("last_dropped", "the last text forgotten",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "return [logits[0, s:e] for s, e in zip(starts, starts[1:])]"
            )),
        "last text"),
    unpack("off_by_one", "cut one token after each start",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "cuts = [s + 1 for s in starts[1:]]\n"
                "return [logits[0, s:e] for s, e in zip([0] + cuts, cuts + [logits.shape[1]])]"
            )),
        "one token", "position 0"),
    unpack("empty_first", "an empty piece before the first text",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "bounds = [0] + starts + [logits.shape[1]]\n"
                "return [logits[0, s:e] for s, e in zip(bounds, bounds[1:])]"
            )),
        "empty"),
    unpack("stacked", "the pieces padded into one tensor",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [logits.shape[1]]\n"
                "return torch.nn.utils.rnn.pad_sequence([logits[0, s:e] for s, e in zip(starts, ends)], batch_first=True)"
            )),
        "one tensor", "list"),
    unpack("returned_lengths", "the lengths instead of the logits",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [logits.shape[1]]\n"
                "return [e - s for s, e in zip(starts, ends)]"
            )),
        "numbers", "slices"),
    unpack("fixed_split", "the notebook's lengths instead of the position ids",
        function("unpack(logits, position_ids)", "return list(torch.split(logits[0], [len(f['input_ids']) for f in features]))"),
        "position_ids"),
    unpack("python_list", "each piece turned into nested lists with .tolist()",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [logits.shape[1]]\n"
                "return [logits[0, s:e].tolist() for s, e in zip(starts, ends)]"
            )),
        "not a tensor"),
    unpack("starts_of_both_dimensions", "the starts found without [0]: nonzero() gives a row and a column",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [logits.shape[1]]\n"
                "return [logits[0, s:e] for s, e in zip(starts, ends)]"
            )),
        "row index", "position_ids[0]"),
    unpack(CORRECT, "right, the starts of the texts",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten().tolist()\n"
                "ends = starts[1:] + [logits.shape[1]]\n"
                "return [logits[0, s:e] for s, e in zip(starts, ends)]"
            ))),
    unpack(CORRECT, "right, torch.split on the lengths (a tuple)",
        function("unpack(logits, position_ids)", (
                "starts = (position_ids[0] == 0).nonzero().flatten()\n"
                "lengths = torch.diff(starts, append=torch.tensor([position_ids.shape[1]])).tolist()\n"
                "return torch.split(logits[0], lengths)"
            ))),
    unpack(CORRECT, "right, a loop over the positions",
        function("unpack(logits, position_ids)", (
                "pieces, current = [], []\n"
                "for i, p in enumerate(position_ids[0].tolist()):\n"
                "    if p == 0 and current:\n"
                "        pieces.append(logits[0, current[0]:current[-1] + 1])\n"
                "        current = []\n"
                "    current.append(i)\n"
                "pieces.append(logits[0, current[0]:current[-1] + 1])\n"
                "return pieces"
            ))),
    # --- packed_logits ---
    packed_logits(CORRECT, "the cache switched off in the config in a cell of its own, then model(**batch)",
        ("model.config.use_cache = False",
         function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(**batch).logits"
            )))),
    packed_logits(CORRECT, "right, the cache switched off in the config",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "model.config.use_cache = False\n"
                "return model(input_ids=batch['input_ids'], position_ids=batch['position_ids']).logits"
            ))),
    packed_logits("cache_on", "model(**batch): the cache left on",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(**batch).logits"
            )),
        "use_cache", "True", "attended to each other", kernel=True),
    packed_logits("cache_on", "in training mode, the cache still on",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "model.train()\n"
                "logits = model(**batch).logits\n"
                "model.eval()\n"
                "return logits"
            )),
        "use_cache", "training mode too"),
    packed_logits("attention_mask_passed", "an attention mask of ones passed along",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "mask = torch.ones_like(batch['input_ids'])\n"
                "return model(input_ids=batch['input_ids'], position_ids=batch['position_ids'], attention_mask=mask, use_cache=False).logits"
            )),
        "attention mask", "attention_mask is None", kernel=True),
    packed_logits("no_position_ids", "the position ids left out",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(input_ids=batch['input_ids'], use_cache=False).logits"
            )),
        "position_ids", "0, 1, 2"),
    packed_logits("positions_not_restarting", "position ids of its own, counted over the whole row",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "positions = torch.arange(batch['input_ids'].shape[1], device=model.device)[None]\n"
                "return model(input_ids=batch['input_ids'], position_ids=positions, use_cache=False).logits"
            )),
        "restart", "one text"),
    packed_logits("texts_one_at_a_time", "each text run alone and the logits joined",
        function("packed_logits(batch)", (
                "ids, pos = batch['input_ids'][0], batch['position_ids'][0]\n"
                "starts = (pos == 0).nonzero().flatten().tolist() + [len(ids)]\n"
                "pieces = [model(input_ids=ids[None, s:e].to(model.device)).logits for s, e in zip(starts, starts[1:])]\n"
                "return torch.cat(pieces, dim=1)"
            )),
        "one at a time", "one call", kernel=True),
    packed_logits("model_output", "the model's whole output returned",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(**batch, use_cache=False)"
            )),
        "whole output", ".logits", kernel=True),
    packed_logits("logits_without_batch", "the row's logits without the batch dimension",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(**batch, use_cache=False).logits[0]"
            )),
        "batch dimension"),
    packed_logits("returned_ids", "the predicted ids instead of the logits",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(**batch, use_cache=False).logits.argmax(dim=-1)"
            )),
        "ids", "argmax"),
    packed_logits("mutated_arguments", "the labels popped out of the caller's batch",
        function("packed_logits(batch)", (
                "batch.pop('labels', None)\n"
                "return model(**{k: v.to(model.device) for k, v in batch.items()}, use_cache=False).logits"
            )),
        "changed", "batch"),
    packed_logits(CORRECT, "right, attention_mask=None said out loud, under no_grad",
        function("packed_logits(batch)", (
                "with torch.no_grad():\n"
                "    out = model(input_ids=batch['input_ids'].to(model.device), attention_mask=None,\n"
                "                position_ids=batch['position_ids'].to(model.device), use_cache=False)\n"
                "return out.logits"
            ))),
    packed_logits("python_list", "the logits as nested lists (.tolist())",
        function("packed_logits(batch)", (
                "return model(input_ids=batch['input_ids'].to(model.device),\n"
                "             position_ids=batch['position_ids'].to(model.device), use_cache=False).logits.tolist()"
            )),
        "not a tensor"),
    packed_logits(CORRECT, "right, use_cache=False",
        function("packed_logits(batch)", (
                "return model(input_ids=batch['input_ids'].to(model.device),\n"
                "             position_ids=batch['position_ids'].to(model.device), use_cache=False).logits"
            )), kernel=True),
    packed_logits(CORRECT, "right, the whole batch with its labels",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "return model(**batch, use_cache=False).logits"
            ))),
    packed_logits(CORRECT, "right, under inference_mode",
        function("packed_logits(batch)", (
                "batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "with torch.inference_mode():\n"
                "    return model(input_ids=batch['input_ids'], position_ids=batch['position_ids'],\n"
                "                 use_cache=False).logits"
            ))),
    # --- train_packed ---
    train_packed("cache_on", "section 10's loop as it was: the cache on",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "use_cache", "training mode too", kernel=True),
    train_packed("attention_mask_passed", "an attention mask of ones passed",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, attention_mask=torch.ones_like(batch['input_ids']), use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "attention mask"),
    train_packed("no_position_ids", "the position ids left out",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(input_ids=batch['input_ids'], labels=batch['labels'], use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "IndexError", "position_ids", kernel=True),
    train_packed("eval_mode", "no model.train()",
        function("train_packed(model, optimizer, batches)", (
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "eval mode", "model.train()"),
    train_packed("no_zero_grad", "no zero_grad",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "never cleared", "zero_grad"),
    train_packed("no_update", "zero_grad between backward and step",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.zero_grad()\n"
                "    optimizer.step()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "never changed", "between them"),
    train_packed("labels_not_shifted", "the loss by hand from the logits, labels not shifted",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    logits = model(input_ids=batch['input_ids'], position_ids=batch['position_ids'],\n"
                "                   use_cache=False).logits\n"
                "    loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.shape[-1]),\n"
                "                                             batch['labels'].view(-1), ignore_index=-100)\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "not shifted", "logits[:, :-1]"),
    train_packed("no_update", "no backward",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "never changed"),
    train_packed("losses_tensors", "the loss tensors kept",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss)\n"
                "return losses"
            )),
        "tensors", "loss.item()"),
    train_packed("batch_to", "batch.to(device), as in section 10 (the collator gives a plain dict)",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    loss = model(**batch.to(model.device), use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "AttributeError", "plain dict", kernel=True),
    train_packed("labels_across_texts", "labels=input_ids, the usual causal-LM recipe: no -100 between the texts",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(input_ids=batch['input_ids'], position_ids=batch['position_ids'],\n"
                "                 labels=batch['input_ids'], use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "labels", "-100", "first token of the next text", kernel=True),
    train_packed("losses_not_a_list", "the losses returned as one tensor",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return torch.tensor(losses)"
            )),
        "did not return a list"),
    train_packed("losses_differ", "an optimizer of its own instead of the one given",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )),
        "the update between batches differs", "the optimizer you were given"),
    train_packed(CORRECT, "right",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    loss = model(**batch, use_cache=False).loss\n"
                "    loss.backward()\n"
                "    optimizer.step()\n"
                "    optimizer.zero_grad()\n"
                "    losses.append(loss.item())\n"
                "return losses"
            )), kernel=True),
    train_packed(CORRECT, "right, the keys spelled out and zero_grad first",
        function("train_packed(model, optimizer, batches)", (
                "model.train()\n"
                "losses = []\n"
                "for batch in batches:\n"
                "    batch = {k: v.to(model.device) for k, v in batch.items()}\n"
                "    optimizer.zero_grad()\n"
                "    out = model(input_ids=batch['input_ids'], position_ids=batch['position_ids'],\n"
                "                labels=batch['labels'], use_cache=False)\n"
                "    out.loss.backward()\n"
                "    optimizer.step()\n"
                "    losses.append(float(out.loss))\n"
                "return losses"
            ))),
]
# fmt: on
