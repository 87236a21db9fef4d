"""A small model built directly from entity dataclasses, for page, chart and escaping tests.

One city with two counties, townships and villages; three programs; five projects
(one whose every text field is an injection attempt); funds from several sources;
benefits; notices open and closed as of the package date; stated totals, one that
matches the rows and one that does not.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import markdown

from generator.model import (
    Announcement,
    Benefit,
    Fund,
    Model,
    Organization,
    Origin,
    PackageInfo,
    Program,
    Project,
    Region,
    ReportedTotal,
)
from generator.site import SiteFile

EXTENSIONS = [
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.details",
    "toc",
    "def_list",
]

EVIL = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](http://evil/x.png)",
    "{{ config }}",
    "{% raw %}",
    "# heading",
    "| pipe |",
    "**bold**",
    "RTL \u202eevil",
    "zero\u200bwidth",
    "emoji 🎉",
    "W" * 5000,
)
EVIL_TEXT = " ".join(EVIL[:-1])

PKG = "test-pkg"


def _o(n: int = 2) -> dict[str, Any]:
    return {"package": PKG, "origin": Origin("test-pkg/x.csv", n)}


def region(code: str, name: str, local: str, level: str, parent: str | None) -> Region:
    return Region(code, name, local, level, parent, f"source of {code}", False, **_o())


def project(pid: str, **changes: Any) -> Project:
    values: dict[str, Any] = {
        "id": pid,
        "title": f"Project {pid}",
        "title_local": f"项目{pid}",
        "program": "whole-village",
        "region": "530722101201",
        "implementer": "yongsheng-office",
        "status": "completed",
        "year": 2019,
        "planned_start": date(2019, 3, 1),
        "planned_end": date(2019, 11, 30),
        "actual_start": date(2019, 3, 15),
        "actual_end": None,
        "budget": Decimal(300000),
        "description": f"Description of {pid}.",
        "subsidy_standard": None,
        "subsidy_unit": None,
        "latitude": None,
        "longitude": None,
        "source": f"Summary passage about {pid}",
        "illustrative": False,
    }
    values.update(changes)
    return Project(**values, **_o())


def fund(
    fid: str,
    pid: str,
    source: str,
    kind: str,
    amount: int,
    illustrative: bool = False,
    text: str | None = None,
) -> Fund:
    return Fund(
        fid,
        pid,
        source,
        None,
        kind,
        Decimal(amount),
        date(2019, 6, 1),
        f"Doc {fid}",
        text or f"Fund passage {fid}",
        illustrative,
        **_o(),
    )


def benefit(
    bid: str,
    pid: str,
    indicator: str,
    unit: str,
    planned: int | None,
    achieved: int | None,
    illustrative: bool = False,
) -> Benefit:
    return Benefit(
        bid,
        pid,
        indicator,
        unit,
        None,
        None if planned is None else Decimal(planned),
        None if achieved is None else Decimal(achieved),
        date(2019, 12, 1),
        f"Benefit passage {bid}",
        illustrative,
        **_o(),
    )


def make_model() -> Model:
    """The test model (a fresh object each call)."""
    regions = [
        region("5307", "Lijiang City", "丽江市", "city", None),
        region("530722", "Yongsheng County", "永胜县", "county", "5307"),
        region("530723", "Huaping County", "华坪县", "county", "5307"),
        region("530722101", "Songping Township", "松坪乡", "township", "530722"),
        region("530722101201", "Songping Village", "松坪村", "village", "530722101"),
        region("530723100", "Zhongxin Town", "中心镇", "township", "530723"),
    ]
    orgs = [
        Organization(
            "yongsheng-office",
            "Yongsheng Poverty Alleviation Office",
            "永胜县扶贫办",
            "government",
            "530722",
            None,
            "org passage",
            False,
            **_o(),
        ),
        Organization("evil-org", EVIL_TEXT, None, "implementer", None, None, "org", False, **_o()),
    ]
    programs = [
        Program("whole-village", "Whole-village promotion", "整村推进", "Villages.", "p1", **_o()),
        Program("training", "Labour training", "劳动力培训", None, "p2", **_o()),
        Program("evil", EVIL_TEXT, None, EVIL_TEXT, "p3", **_o()),
    ]
    projects = [
        project("p1", subsidy_standard=Decimal(6000), subsidy_unit="household"),
        project(
            "p2",
            program="training",
            region="530723100",
            status="in-progress",
            year=2018,
            budget=Decimal(1760000),
            illustrative=True,
        ),
        project("p3", region="530722101", status="planned", year=2019),
        project(
            "p4",
            title=EVIL_TEXT,
            title_local="\u202eevil 中文",
            program="evil",
            implementer="evil-org",
            description=EVIL_TEXT,
            source=EVIL_TEXT,
            subsidy_unit=EVIL_TEXT,
            subsidy_standard=Decimal(1),
        ),
        project("p5", region="530723", status="cancelled", year=2020, budget=Decimal(0)),
    ]
    funds = [
        fund("f1", "p1", "central", "allocation", 200000),
        fund("f2", "p1", "municipal", "allocation", 100000),
        fund("f3", "p1", "central", "disbursement", 150000),
        fund("f4", "p2", "provincial", "allocation", 1760000, illustrative=True),
        fund("f5", "p2", "provincial", "disbursement", 1000000, illustrative=True),
        fund("f6", "p3", "county", "allocation", 290000),
        fund("f7", "p4", "donation", "allocation", 12345, text=EVIL_TEXT),
    ]
    benefits = [
        benefit("b1", "p1", "households", "households", 120, 100),
        benefit("b2", "p1", "people", "people", 480, 400),
        benefit("b3", "p1", "road-km", "km", 12, 12),
        benefit("b4", "p2", "trainees", "people", 2200, 1200, illustrative=True),
        benefit("b5", "p3", "households", "households", 50, None),
        benefit("b6", "p1", "villages", "villages", 1, 1),
    ]
    notices = [
        Announcement(
            "n-open",
            "Notice of the 2019 whole-village projects",
            "2019年整村推进公示",
            date(2019, 12, 25),
            date(2020, 1, 5),
            ("p1", "p3"),
            "First paragraph.\n\nSecond <b>paragraph</b>.",
            "Office, tel. 0888-1234",
            "mailto:office@example.org",
            "notice passage",
            False,
            **_o(),
        ),
        Announcement(
            "n-closed",
            "Notice of training funds",
            None,
            date(2019, 3, 1),
            date(2019, 3, 11),
            ("p2",),
            "Body.",
            None,
            None,
            "passage",
            False,
            **_o(),
        ),
        Announcement(
            "n-evil",
            EVIL_TEXT,
            None,
            date(2019, 6, 1),
            None,
            ("p4",),
            EVIL_TEXT,
            EVIL_TEXT,
            "javascript:alert(1)",
            EVIL_TEXT,
            False,
            **_o(),
        ),
    ]
    notices.sort(key=lambda a: (a.date, a.id), reverse=True)
    totals = [
        ReportedTotal(
            "t-match",
            "Central funds of 200,000 yuan",
            Decimal(200000),
            "amount",
            "allocation",
            (),
            ("central",),
            (),
            None,
            (),
            "stated",
            **_o(),
        ),
        ReportedTotal(
            "t-differs",
            "Households benefiting: 1,000",
            Decimal(1000),
            "households",
            "planned",
            (),
            (),
            (),
            2019,
            (),
            "stated",
            **_o(),
        ),
        ReportedTotal(
            "t-count",
            "Five projects",
            Decimal(5),
            "projects",
            "count",
            (),
            (),
            (),
            None,
            (),
            "stated",
            **_o(),
        ),
    ]
    package = PackageInfo(
        PKG, "Test package", "1.0.0", "2019-12-31T00:00:00Z", "A test.", "test-pkg", {}
    )
    return Model(
        packages=(package,),
        regions={r.code: r for r in sorted(regions, key=lambda r: r.code)},
        organizations={o.id: o for o in sorted(orgs, key=lambda o: o.id)},
        programs={p.id: p for p in sorted(programs, key=lambda p: p.id)},
        projects={p.id: p for p in sorted(projects, key=lambda p: p.id)},
        announcements={a.id: a for a in notices},
        funds=tuple(sorted(funds, key=lambda f: f.id)),
        benefits=tuple(sorted(benefits, key=lambda b: b.id)),
        reported_totals=tuple(totals),
    )


def render(md_text: str) -> str:
    """Page Markdown to HTML with the site's extensions (front matter removed)."""
    return markdown.markdown(body_of(md_text), extensions=EXTENSIONS)


def body_of(page_text: str) -> str:
    """A page without its front matter, as MkDocs reads it."""
    return re.sub(r"\A---\n.*?\n---\n", "", page_text, flags=re.S).lstrip("\n")


def shown(page: SiteFile) -> str:
    """A generated page's HTML as the site shows it.

    The body of an HTML page as it is; a Markdown page (the data pages) converted.
    """
    text = page.content.decode("utf-8")
    return body_of(text) if page.html_body else render(text)


_BLOCKS = {
    "td",
    "th",
    "tr",
    "li",
    "p",
    "br",
    "dt",
    "dd",
    "div",
    "caption",
    "summary",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "details",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" or (tag == "a" and ("class", "headerlink") in attrs):
            self._skip += 1
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" or (tag == "a" and self._skip):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees (scripts and heading permalinks left out), whitespace folded."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of ``html`` with its attributes, as a browser would parse them."""
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def assert_safe_html(html: str) -> None:
    """No script from data, no event handler, no javascript: link, no image from data."""
    for tag, attrs in tags_of(html):
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "script":
            assert attrs.get("type") == "application/json", attrs
        if tag == "img":
            assert attrs.get("class") == "sunshine-chart__static", attrs
        for name in ("href", "src"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
            if tag == "a" and name == "href":
                assert value.startswith(("http://", "https://", "mailto:", "#")) or (
                    ":" not in value.split("/")[0]
                ), attrs


def link_targets(html: str) -> list[str]:
    """The ``href`` of every link but the headings' permalinks, in order."""
    return [a["href"] for t, a in tags_of(html) if t == "a" and a.get("class") != "headerlink"]
