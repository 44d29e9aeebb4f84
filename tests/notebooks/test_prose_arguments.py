"""Every keyword argument the course's prose names is one the installed library takes.

The markdown of the solution notebooks and the README name calls in code spans, `name(..., kw=value)`, and bare
arguments, `kw=value`, beside the callable they belong to ("the `Trainer` ... with `group_by_length=True`"). A
library upgrade that removes or renames an argument (`group_by_length=True`, gone in transformers 5) must fail
here, not in a learner's code. Each call is resolved to the installed callable and each keyword checked against
what that callable takes:

- a plain signature: its parameters (a keyword it names explicitly passes even when it also has ``**kwargs``);
- ``**kwargs`` that the library defines: a tokenizer's ``__call__`` (its parameters and those of the backend's
  ``_encode_plus``, which receives the ``**kwargs``), a model's ``forward`` (its parameters and the keys of the
  ``TransformersKwargs`` it unpacks), ``generate`` (its parameters, every ``GenerationConfig`` field and the
  model's ``forward``), ``AutoTokenizer.from_pretrained`` (its parameters and the names the tokenizer's
  ``__init__`` pops from its ``**kwargs``);
- torch builtins without a Python signature (``torch.allclose``, ``Tensor.clamp``): the signatures their
  docstrings print; a method called on a notebook variable (``hidden.mean(dim=1)``) is judged as the tensor
  method of that name;
- any other ``**kwargs`` cannot be judged from the installed code (``transformers.pipeline`` hands them to a
  pipeline class it picks at run time): such callables are listed in ``NOT_JUDGED`` with the reason, and one
  that is not listed fails the test until someone looks at it.

A bare ``kw=value`` span is checked against the callable that the nearest code span before it in the same
sentence names ("the `Trainer` ... with `group_by_length=True`"). One with no such span before it in its sentence
("its results have `requires_grad=False`": a value, not an argument) cannot be attributed and is not judged.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import typing
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest

from tests.helpers.notebooks import ROOT, SOLUTIONS

#: Callables whose ``**kwargs`` the installed code cannot tell apart from a typo, and why.
NOT_JUDGED = {
    "transformers.pipeline": "passes **kwargs on to the pipeline class it picks at run time (its task)",
}
SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
BARE = re.compile(r"^([a-z_][a-z0-9_]*)=(?!=)\S+$")


class Finding(NamedTuple):
    where: str
    span: str
    callable: str
    keyword: str


def paragraphs() -> Iterator[tuple[str, str]]:
    """``(where, paragraph)`` for every paragraph of the solution notebooks' markdown and of the README."""
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text())["cells"]):
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                for paragraph in re.split(r"\n\s*\n", text):
                    yield f"{path.name}, cell {index}", paragraph
    for paragraph in re.split(r"\n\s*\n", (ROOT / "README.md").read_text()):
        yield "README.md", paragraph


def parse(span: str) -> ast.AST | None:
    source = span.replace("…", "...")
    for mode in ("eval", "exec"):
        try:
            return ast.parse(source, mode=mode)
        except SyntaxError:
            continue
    return None


def dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def calls(span: str) -> list[tuple[str, list[str]]]:
    """The ``(callee, keywords)`` of every call in a span that parses as Python."""
    tree = parse(span)
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (name := dotted(node.func)):
            found.append((name, [k.arg for k in node.keywords if k.arg]))
    return found


def named_callable(span: str) -> str | None:
    """The dotted name a span names as a callable: `Trainer`, `model.generate`, `tokenizer(...)` (the last call)."""
    tree = parse(span)
    if isinstance(tree, ast.Expression) and (name := dotted(tree.body)):
        return name
    found = calls(span)
    return found[-1][0] if found else None


def sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?;:])\s+|(?<=[.!?;:][)\"'])\s+", paragraph)


class Namespace:
    """What a name in the prose stands for: the course's tokenizer and model, torch, transformers, the course."""

    def __init__(self, classifier, decoder):
        import torch
        import torch.nn.functional as F  # noqa: N812 (the notebooks' name for it)
        import transformers
        from torch.utils.data import DataLoader

        import checker
        import checker.outcome
        import multiseq.batching
        import multiseq.benchmark
        import multiseq.messages
        import multiseq.plots

        common = {
            "torch": torch,
            "F": F,
            "transformers": transformers,
            "DataLoader": DataLoader,
            "checker": checker,
            "multiseq": multiseq,
            "batching": multiseq.batching,
            "benchmark": multiseq.benchmark,
            "plots": multiseq.plots,
            "Mistake": checker.outcome.Mistake,  # the README's authors' section: Mistake(..., id=...)
        }
        self.scopes = {
            "classifier": {**common, "tokenizer": classifier.tokenizer, "model": classifier.model},
            "decoder": {**common, "tokenizer": decoder.tokenizer, "model": decoder.model},
        }

    def resolve(self, name: str, where: str, called: bool = True) -> Any:
        """The object ``name`` stands for in ``where`` (sections 11 and 12 speak of the decoder), or None.

        A name the namespace does not hold is a tensor method when it is ``called`` (`clamp(min=0)`,
        `hidden.mean(dim=1)`); merely named in a span (`stride`, `int`), it stands for nothing."""
        import torch
        import transformers

        scope = self.scopes["decoder" if where.startswith(("11_", "12_")) else "classifier"]
        first, *rest = name.split(".")
        if first in scope:
            obj = scope[first]
        elif hasattr(transformers, first) and first[:1].isupper():
            obj = getattr(transformers, first)
        elif (
            called and not rest and hasattr(torch.Tensor, first)
        ):  # `clamp(min=0)`: a tensor method
            return getattr(torch.Tensor, first)
        elif (
            called and rest and hasattr(torch.Tensor, rest[-1])
        ):  # `hidden.mean(dim=1)`: a notebook's tensor
            return getattr(torch.Tensor, rest[-1])
        else:
            return None
        for part in rest:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj if callable(obj) else None


def parameters(func: Any) -> tuple[set[str], bool] | None:
    """``(names, takes **kwargs)`` from a signature, or from the signatures a builtin's docstring prints."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        name = getattr(func, "__name__", "")
        lines = [line.strip() for line in (func.__doc__ or "").splitlines()]
        heads = [line for line in lines if re.match(rf"{re.escape(name)}\(.*\)\s*->", line)]
        if not heads:
            return None
        names: set[str] = set()
        for head in heads:
            inside = head[head.index("(") + 1 : head.rindex(")")]
            names |= {m.group(1) for m in re.finditer(r"(?:^|,)\s*\*{0,2}(\w+)", inside)}
        return names, False
    params = signature.parameters.values()
    return (
        {p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)},
        any(p.kind is p.VAR_KEYWORD for p in params),
    )


def unpacked_kwargs(func: Any) -> set[str]:
    """The keys of the TypedDict a ``**kwargs: Unpack[...]`` parameter names (a model's TransformersKwargs)."""
    for param in inspect.signature(func).parameters.values():
        if param.kind is param.VAR_KEYWORD:
            for arg in typing.get_args(param.annotation) or (param.annotation,):
                keys = getattr(arg, "__annotations__", {}) if hasattr(arg, "__total__") else {}
                return set(keys)  # the names only: their annotations need not resolve
    return set()


def accepted(obj: Any) -> set[str] | str:
    """The keywords ``obj`` takes, or the reason they cannot be judged."""
    import torch
    from transformers import AutoTokenizer, GenerationConfig, PreTrainedTokenizerBase
    from transformers.generation.utils import GenerationMixin

    obj = getattr(
        obj, "__wrapped__", obj
    )  # the course records `generate` calls through a functools.wraps wrapper
    if isinstance(obj, PreTrainedTokenizerBase):
        explicit, _ = parameters(type(obj).__call__)
        backend, _ = parameters(type(obj)._encode_plus)
        return explicit | backend
    if isinstance(obj, torch.nn.Module):
        explicit, _ = parameters(type(obj).forward)
        return explicit | unpacked_kwargs(type(obj).forward)
    if getattr(obj, "__func__", None) is GenerationMixin.generate:
        explicit, _ = parameters(obj)
        return explicit | set(GenerationConfig().to_dict()) | accepted(obj.__self__)
    if getattr(obj, "__func__", None) is AutoTokenizer.from_pretrained.__func__:
        explicit, _ = parameters(obj)
        popped = set(
            re.findall(r"kwargs\.pop\(\s*\"(\w+)\"", inspect.getsource(PreTrainedTokenizerBase))
        )
        return explicit | popped | {"cache_dir", "local_files_only", "revision", "token"}
    found = parameters(obj)
    if found is None:
        return "no signature, and no docstring signature"
    names, var_keyword = found
    if var_keyword:
        return names | {
            f"**{name}" for name in names
        }  # marked: the caller decides what to do with the rest
    return names


def check_call(
    where: str, span: str, name: str, keywords: list[str], ns: Namespace
) -> tuple[list[Finding], list[str]]:
    """Findings (keywords the callable does not take) and the names that could not be judged."""
    obj = ns.resolve(name, where)
    if obj is None:
        return [], [name]
    taken = accepted(obj)
    if isinstance(taken, str):
        return [], [name]
    var_keyword = any(k.startswith("**") for k in taken)
    missing = [k for k in keywords if k not in taken]
    if missing and var_keyword:
        return [], [name]  # a keyword its **kwargs may take: only NOT_JUDGED may say so
    return [Finding(where, span, name, k) for k in missing], []


def findings(texts: Iterator[tuple[str, str]], ns: Namespace) -> tuple[list[Finding], set[str]]:
    wrong: list[Finding] = []
    unjudged: set[str] = set()
    for where, paragraph in texts:
        for sentence in sentences(paragraph):
            before = None  # the callable the latest span of this sentence named
            for span in SPAN.findall(sentence):
                for name, keywords in calls(span):
                    if keywords:
                        bad, cannot = check_call(where, span, name, keywords, ns)
                        wrong += bad
                        unjudged |= set(cannot)
                bare = BARE.match(span)
                if bare and before is not None:
                    bad, cannot = check_call(where, span, before, [bare.group(1)], ns)
                    wrong += bad
                    unjudged |= set(cannot)
                name = named_callable(span)
                if name and ns.resolve(name, where, called=False) is not None:
                    before = name
    return wrong, unjudged


@pytest.fixture(scope="module")
def namespace():
    from checker import load_decoder, load_model

    return Namespace(load_model(), load_decoder())


def test_every_keyword_the_prose_names_is_one_the_installed_callable_takes(namespace):
    wrong, unjudged = findings(paragraphs(), namespace)
    assert not wrong, "\n".join(
        f"{f.where}: `{f.span}`: {f.callable} takes no `{f.keyword}`" for f in wrong
    )
    unlisted = sorted(unjudged - set(NOT_JUDGED))
    assert not unlisted, (
        f"cannot judge the keywords of {unlisted}: resolve them, or list them in NOT_JUDGED"
    )


def test_an_argument_transformers_5_removed_is_caught_in_a_call_and_beside_its_callable(namespace):
    """What the course said before (section 10) and the call it stood for both fail; their fixes pass."""
    before = [
        (
            "10, cell 15",
            "The `Trainer` of transformers does this with `group_by_length=True`: its `LengthGroupedSampler` shuffles.",
        ),
        ("10, cell 15", 'Say `TrainingArguments(output_dir="out", group_by_length=True)`.'),
        (
            "07, cell 53",
            'Keep the end: `tokenizer(text, truncation=True, truncation_side="left")`.',
        ),
    ]
    wrong, _ = findings(iter(before), namespace)
    assert [(f.callable, f.keyword) for f in wrong] == [
        ("Trainer", "group_by_length"),
        ("TrainingArguments", "group_by_length"),
        ("tokenizer", "truncation_side"),
    ]
    after = [
        ("10, cell 15", 'Say `TrainingArguments(..., train_sampling_strategy="group_by_length")`.'),
        (
            "07, cell 53",
            'Keep the end: `AutoTokenizer.from_pretrained(..., truncation_side="left")`.',
        ),
        (
            "11_batches_for_generation.ipynb, cell 39",
            "Pass the mask: `model.generate(**batch, max_new_tokens=8, do_sample=False)`.",
        ),
        ("03, cell 17", "`torch.allclose(a, b, atol=1e-4, rtol=1e-4)` and `clamp(min=0)`"),
    ]
    assert findings(iter(after), namespace) == ([], set())


def test_a_keyword_hidden_in_kwargs_that_nobody_listed_fails(namespace):
    texts = [("README.md", 'Run `transformers.pipeline("text-classification", batch_size=8)`.')]
    assert findings(iter(texts), namespace) == ([], {"transformers.pipeline"})
    texts = [("README.md", "`checker.config.quiet_transformers(envv={})`")]
    wrong, _ = findings(iter(texts), namespace)
    assert [(f.callable, f.keyword) for f in wrong] == [
        ("checker.config.quiet_transformers", "envv")
    ]


def test_the_sources_are_read():
    """The scan reaches every notebook and the README, and finds their keywords (it must not pass by reading nothing)."""
    texts = list(paragraphs())
    assert {p.name for p in SOLUTIONS.glob("*.ipynb")} | {"README.md"} <= {
        w.split(",")[0] for w, _ in texts
    }
    keywords = [
        k for _, text in texts for span in SPAN.findall(text) for _, ks in calls(span) for k in ks
    ]
    assert len(keywords) >= 20, keywords
    assert {"padding", "truncation", "max_length", "return_tensors", "do_sample"} <= set(keywords)
