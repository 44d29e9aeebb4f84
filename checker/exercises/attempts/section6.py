"""What learners write for the exercises of section 6 (``06_attention_masks.ipynb``), in the order they might."""

from . import CORRECT, Rows, function

attention_mask = Rows("attention_mask")
masked_logits = Rows("masked_logits")
pad_and_mask = Rows("pad_and_mask")
manual_logits = Rows("manual_logits")
tokenizer_batch = Rows("tokenizer_batch")
mean_pool = Rows("mean_pool")

SIG = "mean_pool(hidden, attention_mask)"

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- attention_mask ---
    attention_mask("python_list", "a list of lists",
        "attention_mask = [[1, 1, 1], [1, 1, 0]]",
        "a Python list, not a tensor", "torch.tensor"),
    attention_mask("mask_dtype", "a comparison gives booleans",
        "attention_mask = torch.tensor(batched_ids) != tokenizer.pad_token_id",
        "dtype torch.bool", ".long()"),
    attention_mask("mask_dtype", "floats",
        "attention_mask = torch.tensor([[1., 1., 1.], [1., 1., 0.]])",
        "dtype torch.float32"),
    attention_mask("mask_dtype", "int32",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]]).int()",
        "dtype torch.int32", "torch.int64"),
    attention_mask("additive_mask", "0 and -inf, the mask as the model adds it to the scores",
        'attention_mask = torch.tensor([[0.0, 0.0, 0.0], [0.0, 0.0, float("-inf")]])',
        "additive mask", "reads 0 as padding"),
    attention_mask("additive_mask", "0 and a large negative number",
        "attention_mask = (1 - torch.tensor([[1, 1, 1], [1, 1, 0]])) * -10000.0",
        "additive mask"),
    attention_mask("mask_inverted", "inverted",
        "attention_mask = torch.tensor([[0, 0, 0], [0, 0, 1]])",
        "inverted"),
    attention_mask("all_ones", "all ones",
        "attention_mask = torch.ones_like(torch.tensor(batched_ids))",
        "all 1s"),
    attention_mask("all_ones", "the tokenizer's pad of already padded ids: all ones",
        'attention_mask = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")["attention_mask"]',
        "all 1s"),
    attention_mask("mask_values", "the ids themselves",
        "attention_mask = torch.tensor(batched_ids)",
        "values other than 0 and 1"),
    attention_mask("mask_shape", "transposed",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]]).T",
        "transposed"),
    attention_mask("mask_no_batch_dimension", "flattened",
        "attention_mask = torch.tensor([1, 1, 1, 1, 1, 0])",
        "no batch dimension"),
    attention_mask("lengths_not_mask", "the lengths instead of a mask",
        "attention_mask = torch.tensor([3, 2])",
        "each sequence's length"),
    attention_mask("mask_misaligned", "the 0 in the wrong place",
        "attention_mask = torch.tensor([[1, 1, 1], [0, 1, 1]])",
        "does not line up with the padding", "row 1, position 0", "right number of 1s", "0s last"),
    attention_mask("mask_misaligned", "one 0 too many",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 0, 0]])",
        "does not line up with the padding", "1 1s for 2 real tokens"),
    attention_mask("cell_raised", "the unpadded shape",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1]])",
        "raised ValueError", "ragged"),
    attention_mask("numpy_array", "a NumPy array",
        (
            "import numpy as np\n"
            "attention_mask = np.array([[1, 1, 1], [1, 1, 0]])"
        ),
        "NumPy array"),
    attention_mask(CORRECT, "right", "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]])"),
    attention_mask(CORRECT, "right, from the ids",
        "attention_mask = (torch.tensor(batched_ids) != tokenizer.pad_token_id).long()"),
    attention_mask(CORRECT, "right, a comprehension",
        "attention_mask = torch.tensor([[int(t != tokenizer.pad_token_id) for t in row] for row in batched_ids])"),
    attention_mask(CORRECT, "right, ones then a zero",
        (
            "attention_mask = torch.ones(2, 3, dtype=torch.long)\n"
            "attention_mask[1, 2] = 0"
        )),
    attention_mask(CORRECT, "right, the tokenizer's pad of the unpadded ids",
        'attention_mask = tokenizer.pad({"input_ids": [[200, 200, 200], [200, 200]]}, return_tensors="pt")["attention_mask"]'),
    attention_mask(CORRECT, "right, LongTensor", "attention_mask = torch.LongTensor([[1, 1, 1], [1, 1, 0]])"),
    # --- masked_logits ---
    masked_logits("unmasked_call", "no mask (section 5's habit)",
        "masked_logits = model(torch.tensor(batched_ids)).logits",
        "call without an attention mask", "attention_mask="),
    masked_logits("known_wrong_logits", "the unmasked logits, rounded",
        "masked_logits = model(torch.tensor(batched_ids)).logits.round(decimals=4)",
        "padded logits computed without the mask"),
    masked_logits("typed_in", "DistilBERT's published masked logits typed in from the original course",
        "masked_logits = torch.tensor([[1.5694, -1.3895], [0.5803, -0.4125]])",
        "DistilBERT numbers, typed in"),
    masked_logits("model_output", "the whole output",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask)",
        "model's whole output", ".logits"),
    masked_logits("one_at_a_time", "the two single runs joined",
        "masked_logits = torch.cat([logits1, logits2])",
        "one sequence at a time", "2 separate model calls", "torch.cat"),
    masked_logits("one_at_a_time", "each row run alone with its own mask, in a loop",
        (
            "masked_logits = torch.cat([model(torch.tensor([ids]), attention_mask=m[None]).logits\n"
            "                           for ids, m in zip(batched_ids, attention_mask)])"
        ),
        "one sequence at a time"),
    masked_logits("typed_in", "numbers typed in from the print",
        "masked_logits = torch.tensor([[2.3606, -2.4083], [1.8534, -1.9193]])",
        "4 decimals", "typed in"),
    masked_logits("typed_in", "rounded",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits.round(decimals=4)",
        "4 decimals", "rounded"),
    masked_logits("mask_of_call", "a mask of all ones",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=torch.ones(2, 3, dtype=torch.long)).logits",
        "mask is all 1s", "3 and 2"),
    masked_logits("mask_of_call", "the mask inverted",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=1 - attention_mask).logits",
        "mask is inverted"),
    masked_logits("additive_mask_of_call", "an additive mask, as the model uses inside",
        (
            "additive = (1.0 - attention_mask.float()) * -1e9\n"
            "masked_logits = model(torch.tensor(batched_ids), attention_mask=additive).logits"
        ),
        "values other than 0 and 1", "additive mask", "reads its 0s as padding"),
    masked_logits("unmasked_call", "a keyword the model does not know (mask=)",
        "masked_logits = model(torch.tensor(batched_ids), mask=attention_mask).logits",
        "call without an attention mask", "attention_mask="),
    masked_logits("unmasked_call", "the mask passed as token_type_ids",
        "masked_logits = model(torch.tensor(batched_ids), token_type_ids=attention_mask).logits",
        "call without an attention mask"),
    masked_logits("probabilities", "probabilities",
        "masked_logits = torch.softmax(model(torch.tensor(batched_ids), attention_mask=attention_mask).logits, dim=-1)",
        "probabilities"),
    masked_logits("integers", "the predicted labels",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits.argmax(dim=-1)",
        "holds integers"),
    masked_logits("logits_no_batch_dimension", "one row only",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits[1]",
        "no batch dimension"),
    masked_logits("python_list", "a list of floats",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits.tolist()",
        "a Python list"),
    masked_logits("padded_with_other_id", "padded with [UNK] (id 100), masked",
        "masked_logits = model(torch.tensor([[200, 200, 200], [200, 200, 100]]), attention_mask=attention_mask).logits",
        "padded with id 100", "tokenizer.pad_token_id"),
    masked_logits("call_shape", "padded one column too far, masked",
        (
            "masked_logits = model(torch.tensor([row + [0] for row in batched_ids]),\n"
            "                      attention_mask=torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])).logits"
        ),
        "(2, 4)", "(2, 3)"),
    masked_logits("cell_raised", "the list of ids, not a tensor, after a right answer ran",
        ("masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits", "masked_logits = model(batched_ids, attention_mask=attention_mask).logits",),
        "raised AttributeError", "earlier run", "Python list where it takes a tensor"),
    masked_logits(CORRECT, "right",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits"),
    masked_logits(CORRECT, "right, no_grad",
        (
            "with torch.no_grad():\n"
            "    masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits"
        )),
    masked_logits(CORRECT, "right, positional mask",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask).logits"),
    masked_logits(CORRECT, "right, keywords and [0]",
        "masked_logits = model(input_ids=torch.tensor(batched_ids), attention_mask=attention_mask)[0]"),
    masked_logits(CORRECT, "right, a boolean mask",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask.bool()).logits"),
    masked_logits(CORRECT, "right, a dict unpacked, inference_mode",
        (
            "inputs = {'input_ids': torch.tensor(batched_ids), 'attention_mask': attention_mask}\n"
            "with torch.inference_mode():\n"
            "    masked_logits = model(**inputs).logits"
        )),
    masked_logits(CORRECT, "right, inputs on the model's device, logits brought to the CPU",
        "masked_logits = model(torch.tensor(batched_ids).to(model.device), attention_mask=attention_mask.to(model.device)).logits.cpu()"),
    masked_logits(CORRECT, "right, detached",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits.detach()"),
    # --- pad_and_mask ---
    pad_and_mask("python_list", "returns the lists",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return ids, mask"
            )),
        "a Python list, not a tensor", "torch tensor"),
    pad_and_mask("list_of_two", "returns a list of the two tensors",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return [torch.tensor(ids), torch.tensor(mask)]"
            )),
        "a list of two things", "tuple"),
    pad_and_mask("not_two_things", "returns a dict",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return {'input_ids': torch.tensor(ids), 'attention_mask': torch.tensor(mask)}"
            )),
        "must return two things", "dict"),
    pad_and_mask("not_two_things", "only the ids",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids)"
            )),
        "must return two things"),
    pad_and_mask("mask_from_ids", "mask from the ids",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "ids = torch.tensor(ids)\n"
                "return ids, (ids != pad_id).long()"
            )),
        "computed from the ids", "a real token has the pad id's value"),
    pad_and_mask("mask_dtype", "mask from the ids, booleans",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "ids = torch.tensor(ids)\n"
                "return ids, ids != pad_id"
            )),
        "dtype torch.bool"),
    pad_and_mask("pair_swapped", "swapped",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(mask), torch.tensor(ids)"
            )),
        "wrong order"),
    pad_and_mask("pads_with_zero", "pad id hard-coded",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [0] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "pads with 0, not with `pad_id`", "pad_id=1"),
    pad_and_mask("pads_with_zero", "the tokenizer's pad",
        function("pad_and_mask(sequences, pad_id)", (
                "batch = tokenizer.pad({'input_ids': sequences}, return_tensors='pt')\n"
                "return batch['input_ids'], batch['attention_mask']"
            )),
        "pads with 0, not with `pad_id`"),
    pad_and_mask("pads_on_the_left", "left padding",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [[pad_id] * (width - len(s)) + s for s in sequences]\n"
                "mask = [[0] * (width - len(s)) + [1] * len(s) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "padded on the left"),
    pad_and_mask("mask_inverted", "the mask inverted",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[0] * len(s) + [1] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "inverted", "On the short batch"),
    pad_and_mask("mutated_arguments", "+= on the caller's lists",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "for s in sequences:\n"
                "    s += [pad_id] * (width - len(s))\n"
                "return torch.tensor(sequences), torch.tensor(mask)"
            )),
        "changed the lists it was given"),
    pad_and_mask("mask_dtype", "a float mask from torch.zeros",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = torch.zeros(len(sequences), width)\n"
                "for i, s in enumerate(sequences):\n"
                "    mask[i, :len(s)] = 1\n"
                "return torch.tensor(ids), mask"
            )),
        "dtype torch.float32"),
    pad_and_mask("ids_dtype", "int32",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids, dtype=torch.int32), torch.tensor(mask, dtype=torch.int32)"
            )),
        "dtype torch.int32"),
    pad_and_mask("all_ones", "a mask of ones",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "ids = torch.tensor(ids)\n"
                "return ids, torch.ones_like(ids)"
            )),
        "all 1s"),
    pad_and_mask("lengths_not_mask", "the lengths as the mask",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor([len(s) for s in sequences])"
            )),
        "each sequence's length"),
    pad_and_mask("empty_sequence_floats", "pad_sequence on tensors of the lists",
        function("pad_and_mask(sequences, pad_id)", (
                "from torch.nn.utils.rnn import pad_sequence\n"
                "ids = pad_sequence([torch.tensor(s) for s in sequences], batch_first=True, padding_value=pad_id)\n"
                "mask = pad_sequence([torch.ones(len(s), dtype=torch.long) for s in sequences], batch_first=True)\n"
                "return ids, mask"
            )),
        "an empty sequence, first", "torch.tensor([])"),
    pad_and_mask("wrong_length", "an off-by-one width",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences) + 1\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "wrong length", "no further"),
    pad_and_mask("wrong_length", "the first sequence's width",
        function("pad_and_mask(sequences, pad_id)", (
                "width = len(sequences[0])\n"
                "ids = [(s + [pad_id] * width)[:width] for s in sequences]\n"
                "mask = [([1] * len(s) + [0] * width)[:width] for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "the first sequence is the shorter", "cut to 1 id,"),
    pad_and_mask("reordered", "sorted by length",
        function("pad_and_mask(sequences, pad_id)", (
                "sequences = sorted(sequences, key=len, reverse=True)\n"
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "another order"),
    pad_and_mask("numpy_array", "NumPy arrays",
        "import numpy as np\n" + function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return np.array(ids), np.array(mask)"
            )),
        "NumPy array"),
    pad_and_mask("empty_batch_floats", "no dtype: ints stay ints, except in a batch of empty sequences",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids), torch.tensor(mask)"
            )),
        "every sequence empty", "float32", "dtype=torch.long"),
    pad_and_mask("raised", "the width taken from the first sequence",
        function("pad_and_mask(sequences, pad_id)", (
                "width = len(sequences[0])\n"
                "ids = torch.tensor([s + [pad_id] * (width - len(s)) for s in sequences], dtype=torch.long)\n"
                "mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in sequences], dtype=torch.long)\n"
                "return ids, mask"
            )),
        "raised ValueError", "ragged", "first sequence's length (1)", "max(len(s) for s in sequences)"),
    pad_and_mask("mask_dtype", "the dtype given to the ids only: the mask of a batch of empty sequences is float",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids, dtype=torch.long), torch.tensor(mask)"
            )),
        "every sequence empty", "dtype torch.float32"),
    pad_and_mask(CORRECT, "right",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.tensor(ids, dtype=torch.long), torch.tensor(mask, dtype=torch.long)"
            ))),
    pad_and_mask(CORRECT, "right, pad_sequence with int64",
        function("pad_and_mask(sequences, pad_id)", (
                "from torch.nn.utils.rnn import pad_sequence\n"
                "ids = pad_sequence([torch.tensor(s, dtype=torch.long) for s in sequences], batch_first=True, padding_value=pad_id)\n"
                "mask = pad_sequence([torch.ones(len(s), dtype=torch.long) for s in sequences], batch_first=True)\n"
                "return ids, mask"
            ))),
    pad_and_mask(CORRECT, "right, full tensors filled",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = torch.full((len(sequences), width), pad_id)\n"
                "mask = torch.zeros(len(sequences), width, dtype=torch.long)\n"
                "for i, s in enumerate(sequences):\n"
                "    ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)\n"
                "    mask[i, :len(s)] = 1\n"
                "return ids, mask"
            ))),
    pad_and_mask(CORRECT, "right, arange against the lengths",
        function("pad_and_mask(sequences, pad_id)", (
                "lengths = torch.tensor([len(s) for s in sequences])\n"
                "width = int(lengths.max())\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = (torch.arange(width)[None, :] < lengths[:, None]).long()\n"
                "return torch.tensor(ids, dtype=torch.long), mask"
            ))),
    pad_and_mask(CORRECT, "right, a loop over copies",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids, mask = [], []\n"
                "for s in sequences:\n"
                "    row = list(s)\n"
                "    m = [1] * len(row)\n"
                "    while len(row) < width:\n"
                "        row.append(pad_id)\n"
                "        m.append(0)\n"
                "    ids.append(row)\n"
                "    mask.append(m)\n"
                "return (torch.tensor(ids, dtype=torch.long), torch.tensor(mask, dtype=torch.long))"
            ))),
    pad_and_mask(CORRECT, "right, LongTensor",
        function("pad_and_mask(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
                "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
                "return torch.LongTensor(ids), torch.LongTensor(mask)"
            ))),
    # the first id off by one: named by plain numbers (a fake tokenizer once made it "token tensor(200)")
    pad_and_mask("wrong_token", "the first id off by one",
        function("pad_and_mask(sequences, pad_id)", (
            "width = max(len(s) for s in sequences)\n"
            "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
            "ids[0] = [ids[0][0] + 1] + ids[0][1:]\n"
            "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
            "return torch.tensor(ids), torch.tensor(mask)"
        )),
        "Expected: token 200", "Found: token 201"),
    # --- manual_logits ---
    manual_logits("one_at_a_time", "the sentences run alone, joined",
        "manual_logits = torch.cat(alone)",
        "one sequence at a time", "torch.cat"),
    manual_logits("unmasked_call", "no mask",
        (
            "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "manual_logits = model(ids).logits"
        ),
        "call without an attention mask"),
    manual_logits("known_wrong_logits", "the tokenizer's batch",
        'manual_logits = model(**tokenizer(sentences, padding=True, return_tensors="pt")).logits',
        "[CLS] and [SEP]", "manual tokenization"),
    manual_logits("padded_with_other_id", "padded with 100 (the original course's padding_id)",
        (
            "ids, mask = pad_and_mask(manual_ids, 100)\n"
            "manual_logits = model(ids, attention_mask=mask).logits"
        ),
        "padded with id 100", "tokenizer.pad_token_id"),
    manual_logits("typed_in", "typed in",
        "manual_logits = torch.tensor([[-2.5358, 2.5810], [1.2422, -1.2837]])",
        "4 decimals"),
    manual_logits("reordered_batch", "the sentences in reverse order",
        (
            "ids, mask = pad_and_mask(manual_ids[::-1], tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=mask).logits"
        ),
        "another order", "6 and 14"),
    manual_logits("known_wrong_logits", "the previous exercise's logits",
        "manual_logits = masked_logits",
        "short batch's masked logits"),
    manual_logits("mask_of_call", "a mask of ones",
        (
            "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=torch.ones_like(ids)).logits"
        ),
        "mask is all 1s"),
    manual_logits("probabilities", "probabilities",
        (
            "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=mask).logits.softmax(dim=-1)"
        ),
        "probabilities"),
    manual_logits("logits_shape", "one sentence only",
        (
            "ids, mask = pad_and_mask(manual_ids[:1], tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=mask).logits"
        ),
        "wrong shape", "(2, 2)"),
    manual_logits("cell_raised", "the tokens, not the ids",
        (
            "ids, mask = pad_and_mask([tokenizer.tokenize(s) for s in sentences], tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=mask).logits"
        ),
        "raised ValueError", "token strings", "convert_tokens_to_ids"),
    manual_logits("cell_raised", "the pair passed as one argument",
        "manual_logits = model(pad_and_mask(manual_ids, tokenizer.pad_token_id)).logits",
        "raised AttributeError", "tuple", "model(*pair)"),
    manual_logits(CORRECT, "right",
        (
            "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=mask).logits"
        )),
    manual_logits(CORRECT, "right, unpacked positionally",
        "manual_logits = model(*pad_and_mask(manual_ids, tokenizer.pad_token_id)).logits"),
    manual_logits(CORRECT, "right, no_grad and keywords",
        (
            "input_ids, attention_mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "with torch.no_grad():\n"
            "    manual_logits = model(input_ids=input_ids, attention_mask=attention_mask).logits"
        )),
    manual_logits(CORRECT, "right, the tokenizer's pad of the manual ids",
        (
            'padded = tokenizer.pad({"input_ids": manual_ids}, return_tensors="pt")\n'
            "manual_logits = model(**padded).logits"
        )),
    manual_logits(CORRECT, "right, the tokenizer without special tokens",
        (
            'b = tokenizer(sentences, padding=True, add_special_tokens=False, return_tensors="pt")\n'
            "manual_logits = model(**b).logits"
        )),
    manual_logits(CORRECT, "right, [0] of the output",
        (
            "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "manual_logits = model(ids, attention_mask=mask)[0]"
        )),
    # --- tokenizer_batch ---
    tokenizer_batch("python_list", "no return_tensors",
        "batch = tokenizer(sentences, padding=True)",
        "a Python list", "return_tensors"),
    tokenizer_batch("ragged_fields", "neither padding nor return_tensors",
        "batch = tokenizer(sentences)",
        "ragged", "padding=True"),
    tokenizer_batch("cell_raised", "no padding, after a right answer ran",
        ('batch = tokenizer(sentences, padding=True, return_tensors="pt")', 'batch = tokenizer(sentences, return_tensors="pt")',),
        "raised ValueError", "earlier run"),
    tokenizer_batch("numpy_array", "NumPy",
        'batch = tokenizer(sentences, padding=True, return_tensors="np")',
        "NumPy array", "return_tensors='np'"),
    tokenizer_batch("single_tensor", "only the ids",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt")["input_ids"]',
        "single tensor"),
    tokenizer_batch("special_tokens_missing", "without special tokens",
        'batch = tokenizer(sentences, padding=True, add_special_tokens=False, return_tensors="pt")',
        "no [CLS] and [SEP]", "add_special_tokens=False", "the whole output"),
    tokenizer_batch("wrong_length", "padded to the maximum length",
        'batch = tokenizer(sentences, padding="max_length", return_tensors="pt")',
        "padded to 512 ids", "no further"),
    tokenizer_batch("wrong_length", "truncated",
        'batch = tokenizer(sentences, padding=True, truncation=True, max_length=8, return_tensors="pt")',
        "truncated the longer rows to 8 ids", "pad to the longest"),
    tokenizer_batch("encoded_as_pair", "the two sentences as a pair",
        'batch = tokenizer(*sentences, padding=True, return_tensors="pt")',
        "as a pair", "token_type_ids"),
    tokenizer_batch("sequence_count", "one sentence",
        'batch = tokenizer(sentences[0], padding=True, return_tensors="pt")',
        "has 1 sequence."),
    tokenizer_batch("special_tokens_missing", "the manual ids with their mask",
        (
            "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
            "batch = {'input_ids': ids, 'attention_mask': mask}"
        ),
        "no [CLS] and [SEP]", "tokenize()"),
    tokenizer_batch("special_tokens_missing", "the manual ids alone",
        "batch = pad_and_mask(manual_ids, tokenizer.pad_token_id)[0]",
        "no [CLS] and [SEP] tokens", "tokenize()"),
    tokenizer_batch("wrong_length", "padded to 20",
        'batch = tokenizer(sentences, padding="max_length", max_length=20, return_tensors="pt")',
        "padded to 20 ids"),
    tokenizer_batch("missing_field", "no attention mask",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt", return_attention_mask=False)',
        "no `attention_mask`"),
    tokenizer_batch(CORRECT, "right", 'batch = tokenizer(sentences, padding=True, return_tensors="pt")'),
    tokenizer_batch(CORRECT, "right, padding='longest'",
        'batch = tokenizer(sentences, padding="longest", return_tensors="pt")'),
    tokenizer_batch(CORRECT, "right, the cell above's batch", "batch = tokenized"),
    tokenizer_batch("missing_token_type_ids", "without token_type_ids, which the task names",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt", return_token_type_ids=False)',
        "no `token_type_ids`", "return_token_type_ids=False"),
    tokenizer_batch("missing_token_type_ids", "the two tensors it thinks it needs, copied into a dict",
        (
            'full = tokenizer(sentences, padding=True, return_tensors="pt")\n'
            'batch = {"input_ids": full["input_ids"], "attention_mask": full["attention_mask"]}'
        ),
        "no `token_type_ids`"),
    tokenizer_batch(CORRECT, "right, moved to the model's device",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt").to(model.device)'),
    tokenizer_batch(CORRECT, "right, as a dict",
        'batch = dict(tokenizer(sentences, padding=True, return_tensors="pt"))'),
    tokenizer_batch(CORRECT, "right, text= keyword",
        'batch = tokenizer(text=sentences, padding=True, return_tensors="pt")'),
    # --- mean_pool ---
    mean_pool(CORRECT, "right, the notebook's weights, clamped",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)"
            ))),
    mean_pool(CORRECT, "right, sentence-transformers' way: expanded float mask, counts clamped to 1e-9",
        function(SIG, (
                "mask = attention_mask.unsqueeze(-1).expand(hidden.size()).float()\n"
                "summed = torch.sum(hidden * mask, 1)\n"
                "counts = torch.clamp(mask.sum(1), min=1e-9)\n"
                "return summed / counts"
            ))),
    mean_pool(CORRECT, "right, masked_fill and a boolean mask",
        function(SIG, (
                "real = attention_mask.bool()\n"
                "summed = hidden.masked_fill(~real.unsqueeze(-1), 0.0).sum(dim=1)\n"
                "return summed / real.sum(dim=1, keepdim=True).clamp(min=1)"
            ))),
    mean_pool(CORRECT, "right, one row at a time, stacked",
        function(SIG, (
                "rows = []\n"
                "for h, m in zip(hidden, attention_mask):\n"
                "    real = h[m.bool()]\n"
                "    rows.append(real.mean(dim=0) if len(real) else torch.zeros(h.shape[-1]))\n"
                "return torch.stack(rows)"
            ))),
    mean_pool("unmasked_mean", "the mean over every position",
        function(SIG, "return hidden.mean(dim=1)"),
        "every position, pads included", "not zero"),
    mean_pool("divides_by_width", "masked sum over the padded length",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=1) / hidden.shape[1]"
            )),
        "divided by the padded length"),
    mean_pool("mask_not_unsqueezed", "the mask not unsqueezed",
        function(SIG, (
                "summed = (hidden * attention_mask).sum(dim=1)\n"
                "return summed / attention_mask.sum(dim=1, keepdim=True).clamp(min=1)"
            )),
        "RuntimeError", "positions against width", "unsqueeze(-1)"),
    mean_pool("mask_not_unsqueezed", "a boolean mask multiplied without unsqueezing",
        function(SIG, (
                "real = attention_mask.bool()\n"
                "return (hidden * real).sum(dim=1) / real.sum(dim=1, keepdim=True).clamp(min=1)"
            )),
        "positions against width"),
    mean_pool("count_not_unsqueezed", "the counts without keepdim",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=1) / attention_mask.sum(dim=1).clamp(min=1)"
            )),
        "counts against the width", "keepdim=True"),
    mean_pool("sums_the_padding", "divides by the real count, but sums every position",
        function(SIG, "return hidden.sum(dim=1) / attention_mask.sum(dim=1, keepdim=True).clamp(min=1)"),
        "pads included", "weight each position by the mask"),
    mean_pool("mutated_arguments", "multiplies the hidden states in place",
        function(SIG, (
                "hidden *= attention_mask.unsqueeze(-1)\n"
                "return hidden.sum(dim=1) / attention_mask.sum(dim=1, keepdim=True).clamp(min=1)"
            )),
        "changed the", "in-place operation", "hidden * weights"),
    mean_pool("pool_shape", "the sums kept their dimension (keepdim=True)",
        function(SIG, (
                "weights = attention_mask[:, :, None].float()\n"
                "return (hidden * weights).sum(dim=1, keepdim=True) / weights.sum(dim=1, keepdim=True).clamp(min=1)"
            )),
        "keepdim=True", "size 1"),
    mean_pool("pool_shape", "summed over the batch axis",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=0) / weights.sum(dim=0).clamp(min=1)"
            )),
        "over the batch (`dim=0`)"),
    mean_pool("batch_count", "one count of real tokens for the whole batch",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=1) / attention_mask.sum().clamp(min=1)"
            )),
        "whole batch", "attention_mask.sum(dim=1, keepdim=True)"),
    mean_pool("sum_not_mean", "summing without dividing",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=1)"
            )),
        "not divided"),
    mean_pool("nan_on_all_padding", "no clamp: a row of padding only gives NaN",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * weights).sum(dim=1) / weights.sum(dim=1)"
            )),
        "row of padding only", "0 / 0", "clamp(min=1)"),
    mean_pool("pools_the_padding", "the mask inverted: averages the pads",
        function(SIG, (
                "pads = (attention_mask == 0).unsqueeze(-1).to(hidden.dtype)\n"
                "return (hidden * pads).sum(dim=1) / pads.sum(dim=1).clamp(min=1)"
            )),
        "over the pads"),
    mean_pool("pool_shape", "a boolean index: the real tokens of all rows at once",
        function(SIG, "return hidden[attention_mask.bool()].mean(dim=0)"),
        "shape", "one row per sequence"),
    mean_pool("pool_shape", "the mean over the width",
        function(SIG, (
                "weights = attention_mask.to(hidden.dtype)\n"
                "return hidden.mean(dim=-1) * weights"
            )),
        "over the width"),
    mean_pool("python_list", "a list of the rows' means",
        function(SIG, (
                "return [h[m.bool()].mean(dim=0) if m.any() else torch.zeros(h.shape[-1])\n"
                "        for h, m in zip(hidden, attention_mask)]"
            )),
        "returned a list", "torch.stack"),
    mean_pool("returned_none", "prints instead of returning",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1).to(hidden.dtype)\n"
                "print((hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1))"
            )),
        "returned None"),
    mean_pool("max_pooling", "max pooling over every position",
        function(SIG, "return hidden.max(dim=1).values"),
        "maximum over the positions"),
    mean_pool("masked_max_pooling", "max pooling over the real tokens",
        function(SIG, (
                "filled = hidden.masked_fill(attention_mask.unsqueeze(-1) == 0, -1e9)\n"
                "return filled.max(dim=1).values"
            )),
        "maximum over the real tokens"),
    mean_pool("pool_dtype", "integer division of the sums",
        function(SIG, (
                "weights = attention_mask.unsqueeze(-1)\n"
                "summed = (hidden * weights).sum(dim=1).long()\n"
                "return summed // weights.sum(dim=1).clamp(min=1)"
            )),
        "dtype torch.int64"),
]
# fmt: on
