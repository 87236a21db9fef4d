"""Public notices: open or closed as of the data's own date, body as text, contact links."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from pages_model import (
    EVIL_TEXT,
    assert_safe_html,
    link_targets,
    make_model,
    shown,
    visible_text,
)

from generator import paths
from generator.model import Model
from generator.pages.announcements import build_announcement_page, build_announcements_index
from generator.pages.common import data_as_of, notice_state


@pytest.fixture(scope="module")
def model() -> Model:
    return make_model()


def _html(model: Model, nid: str) -> str:
    page = build_announcement_page(model, model.announcements[nid], data_as_of(model))
    assert page.path == paths.announcement_page(nid)
    return shown(page)


def test_as_of_is_the_package_date_not_the_clock(model: Model) -> None:
    assert data_as_of(model) == date(2019, 12, 31)
    undated = replace(model, packages=(replace(model.packages[0], created=""),))
    assert data_as_of(undated) == date(2020, 1, 5)  # the newest date in the data


def test_notice_states(model: Model) -> None:
    notice = model.announcements["n-open"]
    assert notice_state(notice, date(2019, 12, 24)) == "upcoming"
    assert notice_state(notice, date(2019, 12, 25)) == "open"
    assert notice_state(notice, date(2020, 1, 5)) == "open"
    assert notice_state(notice, date(2020, 1, 6)) == "closed"


def test_notice_page(model: Model) -> None:
    html = _html(model, "n-open")
    text = visible_text(html)
    assert "Published 2019-12-25" in text
    assert "Notice period 2019-12-25 – 2020-01-05" in text
    assert (
        '<span class="sunshine-notice-status" data-end="2020-01-05" data-start="2019-12-25">'
        "open</span>" in html
    )
    assert "<p>First paragraph&#46;</p>" in html
    assert "Second <b>paragraph</b>." in text
    hrefs = link_targets(html)
    assert hrefs == ["mailto:office@example.org", "../projects/p1.html", "../projects/p3.html"]
    assert "Office, tel. 0888-1234" in text


def test_closed_notice_and_no_end_date(model: Model) -> None:
    assert ">closed</span>" in _html(model, "n-closed")
    html = _html(model, "n-evil")
    assert "No end date stated" in visible_text(html)
    assert "sunshine-notice-status" not in html


def test_hostile_notice_is_text(model: Model) -> None:
    html = _html(model, "n-evil")
    assert_safe_html(html)
    assert not [href for href in link_targets(html) if "javascript" in href]
    text = visible_text(html)
    assert " ".join(EVIL_TEXT.split()) in text
    assert "javascript:alert(1)" in text  # the unsafe address is shown, not linked


def test_notices_index(model: Model) -> None:
    (page,) = build_announcements_index(model)
    html = shown(page)
    hrefs = link_targets(html)
    assert hrefs == ["n-open.html", "n-evil.html", "n-closed.html"]  # newest first
    assert "as of 2019-12-31" in visible_text(html)
