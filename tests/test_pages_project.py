"""Project pages and the projects index."""

from __future__ import annotations

import re

import pytest
from pages_model import (
    EVIL_TEXT,
    assert_safe_html,
    link_targets,
    make_model,
    shown,
    tags_of,
    visible_text,
)

from generator import paths
from generator.model import Model
from generator.pages.common import NOT_INDEXED, data_as_of
from generator.pages.projects import build_project_page, build_projects_index


@pytest.fixture(scope="module")
def model() -> Model:
    return make_model()


def _html(model: Model, pid: str) -> str:
    page = build_project_page(model, model.projects[pid], data_as_of(model))
    assert page.path == paths.project_page(pid)
    return shown(page)


def _rows(html: str) -> list[list[str]]:
    return [
        [visible_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    ]


def test_project_page_money_by_source_and_every_fund_row(model: Model) -> None:
    html = _html(model, "p1")
    rows = _rows(html)
    assert ["Central government funds", "200,000", "150,000", "75%"] in rows
    assert ["Municipal funds", "100,000", "0", "0%"] in rows
    assert ["Total", "300,000", "150,000", "50%"] in rows
    for fund in model.funds_of("p1"):
        assert f"Doc {fund.id}" in html
    assert [
        "Disbursement",
        "Central government funds",
        "150,000",
        "2019-06-01",
        "Doc f3",
        "Published figure",
        "[4]",
    ] in rows


def test_project_page_benefits_planned_vs_achieved(model: Model) -> None:
    rows = _rows(_html(model, "p1"))
    assert [
        "Households benefiting",
        "120",
        "100",
        "83%",
        "households",
        "2019-12-01",
        "Published figure",
        "[6]",
    ] in rows
    assert [
        "Roads built or repaired",
        "12",
        "12",
        "100%",
        "km",
        "2019-12-01",
        "Published figure",
        "[8]",
    ] in rows


def test_each_row_cites_its_passage(model: Model) -> None:
    html = _html(model, "p1")
    passages = re.findall(r'<li id="source-(\d+)">(.*?)</li>', html)
    assert passages[0] == ("1", "Summary passage about p1")
    assert ("4", "Fund passage f3") in passages
    assert 'href="#source-4"' in html


def test_facts_and_breadcrumb(model: Model) -> None:
    html = _html(model, "p1")
    hrefs = link_targets(html)
    assert hrefs[:4] == [
        "../regions/5307.html",
        "../regions/530722.html",
        "../regions/530722101.html",
        "../regions/530722101201.html",
    ]
    assert "../programs/whole-village.html" in hrefs and "../years/2019.html" in hrefs
    text = visible_text(html)
    assert "Budget 300,000 yuan (30 万元)" in text
    assert "Subsidy standard 6,000 yuan (0.6 万元) per household" in text
    assert "Planned 2019-03-01 – 2019-11-30" in text
    assert '<span lang="zh">项目p1</span>' in html


def test_downloads_link_the_rows_behind_the_page(model: Model) -> None:
    html = _html(model, "p1")
    assert 'href="../data/slices/projects/p1/funds.csv"' in html
    assert 'href="../data/slices/projects/p1/benefits.csv"' in html


def test_notices_of_the_project(model: Model) -> None:
    html = _html(model, "p1")
    assert 'href="../announcements/n-open.html"' in html
    assert ">open</span>" in html
    assert "No public notice" in visible_text(_html(model, "p5"))


def test_illustrative_rows_are_flagged_with_a_word(model: Model) -> None:
    html = _html(model, "p2")
    assert 'class="admonition warning"' in html
    rows = _rows(html)
    assert any(r[-2] == "Illustrative" for r in rows if len(r) == 7)
    assert any(r[-2] == "Illustrative" for r in rows if len(r) == 8)
    assert "Illustrative" not in visible_text(_html(model, "p1"))


def test_injection_fields_render_as_text(model: Model) -> None:
    html = _html(model, "p4")
    assert_safe_html(html)
    text = visible_text(html)
    assert text.count(" ".join(EVIL_TEXT.split())) >= 4  # title, description, program, source


def test_project_page_stays_small(model: Model) -> None:
    page = build_project_page(model, model.projects["p1"], data_as_of(model))
    assert len(page.content) < 10_000


def test_projects_index_table(model: Model) -> None:
    (page,) = build_projects_index(model)
    assert page.path == paths.PROJECTS_INDEX
    html = shown(page)
    tags = tags_of(html)
    table = next(a for t, a in tags if t == "table")
    assert table == {
        "class": "sunshine-table",
        "id": "projects-table",
        "data-sortable": "",
        "data-filterable": "",
    }
    rows = [r for r in _rows(html) if r]  # the header row has th cells only
    assert len(rows) == len(model.projects)
    assert rows[0] == [
        "p1",
        "Project p1 项目p1",
        "Whole-village promotion",
        "Yongsheng County",
        "Completed",
        "2019",
        "300,000",
        "150,000",
    ]
    hrefs = link_targets(html)
    assert hrefs[2:] == [f"{pid}.html" for pid in model.projects]
    assert 'data-value="300000"' in html
    assert "sunshine-bar" not in html


def test_what_every_project_page_repeats_is_left_out_of_search(model: Model) -> None:
    html = _html(model, "p1")
    headings = re.findall(r"<h2[^>]*>", html)
    assert headings and all(NOT_INDEXED in h for h in headings)
    assert re.search(rf"<ul{NOT_INDEXED}>\s*<li><a href=\"[^\"]*funds\.csv\"", html)
    own = re.search(r"<p([^>]*)>Description of p1&#46;</p>", html)  # escaped as pages are
    assert own is not None and own.group(1) == ""  # what the page says of its own stays
