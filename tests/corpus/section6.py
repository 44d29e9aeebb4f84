"""What learners write for section 6 (``06_attention_masks.ipynb``), in the order they might."""

from tests.corpus.runner import Attempt

A = Attempt


def pad_and_mask(body: str) -> str:
    return "def pad_and_mask(sequences, pad_id):\n" + "".join(
        f"    {line}\n" for line in body.splitlines()
    )


WIDTH = "width = max(len(s) for s in sequences)\n"
IDS = "ids = [s + [pad_id] * (width - len(s)) for s in sequences]\n"
MASK = "mask = [[1] * len(s) + [0] * (width - len(s)) for s in sequences]\n"
RIGHT = pad_and_mask(WIDTH + IDS + MASK + "return torch.tensor(ids), torch.tensor(mask)")

ATTEMPTS = [
    # --- attention_mask: a (2, 3) torch.int64 tensor, 1 on real tokens, 0 on padding ---
    A(
        "attention_mask",
        "a list of lists",
        "attention_mask = [[1, 1, 1], [1, 1, 0]]",
        names=("a Python list, not a tensor", "torch.tensor"),
    ),
    A(
        "attention_mask",
        "a comparison gives booleans",
        "attention_mask = torch.tensor(batched_ids) != tokenizer.pad_token_id",
        names=("dtype torch.bool", ".long()"),
    ),
    A(
        "attention_mask",
        "floats",
        "attention_mask = torch.tensor([[1., 1., 1.], [1., 1., 0.]])",
        names=("dtype torch.float32",),
    ),
    A(
        "attention_mask",
        "int32",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]]).int()",
        names=("dtype torch.int32", "torch.int64"),
    ),
    A(
        "attention_mask",
        "inverted",
        "attention_mask = torch.tensor([[0, 0, 0], [0, 0, 1]])",
        names=("inverted",),
    ),
    A(
        "attention_mask",
        "all ones",
        "attention_mask = torch.ones_like(torch.tensor(batched_ids))",
        names=("all 1s",),
    ),
    A(
        "attention_mask",
        "the tokenizer's pad of already padded ids: all ones",
        'attention_mask = tokenizer.pad({"input_ids": batched_ids}, return_tensors="pt")["attention_mask"]',
        names=("all 1s",),
    ),
    A(
        "attention_mask",
        "the ids themselves",
        "attention_mask = torch.tensor(batched_ids)",
        names=("values other than 0 and 1",),
    ),
    A(
        "attention_mask",
        "transposed",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]]).T",
        names=("transposed",),
    ),
    A(
        "attention_mask",
        "flattened",
        "attention_mask = torch.tensor([1, 1, 1, 1, 1, 0])",
        names=("no batch dimension",),
    ),
    A(
        "attention_mask",
        "the lengths instead of a mask",
        "attention_mask = torch.tensor([3, 2])",
        names=("each sequence's length",),
    ),
    A(
        "attention_mask",
        "the 0 in the wrong place",
        "attention_mask = torch.tensor([[1, 1, 1], [0, 1, 1]])",
        names=("does not line up with the padding", "row 1, position 0"),
    ),
    A(
        "attention_mask",
        "the unpadded shape",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1]])",
        names=("raised ValueError", "ragged"),
    ),
    A(
        "attention_mask",
        "a NumPy array",
        "import numpy as np\nattention_mask = np.array([[1, 1, 1], [1, 1, 0]])",
        names=("NumPy array",),
    ),
    A(
        "attention_mask",
        "right",
        "attention_mask = torch.tensor([[1, 1, 1], [1, 1, 0]])",
        expect="correct",
    ),
    A(
        "attention_mask",
        "right, from the ids",
        "attention_mask = (torch.tensor(batched_ids) != tokenizer.pad_token_id).long()",
        expect="correct",
    ),
    A(
        "attention_mask",
        "right, a comprehension",
        "attention_mask = torch.tensor([[int(t != tokenizer.pad_token_id) for t in row] for row in batched_ids])",
        expect="correct",
    ),
    A(
        "attention_mask",
        "right, ones then a zero",
        "attention_mask = torch.ones(2, 3, dtype=torch.long)\nattention_mask[1, 2] = 0",
        expect="correct",
    ),
    A(
        "attention_mask",
        "right, the tokenizer's pad of the unpadded ids",
        'attention_mask = tokenizer.pad({"input_ids": [[200, 200, 200], [200, 200]]}, return_tensors="pt")'
        '["attention_mask"]',
        expect="correct",
    ),
    A(
        "attention_mask",
        "right, LongTensor",
        "attention_mask = torch.LongTensor([[1, 1, 1], [1, 1, 0]])",
        expect="correct",
    ),
    # --- masked_logits: the .logits of ONE call on the padded batch with its mask ---
    A(
        "masked_logits",
        "no mask (section 5's habit)",
        "masked_logits = model(torch.tensor(batched_ids)).logits",
        names=("call without an attention mask", "attention_mask="),
    ),
    A(
        "masked_logits",
        "the whole output",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask)",
        names=("model's whole output", ".logits"),
    ),
    A(
        "masked_logits",
        "the two single runs joined",
        "masked_logits = torch.cat([logits1, logits2])",
        names=("one sequence at a time", "2 separate model calls", "torch.cat"),
    ),
    A(
        "masked_logits",
        "each row run alone with its own mask, in a loop",
        "masked_logits = torch.cat([model(torch.tensor([ids]), attention_mask=m[None]).logits\n"
        "                           for ids, m in zip(batched_ids, attention_mask)])",
        names=("one sequence at a time",),
    ),
    A(
        "masked_logits",
        "numbers typed in from the print",
        "masked_logits = torch.tensor([[2.3606, -2.4083], [1.8534, -1.9193]])",
        names=("4 decimals", "typed in"),
    ),
    A(
        "masked_logits",
        "rounded",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask)"
        ".logits.round(decimals=4)",
        names=("4 decimals", "rounded"),
    ),
    A(
        "masked_logits",
        "a mask of all ones",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=torch.ones(2, 3, dtype=torch.long)).logits",
        names=("mask is all 1s", "3 and 2"),
    ),
    A(
        "masked_logits",
        "the mask inverted",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=1 - attention_mask).logits",
        names=("mask is inverted",),
    ),
    A(
        "masked_logits",
        "a keyword the model does not know (mask=)",
        "masked_logits = model(torch.tensor(batched_ids), mask=attention_mask).logits",
        names=("call without an attention mask", "attention_mask="),
    ),
    A(
        "masked_logits",
        "the mask passed as token_type_ids",
        "masked_logits = model(torch.tensor(batched_ids), token_type_ids=attention_mask).logits",
        names=("call without an attention mask",),
    ),
    A(
        "masked_logits",
        "probabilities",
        "masked_logits = torch.softmax(model(torch.tensor(batched_ids), "
        "attention_mask=attention_mask).logits, dim=-1)",
        names=("probabilities",),
    ),
    A(
        "masked_logits",
        "the predicted labels",
        "masked_logits = model(torch.tensor(batched_ids), "
        "attention_mask=attention_mask).logits.argmax(dim=-1)",
        names=("holds integers",),
    ),
    A(
        "masked_logits",
        "one row only",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits[1]",
        names=("no batch dimension",),
    ),
    A(
        "masked_logits",
        "a list of floats",
        "masked_logits = model(torch.tensor(batched_ids), "
        "attention_mask=attention_mask).logits.tolist()",
        names=("a Python list",),
    ),
    A(
        "masked_logits",
        "padded with [UNK] (id 100), masked",
        "masked_logits = model(torch.tensor([[200, 200, 200], [200, 200, 100]]), attention_mask=attention_mask).logits",
        names=("padded with id 100", "tokenizer.pad_token_id"),
    ),
    A(
        "masked_logits",
        "padded one column too far, masked",
        "masked_logits = model(torch.tensor([row + [0] for row in batched_ids]),\n"
        "                      attention_mask=torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])).logits",
        names=("(2, 4)", "(2, 3)"),
    ),
    A(
        "masked_logits",
        "the list of ids, not a tensor",
        "masked_logits = model(batched_ids, attention_mask=attention_mask).logits",
        names=("raised AttributeError", "earlier run", "Python list where it takes a tensor"),
    ),
    A(
        "masked_logits",
        "right",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask).logits",
        expect="correct",
    ),
    A(
        "masked_logits",
        "right, no_grad",
        "with torch.no_grad():\n    masked_logits = model(torch.tensor(batched_ids), "
        "attention_mask=attention_mask).logits",
        expect="correct",
    ),
    A(
        "masked_logits",
        "right, positional mask",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask).logits",
        expect="correct",
    ),
    A(
        "masked_logits",
        "right, keywords and [0]",
        "masked_logits = model(input_ids=torch.tensor(batched_ids), attention_mask=attention_mask)[0]",
        expect="correct",
    ),
    A(
        "masked_logits",
        "right, a boolean mask",
        "masked_logits = model(torch.tensor(batched_ids), attention_mask=attention_mask.bool()).logits",
        expect="correct",
    ),
    A(
        "masked_logits",
        "right, a dict unpacked, inference_mode",
        "inputs = {'input_ids': torch.tensor(batched_ids), 'attention_mask': attention_mask}\n"
        "with torch.inference_mode():\n    masked_logits = model(**inputs).logits",
        expect="correct",
    ),
    A(
        "masked_logits",
        "right, detached",
        "masked_logits = model(torch.tensor(batched_ids), "
        "attention_mask=attention_mask).logits.detach()",
        expect="correct",
    ),
    # --- pad_and_mask(sequences, pad_id) -> (input_ids, attention_mask), torch.int64 tensors ---
    A(
        "pad_and_mask",
        "returns the lists",
        pad_and_mask(WIDTH + IDS + MASK + "return ids, mask"),
        names=("a Python list, not a tensor",),
    ),
    A(
        "pad_and_mask",
        "returns a list of the two tensors",
        pad_and_mask(WIDTH + IDS + MASK + "return [torch.tensor(ids), torch.tensor(mask)]"),
        names=("a list of two things", "tuple"),
    ),
    A(
        "pad_and_mask",
        "returns a dict",
        pad_and_mask(
            WIDTH
            + IDS
            + MASK
            + "return {'input_ids': torch.tensor(ids), 'attention_mask': torch.tensor(mask)}"
        ),
        names=("must return two things", "dict"),
    ),
    A(
        "pad_and_mask",
        "only the ids",
        pad_and_mask(WIDTH + IDS + "return torch.tensor(ids)"),
        names=("must return two things",),
    ),
    A(
        "pad_and_mask",
        "mask from the ids",
        pad_and_mask(WIDTH + IDS + "ids = torch.tensor(ids)\nreturn ids, (ids != pad_id).long()"),
        names=("computed from the ids", "a real token has the pad id's value"),
    ),
    A(
        "pad_and_mask",
        "mask from the ids, booleans",
        pad_and_mask(WIDTH + IDS + "ids = torch.tensor(ids)\nreturn ids, ids != pad_id"),
        names=("dtype torch.bool",),
    ),
    A(
        "pad_and_mask",
        "swapped",
        pad_and_mask(WIDTH + IDS + MASK + "return torch.tensor(mask), torch.tensor(ids)"),
        names=("wrong order",),
    ),
    A(
        "pad_and_mask",
        "pad id hard-coded",
        pad_and_mask(
            WIDTH
            + "ids = [s + [0] * (width - len(s)) for s in sequences]\n"
            + MASK
            + "return torch.tensor(ids), torch.tensor(mask)"
        ),
        names=("pads with 0, not with `pad_id`", "pad_id=1"),
    ),
    A(
        "pad_and_mask",
        "the tokenizer's pad",
        pad_and_mask(
            "batch = tokenizer.pad({'input_ids': sequences}, return_tensors='pt')\n"
            "return batch['input_ids'], batch['attention_mask']"
        ),
        names=("pads with 0, not with `pad_id`",),
    ),
    A(
        "pad_and_mask",
        "left padding",
        pad_and_mask(
            WIDTH + "ids = [[pad_id] * (width - len(s)) + s for s in sequences]\n"
            "mask = [[0] * (width - len(s)) + [1] * len(s) for s in sequences]\n"
            "return torch.tensor(ids), torch.tensor(mask)"
        ),
        names=("padded on the left",),
    ),
    A(
        "pad_and_mask",
        "+= on the caller's lists",
        pad_and_mask(
            WIDTH
            + MASK
            + "for s in sequences:\n    s += [pad_id] * (width - len(s))\nreturn torch.tensor(sequences), torch.tensor(mask)"
        ),
        names=("changed the lists it was given",),
    ),
    A(
        "pad_and_mask",
        "a float mask from torch.zeros",
        pad_and_mask(
            WIDTH
            + IDS
            + "mask = torch.zeros(len(sequences), width)\nfor i, s in enumerate(sequences):\n    mask[i, :len(s)] = 1\n"
            "return torch.tensor(ids), mask"
        ),
        names=("dtype torch.float32",),
    ),
    A(
        "pad_and_mask",
        "int32",
        pad_and_mask(
            WIDTH
            + IDS
            + MASK
            + "return torch.tensor(ids, dtype=torch.int32), torch.tensor(mask, dtype=torch.int32)"
        ),
        names=("dtype torch.int32",),
    ),
    A(
        "pad_and_mask",
        "a mask of ones",
        pad_and_mask(WIDTH + IDS + "ids = torch.tensor(ids)\nreturn ids, torch.ones_like(ids)"),
        names=("all 1s",),
    ),
    A(
        "pad_and_mask",
        "the lengths as the mask",
        pad_and_mask(
            WIDTH + IDS + "return torch.tensor(ids), torch.tensor([len(s) for s in sequences])"
        ),
        names=("each sequence's length",),
    ),
    A(
        "pad_and_mask",
        "pad_sequence on tensors of the lists",
        pad_and_mask(
            "from torch.nn.utils.rnn import pad_sequence\n"
            "ids = pad_sequence([torch.tensor(s) for s in sequences], batch_first=True, padding_value=pad_id)\n"
            "mask = pad_sequence([torch.ones(len(s), dtype=torch.long) for s in sequences], batch_first=True)\n"
            "return ids, mask"
        ),
        names=("an empty sequence, first", "torch.tensor([])"),
    ),
    A(
        "pad_and_mask",
        "an off-by-one width",
        pad_and_mask(
            "width = max(len(s) for s in sequences) + 1\n"
            + IDS
            + MASK
            + "return torch.tensor(ids), torch.tensor(mask)"
        ),
        names=("wrong length", "no further"),
    ),
    A(
        "pad_and_mask",
        "the first sequence's width",
        pad_and_mask(
            "width = len(sequences[0])\n"
            "ids = [(s + [pad_id] * width)[:width] for s in sequences]\n"
            "mask = [([1] * len(s) + [0] * width)[:width] for s in sequences]\n"
            "return torch.tensor(ids), torch.tensor(mask)"
        ),
        names=("the first sequence is the shorter", "cut to 1 id,"),
    ),
    A(
        "pad_and_mask",
        "sorted by length",
        pad_and_mask(
            "sequences = sorted(sequences, key=len, reverse=True)\n"
            + WIDTH
            + IDS
            + MASK
            + "return torch.tensor(ids), torch.tensor(mask)"
        ),
        names=("another order",),
    ),
    A(
        "pad_and_mask",
        "NumPy arrays",
        "import numpy as np\n"
        + pad_and_mask(WIDTH + IDS + MASK + "return np.array(ids), np.array(mask)"),
        names=("NumPy array",),
    ),
    A("pad_and_mask", "right", RIGHT, expect="correct"),
    A(
        "pad_and_mask",
        "right, pad_sequence with int64",
        pad_and_mask(
            "from torch.nn.utils.rnn import pad_sequence\n"
            "ids = pad_sequence([torch.tensor(s, dtype=torch.long) for s in sequences], batch_first=True, padding_value=pad_id)\n"
            "mask = pad_sequence([torch.ones(len(s), dtype=torch.long) for s in sequences], batch_first=True)\n"
            "return ids, mask"
        ),
        expect="correct",
    ),
    A(
        "pad_and_mask",
        "right, full tensors filled",
        pad_and_mask(
            WIDTH
            + "ids = torch.full((len(sequences), width), pad_id)\nmask = torch.zeros(len(sequences), width, dtype=torch.long)\n"
            "for i, s in enumerate(sequences):\n    ids[i, :len(s)] = torch.tensor(s, dtype=torch.long)\n    mask[i, :len(s)] = 1\n"
            "return ids, mask"
        ),
        expect="correct",
    ),
    A(
        "pad_and_mask",
        "right, arange against the lengths",
        pad_and_mask(
            "lengths = torch.tensor([len(s) for s in sequences])\nwidth = int(lengths.max())\n"
            + IDS
            + "mask = (torch.arange(width)[None, :] < lengths[:, None]).long()\nreturn torch.tensor(ids), mask"
        ),
        expect="correct",
    ),
    A(
        "pad_and_mask",
        "right, a loop over copies",
        pad_and_mask(
            WIDTH
            + "ids, mask = [], []\nfor s in sequences:\n    row = list(s)\n    m = [1] * len(row)\n"
            "    while len(row) < width:\n        row.append(pad_id)\n        m.append(0)\n    ids.append(row)\n"
            "    mask.append(m)\nreturn (torch.tensor(ids), torch.tensor(mask))"
        ),
        expect="correct",
    ),
    A(
        "pad_and_mask",
        "right, LongTensor",
        pad_and_mask(WIDTH + IDS + MASK + "return torch.LongTensor(ids), torch.LongTensor(mask)"),
        expect="correct",
    ),
    # --- manual_logits: ONE call on the padded manual ids with their mask ---
    A(
        "manual_logits",
        "the sentences run alone, joined",
        "manual_logits = torch.cat(alone)",
        names=("one sequence at a time", "torch.cat"),
    ),
    A(
        "manual_logits",
        "no mask",
        "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
        "manual_logits = model(ids).logits",
        names=("call without an attention mask",),
    ),
    A(
        "manual_logits",
        "the tokenizer's batch",
        'manual_logits = model(**tokenizer(sentences, padding=True, return_tensors="pt")).logits',
        names=("[CLS] and [SEP]", "manual tokenization"),
    ),
    A(
        "manual_logits",
        "padded with 100 (the original course's padding_id)",
        "ids, mask = pad_and_mask(manual_ids, 100)\nmanual_logits = model(ids, attention_mask=mask).logits",
        names=("padded with id 100", "tokenizer.pad_token_id"),
    ),
    A(
        "manual_logits",
        "typed in",
        "manual_logits = torch.tensor([[-2.5358, 2.5810], [1.2422, -1.2837]])",
        names=("4 decimals",),
    ),
    A(
        "manual_logits",
        "the sentences in reverse order",
        "ids, mask = pad_and_mask(manual_ids[::-1], tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=mask).logits",
        names=("another order", "6 and 14"),
    ),
    A(
        "manual_logits",
        "the previous exercise's logits",
        "manual_logits = masked_logits",
        names=("short batch's masked logits",),
    ),
    A(
        "manual_logits",
        "a mask of ones",
        "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=torch.ones_like(ids)).logits",
        names=("mask is all 1s",),
    ),
    A(
        "manual_logits",
        "probabilities",
        "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=mask).logits.softmax(dim=-1)",
        names=("probabilities",),
    ),
    A(
        "manual_logits",
        "one sentence only",
        "ids, mask = pad_and_mask(manual_ids[:1], tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=mask).logits",
        names=("wrong shape", "(2, 2)"),
    ),
    A(
        "manual_logits",
        "the tokens, not the ids",
        "ids, mask = pad_and_mask([tokenizer.tokenize(s) for s in sentences], tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=mask).logits",
        names=("raised ValueError", "token strings", "convert_tokens_to_ids"),
    ),
    A(
        "manual_logits",
        "the pair passed as one argument",
        "manual_logits = model(pad_and_mask(manual_ids, tokenizer.pad_token_id)).logits",
        names=("raised AttributeError", "tuple", "model(*pair)"),
    ),
    A(
        "manual_logits",
        "right",
        "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=mask).logits",
        expect="correct",
    ),
    A(
        "manual_logits",
        "right, unpacked positionally",
        "manual_logits = model(*pad_and_mask(manual_ids, tokenizer.pad_token_id)).logits",
        expect="correct",
    ),
    A(
        "manual_logits",
        "right, no_grad and keywords",
        "input_ids, attention_mask = pad_and_mask(manual_ids, "
        "tokenizer.pad_token_id)\nwith torch.no_grad():\n    manual_logits = model(input_ids=input_ids, "
        "attention_mask=attention_mask).logits",
        expect="correct",
    ),
    A(
        "manual_logits",
        "right, the tokenizer's pad of the manual ids",
        'padded = tokenizer.pad({"input_ids": manual_ids}, return_tensors="pt")\nmanual_logits = model(**padded).logits',
        expect="correct",
    ),
    A(
        "manual_logits",
        "right, the tokenizer without special tokens",
        'b = tokenizer(sentences, padding=True, add_special_tokens=False, return_tensors="pt")\n'
        "manual_logits = model(**b).logits",
        expect="correct",
    ),
    A(
        "manual_logits",
        "right, [0] of the output",
        "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\n"
        "manual_logits = model(ids, attention_mask=mask)[0]",
        expect="correct",
    ),
    # --- tokenizer_batch: tokenizer(sentences, padding=True, return_tensors="pt") ---
    A(
        "tokenizer_batch",
        "no return_tensors",
        "batch = tokenizer(sentences, padding=True)",
        names=("a Python list", "return_tensors"),
    ),
    A(
        "tokenizer_batch",
        "neither padding nor return_tensors",
        "batch = tokenizer(sentences)",
        names=("ragged", "padding=True"),
    ),
    A(
        "tokenizer_batch",
        "no padding",
        'batch = tokenizer(sentences, return_tensors="pt")',
        names=("raised ValueError", "earlier run"),
    ),
    A(
        "tokenizer_batch",
        "NumPy",
        'batch = tokenizer(sentences, padding=True, return_tensors="np")',
        names=("NumPy array", "return_tensors='np'"),
    ),
    A(
        "tokenizer_batch",
        "only the ids",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt")["input_ids"]',
        names=("single tensor",),
    ),
    A(
        "tokenizer_batch",
        "without special tokens",
        'batch = tokenizer(sentences, padding=True, add_special_tokens=False, return_tensors="pt")',
        names=("no [CLS] and [SEP]", "add_special_tokens=False", "the whole output"),
    ),
    A(
        "tokenizer_batch",
        "padded to the maximum length",
        'batch = tokenizer(sentences, padding="max_length", return_tensors="pt")',
        names=("padded to 512 ids", "no further"),
    ),
    A(
        "tokenizer_batch",
        "truncated",
        "batch = tokenizer(sentences, padding=True, truncation=True, max_length=8, "
        'return_tensors="pt")',
        names=("truncated the longer rows to 8 ids", "pad to the longest"),
    ),
    A(
        "tokenizer_batch",
        "the two sentences as a pair",
        'batch = tokenizer(*sentences, padding=True, return_tensors="pt")',
        names=("as a pair", "token_type_ids"),
    ),
    A(
        "tokenizer_batch",
        "one sentence",
        'batch = tokenizer(sentences[0], padding=True, return_tensors="pt")',
        names=("has 1 sequence.",),
    ),
    A(
        "tokenizer_batch",
        "the manual ids with their mask",
        "ids, mask = pad_and_mask(manual_ids, tokenizer.pad_token_id)\nbatch = {'input_ids': ids, 'attention_mask': mask}",
        names=("no [CLS] and [SEP]",),
    ),
    A(
        "tokenizer_batch",
        "no attention mask",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt", '
        "return_attention_mask=False)",
        names=("no `attention_mask`",),
    ),
    A(
        "tokenizer_batch",
        "right",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt")',
        expect="correct",
    ),
    A(
        "tokenizer_batch",
        "right, padding='longest'",
        'batch = tokenizer(sentences, padding="longest", return_tensors="pt")',
        expect="correct",
    ),
    A("tokenizer_batch", "right, the cell above's batch", "batch = tokenized", expect="correct"),
    A(
        "tokenizer_batch",
        "right, without token_type_ids",
        'batch = tokenizer(sentences, padding=True, return_tensors="pt", return_token_type_ids=False)',
        expect="correct",
    ),
    A(
        "tokenizer_batch",
        "right, as a dict",
        'batch = dict(tokenizer(sentences, padding=True, return_tensors="pt"))',
        expect="correct",
    ),
    A(
        "tokenizer_batch",
        "right, text= keyword",
        'batch = tokenizer(text=sentences, padding=True, return_tensors="pt")',
        expect="correct",
    ),
]
