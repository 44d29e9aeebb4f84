"""What learners write for the exercises of section 10 (``10_batches_for_training.ipynb``), in the order they might."""

from . import CORRECT, NOT_ATTEMPTED, Rows

first_batch = Rows("first_batch")
group_by_length = Rows("group_by_length")
padded_width = Rows("padded_width")
token_loss = Rows("token_loss")
align_labels = Rows("align_labels")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- first_batch ---
    first_batch("dataloader_not_batch", "the DataLoader itself",
        "first_batch = DataLoader(features, batch_size=8, shuffle=False, collate_fn=DataCollatorWithPadding(tokenizer))",
        "DataLoader itself", "next(iter(loader))"),
    first_batch("row_count", "the notebook's loader of 16, shuffled",
        "first_batch = next(iter(loader))",
        "16 rows", "batch_size"),
    first_batch("not_the_first_features", "shuffle=True out of habit",
        "first_batch = next(iter(DataLoader(features, batch_size=8, shuffle=True, collate_fn=collator)))",
        "shuffle=True"),
    first_batch("cell_raised", "no collate_fn: the default collate cannot stack features of different lengths",
        "first_batch = next(iter(DataLoader(features, batch_size=8)))",
        "collate_fn"),
    first_batch("several_batches", "every batch in a list",
        "first_batch = list(DataLoader(features, batch_size=8, collate_fn=collator))",
        "batches", "next(iter(loader))"),
    first_batch("one_tensor", "only the ids of the batch",
        "first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=collator)))['input_ids']",
        "one tensor"),
    first_batch("padded_to_max_length", "the data set padded once, first 8 rows",
        "first_batch = {key: value[:8] for key, value in padded_all.items()}",
        "512", "pads each batch"),
    first_batch("padded_to_max_length", "the collator told to pad to max_length",
        "first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer, padding='max_length'))))",
        "512", "max_length"),
    first_batch("padded_too_far", "pad_to_multiple_of=8 from further down",
        "first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer, pad_to_multiple_of=8))))",
        "pad_to_multiple_of"),
    first_batch("numpy_array", "NumPy batches",
        "first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=DataCollatorWithPadding(tokenizer, return_tensors='np'))))",
        "NumPy array"),
    first_batch("row_count", "the last batch of a loop",
        (
            "for first_batch in DataLoader(features, batch_size=8, collate_fn=collator):\n"
            "    pass"
        ),
        "4 rows"),
    first_batch("no_labels", "the labels dropped from the features",
        (
            "no_labels = [{k: v for k, v in f.items() if k != 'label'} for f in features]\n"
            "first_batch = next(iter(DataLoader(no_labels, batch_size=8, collate_fn=collator)))"
        ),
        "no `labels`"),
    first_batch("not_the_first_features", "the slice starts at 1",
        "first_batch = collator(features[1:9])",
        "features 1 to 8", "counts from 0"),
    first_batch("no_labels", "labels taken out of the batch",
        (
            "b = next(iter(DataLoader(features, batch_size=8, collate_fn=collator)))\n"
            'first_batch = {k: v for k, v in b.items() if k != "labels"}'
        ),
        "no `labels`", "targets the loss is computed against"),
    first_batch(NOT_ATTEMPTED, "the starter code left",
        (
            "first_batch = None  # replace None with your answer\n"
            "# YOUR CODE HERE\n"
            "raise NotImplementedError()"
        )),
    first_batch(CORRECT, "right",
        (
            "first_loader = DataLoader(features, batch_size=8, shuffle=False, collate_fn=DataCollatorWithPadding(tokenizer))\n"
            "first_batch = next(iter(first_loader))"
        )),
    first_batch(CORRECT, "right, the collator on the first 8 features",
        "first_batch = DataCollatorWithPadding(tokenizer)(features[:8])"),
    first_batch(CORRECT, "right, the notebook's collator and the default shuffle",
        "first_batch = next(iter(DataLoader(features, batch_size=8, collate_fn=collator)))"),
    # --- group_by_length ---
    group_by_length("lengths_not_indices", "the sorted lengths instead of the indices",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    ordered = sorted(lengths)\n"
            "    return [ordered[i:i + batch_size] for i in range(0, len(ordered), batch_size)]"
        ),
        "lengths, not the indices"),
    group_by_length("flat_list", "sorted, but not cut into batches",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    return sorted(range(len(lengths)), key=lambda i: lengths[i])"
        ),
        "one flat list"),
    group_by_length("index_missing", "the last, shorter batch dropped",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order) - batch_size + 1, batch_size)]"
        ),
        "last, shorter batch was dropped"),
    group_by_length("not_grouped", "cut in order, never sorted",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = list(range(len(lengths)))\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]"
        ),
        "not grouped by length"),
    group_by_length("not_grouped", "sorted, then the indices shuffled",
        (
            "import random\n"
            "\n"
            "\n"
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    random.shuffle(order)\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]"
        ),
        "not grouped by length", "shuffle the batches"),
    group_by_length("mutated_arguments", "sorting the caller's list in place",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    lengths.sort()\n"
            "    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]"
        ),
        "in place"),
    group_by_length("batches_not_lists", "NumPy's argsort and array_split",
        (
            "import math\n"
            "\n"
            "import numpy as np\n"
            "\n"
            "\n"
            "def group_by_length(lengths, batch_size):\n"
            "    order = np.argsort(lengths)\n"
            "    return list(np.array_split(order, math.ceil(len(order) / batch_size)))"
        ),
        ".tolist()"),
    group_by_length("batch_not_list", "the zip(*[iter]) idiom: tuples, the rest dropped",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return list(zip(*[iter(order)] * batch_size))"
        ),
        "tuple"),
    group_by_length("small_batches", "one batch per distinct length",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    groups = {}\n"
            "    for i, n in enumerate(lengths):\n"
            "        groups.setdefault(n, []).append(i)\n"
            "    return [groups[n] for n in sorted(groups)]"
        ),
        "smaller than batch_size"),
    group_by_length("returned_none", "printed instead of returned",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    print([order[i:i + batch_size] for i in range(0, len(order), batch_size)])"
        ),
        "returned None"),
    group_by_length("batches_not_lists", "tensors",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return [torch.tensor(order[start:start + batch_size]) for start in range(0, len(order), batch_size)]"
        ),
        ".tolist()"),
    group_by_length("not_a_list", "a generator",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return (order[start:start + batch_size] for start in range(0, len(order), batch_size))"
        ),
        "generator"),
    group_by_length(CORRECT, "right",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)]"
        )),
    group_by_length(CORRECT, "right, the batches in reverse",
        (
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lambda i: lengths[i])\n"
            "    return [order[start:start + batch_size] for start in range(0, len(order), batch_size)][::-1]"
        ),
        ),
    group_by_length(CORRECT, "right, longest first and the batches shuffled",
        (
            "import random\n"
            "\n"
            "\n"
            "def group_by_length(lengths, batch_size):\n"
            "    order = sorted(range(len(lengths)), key=lengths.__getitem__, reverse=True)\n"
            "    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]\n"
            "    random.shuffle(batches)\n"
            "    return batches"
        )),
    # --- padded_width ---
    padded_width("one_multiple_too_many", "one multiple too many when it divides evenly",
        (
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return (max(lengths) // multiple + 1) * multiple"
        ),
        "one multiple too many"),
    padded_width("one_multiple_too_many", "adds the remainder's complement, a whole multiple when it divides",
        (
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return max(lengths) + (multiple - max(lengths) % multiple)"
        ),
        "one multiple too many"),
    padded_width("width_raised", "None forgotten",
        (
            "import math\n"
            "\n"
            "\n"
            "def padded_width(lengths, multiple):\n"
            "    return math.ceil(max(lengths) / multiple) * multiple"
        ),
        "may be None"),
    padded_width("width_not_a_number", "np.ceil",
        (
            "import numpy as np\n"
            "\n"
            "\n"
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return np.ceil(max(lengths) / multiple) * multiple"
        ),
        "Python int"),
    padded_width("rounded_down", "rounded down",
        (
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return max(lengths) // multiple * multiple"
        ),
        "rounded down"),
    padded_width("last_length", "the last length, not the longest",
        (
            "import math\n"
            "\n"
            "\n"
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return lengths[-1]\n"
            "    return math.ceil(lengths[-1] / multiple) * multiple"
        ),
        "not the longest"),
    padded_width("sum_rounded_up", "the total of the lengths",
        (
            "import math\n"
            "\n"
            "\n"
            "def padded_width(lengths, multiple):\n"
            "    total = sum(lengths)\n"
            "    if multiple is None:\n"
            "        return total\n"
            "    return math.ceil(total / multiple) * multiple"
        ),
        "sum of the lengths"),
    padded_width("width_list", "one width per row",
        (
            "def padded_width(lengths, multiple):\n"
            "    width = max(lengths) if multiple is None else -(-max(lengths) // multiple) * multiple\n"
            "    return [width] * len(lengths)"
        ),
        "returned a list"),
    padded_width("width_float", "a float",
        (
            "import math\n"
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return math.ceil(max(lengths) / multiple) * multiple * 1.0"
        ),
        "float"),
    padded_width("width_not_a_number", "a tensor",
        (
            "import math\n"
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return torch.tensor(math.ceil(max(lengths) / multiple) * multiple)"
        ),
        "a Python int"),
    padded_width("width_not_int", "no return",
        (
            "import math\n"
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    width = math.ceil(max(lengths) / multiple) * multiple"
        ),
        "without `return`"),
    padded_width("count_rounded_up", "the number of features rounded up",
        (
            "import math\n"
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    return math.ceil(len(lengths) / multiple) * multiple"
        ),
        "number of lengths, rounded up", "max(lengths)"),
    padded_width("power_of_two", "a power of two, as hardware likes",
        (
            "def padded_width(lengths, multiple):\n"
            "    if multiple is None:\n"
            "        return max(lengths)\n"
            "    width = 1\n"
            "    while width < max(lengths):\n"
            "        width *= 2\n"
            "    return width"
        ),
        "power of two", "math.ceil(longest / multiple) * multiple"),
    padded_width(CORRECT, "right",
        (
            "def padded_width(lengths, multiple):\n"
            "    longest = max(lengths)\n"
            "    if multiple is None:\n"
            "        return longest\n"
            "    return -(-longest // multiple) * multiple"
        )),
    padded_width(CORRECT, "right, math.ceil",
        (
            "import math\n"
            "\n"
            "\n"
            "def padded_width(lengths, multiple):\n"
            "    return max(lengths) if not multiple else math.ceil(max(lengths) / multiple) * multiple"
        )),
    padded_width(CORRECT, "right, asking the collator itself",
        (
            "def padded_width(lengths, multiple):\n"
            "    fake = [{'input_ids': [1] * n} for n in lengths]\n"
            "    return DataCollatorWithPadding(tokenizer, pad_to_multiple_of=multiple)(fake)['input_ids'].shape[1]"
        )),
    # --- token_loss ---
    token_loss("loss_raised", "3-D logits straight into F.cross_entropy",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits, labels)"
        ),
        "classes in dimension 1", "view(-1"),
    token_loss("ignored_positions_counted", "-100 clamped to class 0 and counted",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.clamp(min=0).view(-1))"
        ),
        "counts the -100"),
    token_loss("python_number", ".item() at the end",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1)).item()"
        ),
        "Python number", ".backward()"),
    token_loss("loss_per_position", "reduction='none'",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), reduction='none')"
        ),
        "one loss per position"),
    token_loss("loss_not_finite", "softmax and log by hand: large logits overflow",
        (
            "def token_loss(logits, labels):\n"
            "    p = torch.exp(logits) / torch.exp(logits).sum(dim=-1, keepdim=True)\n"
            "    keep = labels != -100\n"
            "    picked = p.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n"
            "    return -torch.log(picked[keep]).mean()"
        ),
        "NaN or infinity", "log_softmax"),
    token_loss("mean_per_row", "a mean per row",
        (
            "def token_loss(logits, labels):\n"
            "    rows = []\n"
            "    for z, y in zip(logits, labels):\n"
            "        keep = y != -100\n"
            "        rows.append(F.cross_entropy(z[keep], y[keep]))\n"
            "    return torch.stack(rows).mean()"
        ),
        "a mean per row"),
    token_loss("softmax_over_positions", "log_softmax over the wrong dimension",
        (
            "def token_loss(logits, labels):\n"
            "    keep = labels != -100\n"
            "    logp = torch.log_softmax(logits, dim=1)\n"
            "    return -logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)[keep].mean()"
        ),
        "softmax over the positions", "dim=-1"),
    token_loss("divided_by_all_positions", "masked, then the mean over every position",
        (
            "def token_loss(logits, labels):\n"
            "    per = F.cross_entropy(logits.view(-1, logits.shape[-1]), labels.view(-1), reduction='none')\n"
            "    return (per * (labels.view(-1) != -100)).mean()"
        ),
        "divided by all positions"),
    token_loss("negated", "the minus sign forgotten",
        (
            "def token_loss(logits, labels):\n"
            "    keep = labels != -100\n"
            "    logp = torch.log_softmax(logits, dim=-1)\n"
            "    return logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)[keep].mean()"
        ),
        "negative of the loss"),
    token_loss("raised", "ignore_index=0: the pad id taken for the label to ignore",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=0)"
        ),
        "ignore_index=-100"),
    token_loss("raised", "-100 used as an index into the classes",
        (
            "def token_loss(logits, labels):\n"
            "    return -torch.log_softmax(logits, dim=-1).gather(-1, labels.unsqueeze(-1)).mean()"
        ),
        "labels != -100"),
    token_loss("loss_detached", "detached for safety",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1)).detach()"
        ),
        "does not require grad", "loss.backward()"),
    token_loss("loss_detached", "computed under no_grad",
        (
            "def token_loss(logits, labels):\n"
            "    with torch.no_grad():\n"
            "        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))"
        ),
        "does not require grad"),
    token_loss("loss_detached", "a new tensor from the value",
        (
            "def token_loss(logits, labels):\n"
            "    return torch.tensor(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1)).item())"
        ),
        "does not require grad"),
    token_loss(CORRECT, "right, F.cross_entropy",
        (
            "def token_loss(logits, labels):\n"
            "    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100)"
        )),
    token_loss(CORRECT, "right, by hand",
        (
            "def token_loss(logits, labels):\n"
            "    keep = labels != -100\n"
            "    logp = torch.log_softmax(logits, dim=-1)\n"
            "    right = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n"
            "    return -right[keep].mean()"
        )),
    token_loss(CORRECT, "right, the labelled positions picked first",
        (
            "def token_loss(logits, labels):\n"
            "    keep = labels != -100\n"
            "    return F.cross_entropy(logits[keep], labels[keep])"
        )),
    # --- align_labels ---
    align_labels("every_piece", "the word's label on every piece",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    return [-100 if w is None else word_labels[w] for w in word_ids]"
        ),
        "every one of its pieces", "first piece"),
    align_labels("last_piece", "a word's first piece found by looking ahead",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels = []\n"
            "    for i, w in enumerate(word_ids):\n"
            "        if w is None:\n"
            "            labels.append(-100)\n"
            "        elif i + 1 == len(word_ids) or word_ids[i + 1] != w:\n"
            "            labels.append(word_labels[w])\n"
            "        else:\n"
            "            labels.append(-100)\n"
            "    return labels"
        ),
        "last piece", "before"),
    align_labels("zero_on_continuations", "0 on the other pieces, as word_start_labels does",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        if w is None:\n"
            "            labels.append(-100)\n"
            "        elif w != previous:\n"
            "            labels.append(word_labels[w])\n"
            "        else:\n"
            "            labels.append(0)\n"
            "        previous = w\n"
            "    return labels"
        ),
        "0 on the continuation pieces", "ignore_index=-100"),
    align_labels("zero_not_ignored", "a list of zeros, the first pieces filled in",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels = [0] * len(word_ids)\n"
            "    previous = None\n"
            "    for i, w in enumerate(word_ids):\n"
            "        if w is not None and w != previous:\n"
            "            labels[i] = word_labels[w]\n"
            "        previous = w\n"
            "    return labels"
        ),
        "0 wherever there is no label", "-100"),
    align_labels("special_token_labelled", "the special tokens given the label of the word before",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous, last = [], None, -100\n"
            "    for w in word_ids:\n"
            "        if w is None:\n"
            "            labels.append(last)\n"
            "        elif w != previous:\n"
            "            last = word_labels[w]\n"
            "            labels.append(last)\n"
            "        else:\n"
            "            labels.append(-100)\n"
            "        previous = w\n"
            "    return labels"
        ),
        "special token", "belong to no word"),
    align_labels("none_word_id", "the word id used as an index, None included",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        labels.append(word_labels[w] if w != previous else -100)\n"
            "        previous = w\n"
            "    return labels"
        ),
        "word id None", "is None"),
    align_labels("first_word_ignored", "`if w` for the special tokens: word 0 is falsy too",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        if not w:\n"
            "            labels.append(-100)\n"
            "        elif w != previous:\n"
            "            labels.append(word_labels[w])\n"
            "        else:\n"
            "            labels.append(-100)\n"
            "        previous = w\n"
            "    return labels"
        ),
        "first word", "word_id is None"),
    align_labels("previous_word_label", "word_labels[w - 1]: [CLS] counted as a word",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        labels.append(-100 if w is None or w == previous else word_labels[w - 1])\n"
            "        previous = w\n"
            "    return labels"
        ),
        "word before", "no shift"),
    align_labels("ends_assumed_special", "[CLS] and [SEP] taken to be the first and last positions",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [-100], None\n"
            "    for w in word_ids[1:-1]:\n"
            "        labels.append(word_labels[w] if w != previous else -100)\n"
            "        previous = w\n"
            "    return labels + [-100]"
        ),
        "first and last positions", "add_special_tokens=False"),
    align_labels("one_label_per_word", "the word labels given back as they are",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    return list(word_labels)"
        ),
        "one label per word", "one per token"),
    align_labels("special_tokens_dropped", "the special tokens skipped",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        if w is None:\n"
            "            continue\n"
            "        labels.append(word_labels[w] if w != previous else -100)\n"
            "        previous = w\n"
            "    return labels"
        ),
        "left out", "keep their positions"),
    align_labels("index_past_words", "the token's position used as the word's index",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels = []\n"
            "    for i, w in enumerate(word_ids):\n"
            "        if w is None or (i > 0 and word_ids[i - 1] == w):\n"
            "            labels.append(-100)\n"
            "        else:\n"
            "            labels.append(word_labels[i])\n"
            "    return labels"
        ),
        "one entry per word", "word id"),
    align_labels("empty_text_raised", "the number of words from max(word_ids)",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    words = max(w for w in word_ids if w is not None) + 1\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        labels.append(-100 if w is None or w == previous or w >= words else word_labels[w])\n"
            "        previous = w\n"
            "    return labels"
        ),
        "empty text", "-100"),
    align_labels("empty_text_no_tokens", "an empty text returned early as no labels",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    if not word_labels:\n"
            "        return []\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        labels.append(-100 if w is None or w == previous else word_labels[w])\n"
            "        previous = w\n"
            "    return labels"
        ),
        "special tokens", "-100"),
    align_labels("mutated_arguments", "the labels written into word_ids in place",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    previous = None\n"
            "    for i, w in enumerate(word_ids):\n"
            "        word_ids[i] = -100 if w is None or w == previous else word_labels[w]\n"
            "        previous = w\n"
            "    return word_ids"
        ),
        "changed the lists", "labels = []", kernel=True),
    align_labels("labels_tensor", "a tensor, ready for the model",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        labels.append(-100 if w is None or w == previous else word_labels[w])\n"
            "        previous = w\n"
            "    return torch.tensor(labels)"
        ),
        "tensor", ".tolist()"),
    align_labels("none_label", "None kept for the special tokens",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        if w is None:\n"
            "            labels.append(None)\n"
            "        else:\n"
            "            labels.append(word_labels[w] if w != previous else -100)\n"
            "        previous = w\n"
            "    return labels"
        ),
        "None among the labels", "-100"),
    align_labels("no_label_at_all", "previous updated before the comparison",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        previous = w\n"
            "        labels.append(-100 if w is None or w == previous else word_labels[w])\n"
            "    return labels"
        ),
        "-100 on every token", "after the comparison"),
    align_labels("word_start_labels", "the notebook's helper reused",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    return word_start_labels(word_ids)"
        ),
        "word-start labels", "word_labels[word_id]"),
    align_labels("labels_not_a_list", "a generator expression",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    return (-100 if w is None or (i and word_ids[i - 1] == w) else word_labels[w]\n"
            "            for i, w in enumerate(word_ids))"
        ),
        "generator", "list(...)"),
    align_labels("previous_wraps_around", "the token before by index: word_ids[i - 1] at i = 0 is the last",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    return [-100 if w is None or word_ids[i - 1] == w else word_labels[w]\n"
            "            for i, w in enumerate(word_ids)]"
        ),
        "one word in three pieces", "`word_ids[i - 1]` at i = 0", "previous = None"),
    align_labels("none_word_id", "None used as an index: the answer cell's own preview line raised too",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for w in word_ids:\n"
            "        labels.append(word_labels[w] if w != previous else -100)\n"
            "        previous = w\n"
            "    return labels\n"
            "\n"
            "\n"
            "with ex.align_labels.preview():\n"
            "    print(align_labels(word_encoded.word_ids(), word_labels))"
        ),
        "NoneType", "special tokens", "is None", kernel=True),
    align_labels(CORRECT, "right, with the word id before",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    labels, previous = [], None\n"
            "    for word_id in word_ids:\n"
            "        labels.append(-100 if word_id is None or word_id == previous else word_labels[word_id])\n"
            "        previous = word_id\n"
            "    return labels"
        )),
    align_labels(CORRECT, "right, the words already seen in a set",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    seen, labels = set(), []\n"
            "    for word_id in word_ids:\n"
            "        if word_id is None or word_id in seen:\n"
            "            labels.append(-100)\n"
            "        else:\n"
            "            seen.add(word_id)\n"
            "            labels.append(word_labels[word_id])\n"
            "    return labels"
        )),
    align_labels(CORRECT, "right, from the notebook's word_start_labels",
        (
            "def align_labels(word_ids, word_labels):\n"
            "    starts = word_start_labels(word_ids)\n"
            "    return [word_labels[w] if s == 1 else -100 for w, s in zip(word_ids, starts)]"
        ), kernel=True),
]
# fmt: on
