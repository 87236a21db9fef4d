"""The pure core: ``build_site(config) -> Site``. Reads like a table of contents.

Everything is gathered in memory before anything is written; only the adapters
(the MkDocs plugin and the CLI) touch the output folder.
"""

from __future__ import annotations

from generator.cache import Cache
from generator.config import SiteConfig
from generator.downloads import build_downloads
from generator.model import Model
from generator.pages import build_pages
from generator.problems import DataError
from generator.render import build_assets, prune_svg_cache, render_chart_fallbacks
from generator.site import Site
from generator.validate import Validation, validate_data


def build_site(config: SiteConfig) -> Site:
    """Validate the data packages and generate every page, chart and download.

    Raises ``DataError`` with every problem when the data may not be published.
    """
    cache = Cache(config.cache_dir)  # reuse results whose inputs are unchanged (by hash)
    validation = validate_data(config.data_dir, cache)  # load + validate, together
    model = require_publishable(validation, config.strict)  # stop once, before any output
    site = Site(build_pages(model, cache))  # registered page builders: pages + chart specs
    site.add_all(render_chart_fallbacks(site, config.cache_dir))  # a static SVG per chart
    site.add_all(build_downloads(validation.packages, model, config, cache))  # open data + pages
    site.add_all(build_assets(config.cache_dir))  # self-hosted chart JavaScript
    cache.prune(slack=0.1)  # a good build: forget what it did not use, once that adds up
    prune_svg_cache(site, config.cache_dir, slack=0.1)  # and the chart SVGs it did not use
    return site


def require_publishable(validation: Validation, strict: bool) -> Model:
    """Return the model, or raise ``DataError`` carrying every problem found."""
    if not validation.ok(strict) or validation.model is None:
        raise DataError(validation.problems)
    return validation.model
