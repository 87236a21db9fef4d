"""Page kinds are registered builders with one signature: ``(model) -> Iterable[SiteFile]``.

A builder returns its Markdown page(s) and any chart specs they embed. Adding a
page kind is writing one function and decorating it; the orchestrator runs them all
in registration order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from generator.model import Model
from generator.site import SiteFile

PageBuilder = Callable[[Model], Iterable[SiteFile]]

PAGE_BUILDERS: dict[str, PageBuilder] = {}


def page_builder(kind: str) -> Callable[[PageBuilder], PageBuilder]:
    """Register a page builder under a unique kind name."""

    def register(builder: PageBuilder) -> PageBuilder:
        if kind in PAGE_BUILDERS:
            raise ValueError(f"page kind {kind!r} registered twice")
        PAGE_BUILDERS[kind] = builder
        return builder

    return register


def build_pages(model: Model) -> Iterator[SiteFile]:
    """Run every registered page builder, in registration order."""
    _import_builders()
    for builder in PAGE_BUILDERS.values():
        yield from builder(model)


def _import_builders() -> None:
    # Importing the modules registers their builders; the list fixes the order.
    from generator.pages import builders  # noqa: F401
