"""What learners write for the exercises of section 11 (``11_batches_for_generation.ipynb``)."""

from . import CORRECT, Rows, function

left_pad = Rows("left_pad")
batch = Rows("batch")
next_ids = Rows("next_ids")
generated = Rows("generated")
continuations = Rows("continuations")
causal_labels = Rows("causal_labels")

# One row per line or three: the mistake id, the attempt in words, its source, the words it gets.
# fmt: off
ATTEMPTS = [
    # --- left_pad ---
    left_pad("right_padding", "padded on the right, as for the classifier",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([list(seq) + [pad_id] * (width - len(seq)) for seq in sequences])\n"
                "attention_mask = torch.tensor([[1] * len(seq) + [0] * (width - len(seq)) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "padded on the right"),
    left_pad("left_pad_wrong_pad_id", "the pad id written in as 0",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[0] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "not with `pad_id`", "ignores the id you are given"),
    left_pad("positions_count_pads", "positions that count the pads (torch.arange)",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = torch.arange(width).expand(len(sequences), width)\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "counts the pads", "cumsum"),
    left_pad("positions_minus_one", "cumsum - 1 without the clamp",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = attention_mask.cumsum(-1) - 1\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "-1 on the pads", "clamp"),
    left_pad("positions_from_one", "cumsum without - 1",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = attention_mask.cumsum(-1) * attention_mask\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "starts each sequence at position 1"),
    left_pad("mask_real_token", "the mask from the ids (pad = eos is also a real token)",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = (input_ids != pad_id).long()\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "marks a real token as padding", "lengths"),
    left_pad("mask_zeros_right", "the mask of right padding beside left-padded ids",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[1] * len(seq) + [0] * (width - len(seq)) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "0s on the right"),
    left_pad("value_count", "the position ids forgotten",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "return input_ids, attention_mask"
            )),
        "returned 2 values", "position ids are the third"),
    left_pad("python_list", "Python lists returned",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = [[pad_id] * (width - len(seq)) + list(seq) for seq in sequences]\n"
                "attention_mask = [[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences]\n"
                "position_ids = [[0] * (width - len(seq)) + list(range(len(seq))) for seq in sequences]\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "not a tensor"),
    left_pad("mutated_arguments", "pads inserted into the caller's lists",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "for seq in sequences:\n"
                "    while len(seq) < width:\n"
                "        seq.insert(0, pad_id)\n"
                "input_ids = torch.tensor(sequences)\n"
                "attention_mask = (torch.arange(width) >= width - torch.tensor([len(s) for s in sequences])[:, None]).long()\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "changed the lists"),
    left_pad("wrong_entry", "positions after the pads but put in front",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = torch.tensor([list(range(len(seq))) + [0] * (width - len(seq)) for seq in sequences])\n"
                "return input_ids, attention_mask, position_ids"
            )),
        "position_ids", "row"),
    left_pad("returned_none", "printed, not returned",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "print(input_ids, attention_mask, position_ids)"
            )),
        "returned None"),
    left_pad("positions_pad_values", "1 on the pads' positions",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids.masked_fill(attention_mask == 0, 1)"
            )),
        "holds 1 on the pads"),
    left_pad("mask_inverted", "the mask inverted",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, 1 - attention_mask, position_ids"
            )),
        "inverted"),
    left_pad("wrong_order", "the mask and positions swapped",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, position_ids, attention_mask"
            )),
        "wrong order"),
    left_pad("returned_mapping", "a dict",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return {'input_ids': input_ids, 'attention_mask': attention_mask, 'position_ids': position_ids}"
            )),
        "dict"),
    left_pad("ids_dtype", "int32 ids",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids.int(), attention_mask, position_ids"
            )),
        "dtype torch.int32"),
    left_pad("wrong_dtype", "an int32 mask",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask.int(), position_ids"
            )),
        "`attention_mask` has dtype torch.int32"),
    left_pad("mask_not_integers", "a bool mask",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask.bool(), position_ids"
            )),
        "dtype torch.bool"),
    left_pad("floats", "float ids",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids.float(), attention_mask, position_ids"
            )),
        "holds floats"),
    left_pad("empty_batch_dtype", "no dtype: torch.tensor of empty lists is float",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences])\n"
                "mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences])\n"
                "pos = torch.tensor([[0] * (width - len(s)) + list(range(len(s))) for s in sequences])\n"
                "return ids, mask, pos"
            )),
        "all empty", "has dtype torch.float32", "dtype=torch.long"),
    left_pad("positions_columns", "positions as arange times the mask",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(s) for s in sequences)\n"
                "ids = torch.tensor([[pad_id] * (width - len(s)) + s for s in sequences], dtype=torch.long)\n"
                "mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences], dtype=torch.long)\n"
                "return ids, mask, torch.arange(width) * mask"
            )),
        "column numbers on the real tokens", "not at 0"),
    left_pad("left_pad_wrong_pad_id", "the tokenizer pads, with its own pad id",
        function("left_pad(sequences, pad_id)", (
                'enc = tokenizer.pad({"input_ids": sequences}, padding_side="left", return_tensors="pt")\n'
                'mask = enc["attention_mask"]\n'
                'return enc["input_ids"], mask, (mask.cumsum(-1) - 1).clamp(min=0)'
            )),
        "tokenizer's own pad id", "ignores the id you are given"),
    left_pad(CORRECT, "right",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return input_ids, attention_mask, position_ids"
            ))),
    left_pad(CORRECT, "right, a list of three",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)\n"
                "return [input_ids, attention_mask, position_ids]"
            )),
        ),
    left_pad(CORRECT, "right, masked_fill",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "input_ids = torch.tensor([[pad_id] * (width - len(seq)) + list(seq) for seq in sequences], dtype=torch.long)\n"
                "attention_mask = torch.tensor([[0] * (width - len(seq)) + [1] * len(seq) for seq in sequences], dtype=torch.long)\n"
                "position_ids = (attention_mask.cumsum(-1) - 1).masked_fill(attention_mask == 0, 0)\n"
                "return input_ids, attention_mask, position_ids"
            ))),
    left_pad(CORRECT, "right, rows built in a loop",
        function("left_pad(sequences, pad_id)", (
                "width = max(len(seq) for seq in sequences)\n"
                "ids, mask, pos = [], [], []\n"
                "for seq in sequences:\n"
                "    pads = width - len(seq)\n"
                "    ids.append([pad_id] * pads + list(seq))\n"
                "    mask.append([0] * pads + [1] * len(seq))\n"
                "    pos.append([0] * pads + list(range(len(seq))))\n"
                "return torch.tensor(ids, dtype=torch.long), torch.tensor(mask, dtype=torch.long), torch.tensor(pos, dtype=torch.long)"
            ))),
    # --- batch ---
    batch("right_padding", "the tokenizer's default side (right)",
        'batch = tokenizer(prompts, padding=True, return_tensors="pt")',
        "padded on the right", 'padding_side="left"'),
    batch("python_list", "no return_tensors",
        'batch = tokenizer(prompts, padding=True, padding_side="left")',
        "return_tensors"),
    batch("numpy_array", "NumPy arrays",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="np")',
        "NumPy"),
    batch("padded_to_max_length", "padded to the maximum length",
        'batch = tokenizer(prompts, padding="max_length", padding_side="left", return_tensors="pt")',
        "maximum length"),
    batch("one_tensor", "only the ids kept",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")["input_ids"]',
        "one tensor", "mask"),
    batch("separate_encodings", "each prompt tokenized alone",
        'batch = [tokenizer(p, return_tensors="pt") for p in prompts]',
        "separate encodings"),
    batch("prompts_too_wide", "truncated to 4 tokens",
        'batch = tokenizer(prompts, padding=True, padding_side="left", truncation=True, max_length=4, return_tensors="pt")',
        "truncation", "columns wide"),
    batch("ids_shape", "three of the four prompts",
        'batch = tokenizer(prompts[:3], padding=True, padding_side="left", return_tensors="pt")',
        "one row per prompt"),
    batch("pad_id_out_of_vocabulary", "a new [PAD] token added",
        (
            'tokenizer.add_special_tokens({"pad_token": "[PAD]"})\n'
            'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")'
        ),
        "no embedding for", "tokenizer.pad_token = tokenizer.eos_token"),
    batch("wrong_prompt_row", "the prompts reversed",
        'batch = tokenizer(prompts[::-1], padding=True, padding_side="left", return_tensors="pt")',
        "is not the prompt"),
    batch("too_wide", "pad_to_multiple_of=8",
        'batch = tokenizer(prompts, padding=True, padding_side="left", pad_to_multiple_of=8, return_tensors="pt")',
        "8 columns wide"),
    batch("extra_fields", "an extra key",
        'batch = {**tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt"), "position_ids": 1}',
        "more than the tokenizer's two keys"),
    batch("missing_fields", "no mask",
        'batch = {"input_ids": tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")["input_ids"]}',
        "no attention_mask"),
    batch("batch_text", "the prompts themselves",
        "batch = prompts",
        "is text"),
    batch("left_pad_wrong_pad_id", "another real token as the pad",
        (
            "tokenizer.pad_token = tokenizer.convert_ids_to_tokens(5)\n"
            'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")\n'
            "tokenizer.pad_token = tokenizer.eos_token"
        ),
        "pads with 5", "tokenizer.pad_token = tokenizer.eos_token"),
    batch("mask_inverted", "the mask inverted",
        (
            'found = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")\n'
            'batch = {"input_ids": found["input_ids"], "attention_mask": 1 - found["attention_mask"]}'
        ),
        "inverted"),
    batch("missing_fields", "no mask asked for: left padding seemed enough",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_attention_mask=False, return_tensors="pt")',
        "no attention_mask", "only the mask tells generate which columns are pads"),
    batch(CORRECT, "right",
        'batch = tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt")'),
    batch(CORRECT, "right, as a dict",
        'batch = dict(tokenizer(prompts, padding=True, padding_side="left", return_tensors="pt"))'),
    batch(CORRECT, "right, padding='longest' and on the device",
        'batch = tokenizer(prompts, padding="longest", padding_side="left", return_tensors="pt").to(model.device)'),
    batch(CORRECT, "right, the tokenizer's padding side set",
        (
            'tokenizer.padding_side = "left"\n'
            'batch = tokenizer(prompts, padding=True, return_tensors="pt")'
        )),
    # --- next_ids ---
    next_ids("no_position_ids", "no position ids",
        (
            "with torch.inference_mode():\n"
            "    next_ids = model(**left).logits[:, -1].argmax(dim=-1)"
        ),
        "without position ids", "cumsum"),
    next_ids("positions_count_pads_call", "position ids that count the pads",
        (
            'position_ids = torch.arange(left["input_ids"].shape[1]).expand_as(left["input_ids"])\n'
            "with torch.inference_mode():\n"
            "    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)"
        ),
        "count the pads"),
    next_ids("cell_raised", "cumsum - 1 without the clamp (the cell fails)",
        (
            'position_ids = left["attention_mask"].cumsum(-1) - 1\n'
            "with torch.inference_mode():\n"
            "    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)"
        ),
        "IndexError"),
    next_ids("right_padded_call", "the right-padded batch",
        (
            "with torch.inference_mode():\n"
            "    next_ids = model(**right).logits[:, -1].argmax(dim=-1)"
        ),
        "right-padded batch"),
    next_ids("first_position", "the first position",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    next_ids = model(**left, position_ids=position_ids).logits[:, 0].argmax(dim=-1)"
        ),
        "first position"),
    next_ids("next_shape", "the stale `logits` of the one-prompt example",
        "next_ids = logits[:, -1].argmax(dim=-1)",
        "shape (4,)"),
    next_ids("no_forward_call", "the prompts one at a time, joined",
        "next_ids = torch.stack(each_alone)",
        "one call on the whole batch"),
    next_ids("no_forward_call", "the ids typed in",
        "next_ids = torch.tensor([929, 258, 706, 302])",
        "one call on the whole batch"),
    next_ids("from_generate", "generate with one new token",
        "next_ids = model.generate(**left, max_new_tokens=1, do_sample=False)[:, -1]",
        "comes from `model.generate`"),
    next_ids("last_logits", "the logits, not the ids",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    next_ids = model(**left, position_ids=position_ids).logits[:, -1]"
        ),
        "logits, not ids", "argmax"),
    next_ids("next_text", "decoded",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    next_ids = [tokenizer.decode(t) for t in model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)]"
        ),
        "is text"),
    next_ids("no_mask", "ids alone, with positions",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(input_ids=left["input_ids"], position_ids=position_ids).logits[:, -1].argmax(dim=-1)'
        ),
        "without the attention mask"),
    next_ids("right_padded_last_real", "the right-padded batch read at each row's last real token",
        (
            "with torch.inference_mode():\n"
            '    logits = model(**right).logits\n'
            'next_ids = logits[torch.arange(4), right["attention_mask"].sum(1) - 1].argmax(-1)'
        ),
        "read at each row's last real token"),
    next_ids("positions_from_one_call", "positions from 1",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids + 1).logits[:, -1].argmax(dim=-1)'
        ),
        "start at 1"),
    next_ids("every_position", "every position",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids).logits.argmax(dim=-1)'
        ),
        "every position"),
    next_ids("whole_logits", "the whole logits",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids).logits'
        ),
        "the whole logits"),
    next_ids("next_extra_dimension", "keepdim",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1, keepdim=True)'
        ),
        "one dimension too many"),
    next_ids("one_row_positions", "the last row's every position",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids).logits[-1].argmax(dim=-1)'
        ),
        "one per position of one row"),
    next_ids("vocabulary_wide", "argmax over the batch",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=0)'
        ),
        "over the batch axis"),
    next_ids("python_list", "a list",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1).tolist()'
        ),
        "Python list"),
    next_ids("wrong_next_id", "wrong ids typed in",
        "next_ids = torch.tensor([1, 2, 3, 4])",
        "is wrong for row 0"),
    next_ids("max_values_indices", ".max(dim=-1) for the best token",
        (
            'pos = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    next_ids = model(**left, position_ids=pos).logits[:, -1].max(dim=-1)"
        ),
        "what `.max(dim=-1)` returns", "`.indices`"),
    next_ids("no_forward_call", "each prompt alone, stacked",
        (
            "with torch.inference_mode():\n"
            "    next_ids = torch.stack([\n"
            '        model(**tokenizer(p, return_tensors="pt").to(model.device)).logits[0, -1].argmax()\n'
            "        for p in prompts\n"
            "    ])"
        ),
        "a separate call on one prompt"),
    next_ids(CORRECT, "right",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    next_ids = model(**left, position_ids=position_ids).logits[:, -1].argmax(dim=-1)"
        )),
    next_ids(CORRECT, "right, 1 on the pads' positions",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            '    next_ids = model(**left, position_ids=position_ids.masked_fill(left["attention_mask"] == 0, 1)).logits[:, -1].argmax(dim=-1)'
        ),
        ),
    next_ids(CORRECT, "right, keywords and no_grad",
        (
            'mask = left["attention_mask"]\n'
            "positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)\n"
            "with torch.no_grad():\n"
            '    out = model(input_ids=left["input_ids"], attention_mask=mask, position_ids=positions)\n'
            "next_ids = out.logits[:, -1, :].argmax(-1)"
        )),
    next_ids(CORRECT, "right, the call and the reading in two cells",
        ((
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    logits = model(**left, position_ids=position_ids).logits"
        ), "next_ids = logits[:, -1].argmax(dim=-1)",)),
    next_ids(CORRECT, "right, softmax first",
        (
            'position_ids = (left["attention_mask"].cumsum(-1) - 1).clamp(min=0)\n'
            "with torch.inference_mode():\n"
            "    probs = model(**left, position_ids=position_ids).logits[:, -1].softmax(dim=-1)\n"
            "next_ids = probs.argmax(dim=-1)"
        )),
    # --- generated ---
    generated("generate_no_mask", "no mask",
        'generated = model.generate(left["input_ids"], max_new_tokens=8, do_sample=False)',
        "without the attention mask"),
    generated("generated_right_padded", "the right-padded batch",
        "generated = model.generate(**right, max_new_tokens=8, do_sample=False)",
        "right-padded batch"),
    generated("sampled", "sampled",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=True)",
        "sampled", "do_sample=False"),
    generated("generate_length", "max_length instead of max_new_tokens",
        "generated = model.generate(**left, max_length=8, do_sample=False)",
        "holds 3 new tokens per row", "counts the prompt's 5 columns too"),
    generated("generate_length", "max_length one short: the prompt's width + 7",
        "generated = model.generate(**left, max_length=left['input_ids'].shape[1] + 7, do_sample=False)",
        "holds 7 new tokens per row", "off by one"),
    generated("row_differs", "min_new_tokens: the finished rows go on",
        "generated = model.generate(**left, max_new_tokens=8, min_new_tokens=8, do_sample=False)",
        "differs from what that prompt gets alone", "kept generate from stopping"),
    generated(CORRECT, "right, max_length = the prompts' width + 8",
        "generated = model.generate(**left, max_length=left['input_ids'].shape[1] + 8, do_sample=False)"),
    generated("generate_options", "10 new tokens",
        "generated = model.generate(**left, max_new_tokens=10, do_sample=False)",
        "max_new_tokens=10"),
    generated("beam_search", "beam search",
        "generated = model.generate(**left, max_new_tokens=8, num_beams=2, do_sample=False)",
        "beam search"),
    generated("only_new_tokens", "the prompts cut off already",
        'generated = model.generate(**left, max_new_tokens=8, do_sample=False)[:, left["input_ids"].shape[1]:]',
        "only the new tokens"),
    generated("generated_text", "decoded",
        "generated = tokenizer.batch_decode(model.generate(**left, max_new_tokens=8, do_sample=False), skip_special_tokens=True)",
        "is text"),
    generated("python_list", "a list",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False).tolist()",
        "a Python list"),
    generated("not_generate_tensor", "a copy of the output",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False).clone()",
        "not the tensor generate returned"),
    generated("one_prompt_at_a_time", "one prompt at a time, padded and stacked",
        (
            'rows = [model.generate(**tokenizer(p, return_tensors="pt").to(model.device), max_new_tokens=8, do_sample=False)[0] for p in prompts]\n'
            "width = max(len(r) for r in rows)\n"
            "generated = torch.stack([torch.cat([torch.full((width - len(r),), tokenizer.eos_token_id, device=r.device), r]) for r in rows])"
        ),
        "one prompt at a time"),
    generated("generate_options", "5 new tokens",
        "generated = model.generate(**left, max_new_tokens=5, do_sample=False)",
        "max_new_tokens=5"),
    generated("generate_wrong_positions", "position ids of its own",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False, position_ids=torch.arange(5).expand(4, 5))",
        "given position ids"),
    generated("generate_output_object", "the output object",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False, return_dict_in_generate=True)",
        "`.sequences`"),
    generated("generated_dimensions", "the first row",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False)[0]",
        "1 dimension"),
    generated("inputs_not_output", "the inputs",
        "generated = left",
        "a batch of inputs"),
    generated(CORRECT, "right", "generated = model.generate(**left, max_new_tokens=8, do_sample=False)"),
    generated(CORRECT, "right, keywords and the pad id",
        'generated = model.generate(input_ids=left["input_ids"], attention_mask=left["attention_mask"], max_new_tokens=8, do_sample=False, pad_token_id=tokenizer.eos_token_id)'),
    generated(CORRECT, "right, sampling left at its default",
        "generated = model.generate(**left, max_new_tokens=8)"),
    generated(CORRECT, "right, .sequences of the output object",
        "generated = model.generate(**left, max_new_tokens=8, do_sample=False, return_dict_in_generate=True).sequences"),
    generated(CORRECT, "right, inference_mode",
        (
            "with torch.inference_mode():\n"
            "    generated = model.generate(**left, max_new_tokens=8, do_sample=False)"
        )),
    generated(CORRECT, "right, on the learner's own batch",
        "generated = model.generate(**batch.to(model.device), max_new_tokens=8, do_sample=False)"),
    # --- continuations ---
    continuations("endoftext_kept", "special tokens kept",
        (
            "def continuations(output, batch):\n"
            '    return tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:])'
        ),
        "<|endoftext|>", "skip_special_tokens=True"),
    continuations("prompts_kept", "the whole rows decoded",
        (
            "def continuations(output, batch):\n"
            "    return tokenizer.batch_decode(output, skip_special_tokens=True)"
        ),
        "start with the prompts"),
    continuations("stripped", "stripped",
        (
            "def continuations(output, batch):\n"
            '    return [t.strip() for t in tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True)]'
        ),
        "stripped"),
    continuations("cut_per_row", "each row cut after its own real tokens",
        (
            "def continuations(output, batch):\n"
            '    lengths = batch["attention_mask"].sum(dim=1)\n'
            "    return [tokenizer.decode(row[n:], skip_special_tokens=True) for row, n in zip(output, lengths)]"
        ),
        "its own number of real tokens"),
    continuations("cut_at_batch_size", "len(batch['input_ids']) is the batch size",
        (
            "def continuations(output, batch):\n"
            '    return tokenizer.batch_decode(output[:, len(batch["input_ids"]):], skip_special_tokens=True)'
        ),
        "batch size", "shape[1]"),
    continuations("cut_early", "one column early",
        (
            "def continuations(output, batch):\n"
            '    start = batch["input_ids"].shape[1] - 1\n'
            "    return tokenizer.batch_decode(output[:, start:], skip_special_tokens=True)"
        ),
        "one column early"),
    continuations("cut_at_notebook_width", "the notebook's left instead of the argument",
        (
            "def continuations(output, batch):\n"
            '    return tokenizer.batch_decode(output[:, left["input_ids"].shape[1]:], skip_special_tokens=True)'
        ),
        "notebook's `left`", "arguments"),
    continuations("one_string", "one string",
        (
            "def continuations(output, batch):\n"
            '    return " ".join(tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True))'
        ),
        "one string"),
    continuations("ids_not_text", "the ids, not decoded",
        (
            "def continuations(output, batch):\n"
            '    return output[:, batch["input_ids"].shape[1]:]'
        ),
        "token ids, not text"),
    continuations("returned_none", "printed",
        (
            "def continuations(output, batch):\n"
            '    print(tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True))'
        ),
        "returned None"),
    continuations("prompts_and_endoftext_kept", "the whole rows, special tokens kept",
        (
            "def continuations(output, batch):\n"
            '    return tokenizer.batch_decode(output)'
        ),
        "start with the prompts and hold"),
    continuations("cut_late", "one column late",
        (
            "def continuations(output, batch):\n"
            '    return tokenizer.batch_decode(output[:, batch["input_ids"].shape[1] + 1:], skip_special_tokens=True)'
        ),
        "one column late"),
    continuations("texts_tuple", "a tuple",
        (
            "def continuations(output, batch):\n"
            '    return tuple(tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True))'
        ),
        "a tuple"),
    continuations("prompt_text_removed", "the prompt's text replaced by nothing",
        (
            "def continuations(output, batch):\n"
            '    texts = []\n'
            '    for row, prompt in zip(output, batch["input_ids"]):\n'
            '        full = tokenizer.decode(row, skip_special_tokens=True)\n'
            '        texts.append(full.replace(tokenizer.decode(prompt, skip_special_tokens=True), ""))\n'
            '    return texts\n'
        ),
        "`.replace(prompt, '')`", "comes back in its continuation"),
    continuations("prompt_text_removed", "split on the prompt's text",
        (
            "def continuations(output, batch):\n"
            '    texts = []\n'
            '    for row, prompt in zip(output, batch["input_ids"]):\n'
            '        full = tokenizer.decode(row, skip_special_tokens=True)\n'
            '        texts.append(full.split(tokenizer.decode(prompt, skip_special_tokens=True))[-1])\n'
            '    return texts\n'
        ),
        "`.split(prompt)[-1]`", "comes back in its continuation"),
    continuations("prompt_chars_stripped", "lstrip the prompt's text",
        (
            "def continuations(output, batch):\n"
            '    texts = []\n'
            '    for row, prompt in zip(output, batch["input_ids"]):\n'
            '        full = tokenizer.decode(row, skip_special_tokens=True)\n'
            '        texts.append(full.lstrip(tokenizer.decode(prompt, skip_special_tokens=True)))\n'
            '    return texts\n'
        ),
        "`.lstrip` takes off any of the prompt's characters"),
    continuations("cut_at_notebook_width", "the prompts' 5 tokens written in",
        (
            "def continuations(output, batch):\n"
            '    return [tokenizer.decode(row[5:], skip_special_tokens=True) for row in output]\n'
        ),
        "has 5 written in"),
    continuations("cut_notebook_prompts", "the notebook's prompts' characters cut off",
        (
            "def continuations(output, batch):\n"
            '    texts = tokenizer.batch_decode(output, skip_special_tokens=True)\n'
            '    return [t[len(p):] for t, p in zip(texts, prompts)]\n'
        ),
        "length of the notebook's prompts"),
    continuations(CORRECT, "right",
        (
            "def continuations(output, batch):\n"
            '    return tokenizer.batch_decode(output[:, batch["input_ids"].shape[1]:], skip_special_tokens=True)'
        )),
    continuations(CORRECT, "right, a loop",
        (
            "def continuations(output, batch):\n"
            '    width = batch["input_ids"].shape[1]\n'
            "    texts = []\n"
            "    for row in output:\n"
            "        texts.append(tokenizer.decode(row[width:], skip_special_tokens=True))\n"
            "    return texts"
        )),
    continuations(CORRECT, "right, attribute access and the mask's width",
        (
            "def continuations(output, batch):\n"
            "    return tokenizer.batch_decode(output[:, batch.attention_mask.shape[-1]:], skip_special_tokens=True)"
        )),
    # --- causal_labels ---
    causal_labels("pad_id_rule", "the collator's rule: -100 where the id is the pad id",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    labels = input_ids.clone()\n'
            '    labels[input_ids == tokenizer.pad_token_id] = -100\n'
            '    return labels'
        ),
        "real <|endoftext|>", "the mask"),
    causal_labels("pad_id_rule", "the pad id read from the eos token",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(input_ids == tokenizer.eos_token_id, -100)'
        ),
        "real <|endoftext|>"),
    causal_labels("labels_pads_assumed_at_end", "-100 after each row's count of real tokens",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    labels = input_ids.clone()\n'
            '    for row, length in enumerate(attention_mask.sum(dim=1).tolist()):\n'
            '        labels[row, length:] = -100\n'
            '    return labels'
        ),
        "pads were at its end", "left padding"),
    causal_labels("labels_mask_inverted", "-100 on the real tokens",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(attention_mask == 1, -100)'
        ),
        "-100 on the real tokens"),
    causal_labels("nothing_ignored", "0 (the pad id, eos) instead of -100",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(attention_mask == 0, 0)'
        ),
        "no -100"),
    causal_labels("labels_fill_value", "-1 instead of -100",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(attention_mask == 0, -1)'
        ),
        "hold -1", "only -100 is left out of the loss"),
    causal_labels("nothing_ignored", "the ids as they are",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.clone()'
        ),
        "no -100"),
    causal_labels("labels_shifted", "shifted by hand",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids[:, 1:].masked_fill(attention_mask[:, 1:] == 0, -100)'
        ),
        "shifts the labels itself"),
    causal_labels("labels_are_mask", "the mask itself",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return attention_mask.clone()'
        ),
        "the attention mask"),
    causal_labels("mutated_arguments", "-100 written into input_ids",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    input_ids[attention_mask == 0] = -100\n'
            '    return input_ids'
        ),
        "changed"),
    causal_labels("labels_not_a_tensor", "a list",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(attention_mask == 0, -100).tolist()'
        ),
        "list"),
    causal_labels("labels_dtype", "floats",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(attention_mask == 0, -100).float()'
        ),
        "torch.float32"),
    causal_labels("returned_none", "no return",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    labels = input_ids.masked_fill(attention_mask == 0, -100)'
        ),
        "returned None"),
    causal_labels(CORRECT, "right, masked_fill",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return input_ids.masked_fill(attention_mask == 0, -100)'
        ),
        ),
    causal_labels(CORRECT, "right, torch.where",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    return torch.where(attention_mask.bool(), input_ids, -100)'
        ),
        ),
    causal_labels(CORRECT, "right, a clone and an index",
        (
            "def causal_labels(input_ids, attention_mask):\n"
            '    labels = input_ids.clone()\n'
            '    labels[attention_mask == 0] = -100\n'
            '    return labels'
        ),
        ),
]
# fmt: on
