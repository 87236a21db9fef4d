"""Page kinds are registered builders with one signature: ``(model) -> Iterable[SiteFile]``.

A builder returns its page(s) (HTML under front matter) and any chart specs they embed. Adding a
page kind is writing one function and decorating it; the orchestrator runs them all
in registration order.

A builder with many pages may yield ``Memo`` items instead of files: a page's
inputs (fingerprints of every model row the page reads) and how to build it.
``build_pages`` then builds only pages whose inputs changed since a build that
used the same cache, and reuses the others; the files are the same either way.
A builder registered with ``reads="model"`` (an index that lists every project by its
title) is memoised whole, by the fingerprint of the whole model; with
``reads="figures"`` (the home page and the other indexes: sums, counts and names, never
a project's own words), by the fingerprint of every row but projects' titles and
descriptions (``Fingerprints.all_but_project_text``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Literal

from generator.cache import Cache, active, make_key, memo_active
from generator.model import Model
from generator.pages.inputs import Fingerprints, fingerprints_of
from generator.reuse import Kept
from generator.site import SiteFile


@dataclass(frozen=True)
class Memo:
    """A page (or a few files) built by ``build``, which reads nothing but ``inputs``."""

    inputs: tuple[str, ...]
    build: Callable[[], Iterable[SiteFile]]


PageBuilder = Callable[[Model], Iterable[SiteFile | Memo]]

Reads = Literal["rows", "model", "figures"]

PAGE_BUILDERS: dict[str, PageBuilder] = {}
READS_WHOLE: dict[str, Callable[[Fingerprints], str]] = {}  # kind -> the key of its inputs
_WHOLE_INPUTS: dict[Reads, Callable[[Fingerprints], str]] = {
    "model": Fingerprints.everything,
    "figures": Fingerprints.all_but_project_text,
}


def page_builder(kind: str, reads: Reads = "rows") -> Callable[[PageBuilder], PageBuilder]:
    """Register a page builder under a unique kind name.

    ``reads="model"``: its files depend on every row, so they are memoised whole;
    ``reads="figures"``: on every row but projects' titles and descriptions.
    """

    def register(builder: PageBuilder) -> PageBuilder:
        if kind in PAGE_BUILDERS:
            raise ValueError(f"page kind {kind!r} registered twice")
        PAGE_BUILDERS[kind] = builder
        if reads in _WHOLE_INPUTS:
            READS_WHOLE[kind] = _WHOLE_INPUTS[reads]
        return builder

    return register


def build_pages(model: Model, cache: Cache | None = None) -> Iterator[SiteFile]:
    """Run every registered page builder, in registration order."""
    _import_builders()
    memo = cache or Cache(None)
    _keys.start()
    _files.start()
    for kind, builder in PAGE_BUILDERS.items():
        if kind in READS_WHOLE:
            inputs = (READS_WHOLE[kind](fingerprints_of(model)),)
            yield from resolve_memo(kind, Memo(inputs, partial(_files_of, builder, model)), memo)
            continue
        for item in builder(model):
            if isinstance(item, Memo):
                yield from resolve_memo(kind, item, memo)
            else:
                yield item


def resolve_memo(kind: str, item: Memo, cache: Cache) -> tuple[SiteFile, ...]:
    """The files of a memoised page: from the cache when its inputs are unchanged."""
    key = _keys.get((kind, item.inputs), (), lambda: make_key("page", kind, *item.inputs))
    stored = cache.memo(f"pages-{kind}", key, partial(_built_with, cache, item.build))
    return _files.get(key, (stored,), partial(_site_files, stored))


def _site_files(stored: tuple[tuple[str, bytes, bool], ...]) -> tuple[SiteFile, ...]:
    return tuple(SiteFile(path, content, html_body) for path, content, html_body in stored)


def memo_fragment(kind: str, inputs: tuple[str, ...], build: Callable[[], str]) -> str:
    """A piece of a memoised page, built by ``build``, which reads nothing but ``inputs``.

    From the cache of the page being built when its inputs are unchanged: a page that
    lists every project rebuilds only the piece holding an edited one.
    """
    return memo_active(f"fragments-{kind}", ("fragment", kind, *inputs), build)


_keys = Kept()  # a page's memo key, by its kind and inputs (strings, compared by value)
_files = Kept()  # a page's files, while the cache hands back the same stored tuple


def _built_with(
    cache: Cache, build: Callable[[], Iterable[SiteFile]]
) -> tuple[tuple[str, bytes, bool], ...]:
    with active(cache):
        return _stored(build())


def _stored(files: Iterable[SiteFile]) -> tuple[tuple[str, bytes, bool], ...]:
    # Plain tuples: a warm build reads every page back, and they unpickle twice as fast.
    return tuple((f.path, f.content, f.html_body) for f in files)


def _files_of(builder: PageBuilder, model: Model) -> Iterator[SiteFile]:
    for item in builder(model):
        if isinstance(item, Memo):  # a whole-model kind has nothing finer to memoise
            yield from item.build()
        else:
            yield item


def _import_builders() -> None:
    # Importing the modules registers their builders; the list fixes the order.
    from generator.pages import builders  # noqa: F401
