"""Hidden cases of section 8 (``08_putting_it_together.ipynb``)."""
import torch

from checker.harness import Case

_TEXTS = ["Brilliant from the first page to the last, and funnier than I expected.", "Meh.",
          "The update broke my settings and support never answered.", "Loved it!",
          "A calm, careful documentary about bees that I will watch again with my kids this summer."]

padding_efficiency = [
    Case("a hidden case: a (2, 3) mask", (torch.tensor([[1, 1, 0], [1, 0, 0]]),), 0.5),
    Case("a hidden case: a batch of one padded sequence", (torch.tensor([[1, 1, 1, 1, 1, 1, 0, 0]]),), 0.75),
    Case("a hidden case: a (4, 2) mask", (torch.tensor([[1, 1], [1, 1], [1, 0], [1, 0]]),), 0.75),
]

classify_texts = [
    Case("a hidden case: five unseen texts in batches of 2", (list(_TEXTS), 2)),
    Case("a hidden case: five unseen texts one at a time (batch_size=1)", (list(_TEXTS), 1)),
    Case("a hidden case: five unseen texts, batch_size larger than the list", (list(_TEXTS), 10)),
]
