"""What a page reads, as fingerprints: the inputs of a memoised page (``Memo``).

A fingerprint is a row's text (``Model.row_text``: its committed cells, its file and
line and how its table is read), so any change to a row a page reads changes the
page's key.
Each list here must name every row its page builder reads; tests edit each kind
of row and compare a memoised build with a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from generator.model import (
    Announcement,
    Entity,
    Fund,
    Model,
    Program,
    Project,
    Region,
    per_model,
)
from generator.pages import listing
from generator.pages.listing import shown_funded
from generator.reuse import Kept, same_objects


class Fingerprints:
    """Fingerprints of a model's rows, each computed once per build.

    A page's inputs are found again, not computed, while the objects they are made from
    are the last build's (``_Kept``): the model reuses the entities of unchanged tables,
    and each project's digests are reused while its rows are the same. So after a
    one-row edit, the live preview reads only the rows of the pages that show it.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self._digested: dict[str, _Digests] = {}  # by project id, once per build
        self._everything: str | None = None
        self._figures: str | None = None
        self._shared: str | None = None
        self._up: dict[str, str] = {}
        self._figures_by_id: dict[str, str] | None = None
        self._all_made = False  # every project of the model has its digests
        self._regions_up: dict[str, tuple[Region, ...]] = {}
        for gone in _last_digests.keys() - model.projects.keys():
            del _last_digests[gone]  # projects taken out of the data
        _kept.start()

    def project(self, project: Project) -> str:
        """A project row with its fund and benefit rows."""
        return self._digests(project).project

    def figures(self, project: Project) -> str:
        """What a project adds to sums and lists: every field but its free text, its
        fund and benefit rows."""
        return self._digests(project).figures

    def _digests(self, project: Project) -> _Digests:
        found = self._digested.get(project.id)
        if found is None:
            found = self._digested[project.id] = self._made_or_last(project)
        return found

    def _made_or_last(self, project: Project) -> _Digests:
        model = self.model
        made_of = (project, model.funds_of(project.id), model.benefits_of(project.id))
        made_from, last = _last_digests.get(project.id, ((), None))
        # A model made from tables makes one entity of one row text, so the same entity
        # and the same tuples of fund and benefit rows have the same texts.
        if last is not None and model.row_texts and same_objects(made_from, made_of):
            return last
        rows = (*made_of[1], *made_of[2])
        text = model.row_text
        own = text(project)  # the same text makes the same entity
        if last is None or last.project_text != own or not last.made_from(rows, text):
            last = _made_again(project, own, rows, tuple(map(text, rows)), last)
        _last_digests[project.id] = (made_of, last)  # found by identity next time
        return last

    def _listed(self, slot: Hashable, projects: Sequence[Project]) -> _Listed:
        # Which projects a list shows depends on the figures of all (the largest by
        # allocation), so it is found again while those are the same strings.
        figures = tuple(map(self._figures_of_ids().__getitem__, map(_ID, projects)))
        if len(projects) <= listing.PROJECT_LIST_LIMIT:
            shown: Sequence[str] = tuple(map(_ID, projects))  # all of them
        else:
            shown = _kept.get(("shown", slot), figures, lambda: _shown_ids(self.model, projects))
        return _Listed(figures, tuple(map(_PROJECT, map(self._all_digests().__getitem__, shown))))

    def _all_digests(self) -> dict[str, _Digests]:
        if not self._all_made:
            for project in self.model.projects.values():
                self._digests(project)
            self._all_made = True
        return self._digested

    def _figures_of_ids(self) -> dict[str, str]:
        if self._figures_by_id is None:
            digests = self._all_digests()
            self._figures_by_id = {pid: digests[pid].figures for pid in self.model.projects}
        return self._figures_by_id

    def everything(self) -> str:
        """Every row of the model and its packages' metadata."""
        if self._everything is None:
            rows = self._rows_but_projects()
            projects = self._of_every_project(_PROJECT)
            slot = ("everything", *rows)  # a few strings, compared by value
            self._everything = _kept.get(
                slot, projects, lambda: _digest(_parts([*rows, *projects]))
            )
        return self._everything

    def all_but_project_text(self) -> str:
        """Every row but projects' titles and descriptions: what pages of figures read.

        The home page and the indexes of places, programs, sources, years and notices
        show sums, counts and names, never a project's own words, so a corrected title
        leaves them as they are.
        """
        if self._figures is None:
            model = self.model
            rows = self._rows_but_projects()
            rows += [self._table("funds", model.funds), self._table("benefits", model.benefits)]
            withouts = self._of_every_project(_WITHOUT_TEXT)
            self._figures = _kept.get(
                ("all-but-project-text", *rows),
                withouts,
                lambda: _digest(_parts([*rows, _parts(withouts)])),
            )
        return self._figures

    def _of_every_project(self, digest: Callable[[_Digests], str]) -> tuple[str, ...]:
        # in the model's order: the strings, kept by the digests, are found again by identity
        digests = self._all_digests()
        return tuple(map(digest, map(digests.__getitem__, self.model.projects)))

    def _rows_but_projects(self) -> list[str]:
        """Packages' metadata and every row but projects, funds and benefits, as parts."""
        model = self.model
        rows = [repr(model.packages), self._table("reported_totals", model.reported_totals)]
        rows += (json.dumps(p.descriptor, sort_keys=True) for p in model.packages)
        for name in ("regions", "organizations", "programs", "announcements"):
            table: dict[str, Entity] = getattr(model, name)
            rows.append(self._table(name, table.values()))
        return rows

    def _table(self, resource: str, rows: Iterable[Entity]) -> str:
        # The digest of the tables the rows were made from, when known: every row in
        # one hash, without reading them (funds and benefits are most of the rows).
        digest = self.model.digest_of(resource)
        return f"tables:{digest}" if digest else self._rows(rows)

    def regions_up(self, code: str) -> tuple[Region, ...]:
        """The region ``code`` and every region above it."""
        found = self._regions_up.get(code)
        if found is None:
            regions = self.model.regions
            found = self._regions_up[code] = tuple(regions[c] for c in self.model.region_path(code))
        return found

    def _places_up(self, code: str) -> str:
        # the rows of a village and the places above it: every project there reads them
        found = self._up.get(code)
        if found is None:
            found = self._up[code] = self._rows(self.regions_up(code))
        return found

    def project_page(self, project: Project, as_of: date | None) -> tuple[str, ...]:
        """A project page: its rows, notices, places, program and implementer, the data's date."""
        model = self.model
        notices = model.announcements_of(project.id)
        up = self.regions_up(project.region)
        program = model.programs.get(project.program)
        implementer = model.organizations.get(project.implementer)
        made_of = (self._digests(project), *notices, _BETWEEN, *up, _BETWEEN, program, implementer)
        return _kept.get(
            ("project", project.id, str(as_of)),
            made_of,
            lambda: (
                self.project(project),
                str(as_of),
                self._rows(notices),
                self._places_up(project.region),
                self._rows_of(program),
                self._rows_of(implementer),
            ),
        )

    def region_page(self, region: Region) -> tuple[str, ...]:
        """A place page: the places above and below it and every project in it."""
        model = self.model
        code = region.code
        up = self.regions_up(code)
        children = model.children_of(code)
        listed = self._listed(("region", code), model.projects_in(code))
        made_of = (region, *up, _BETWEEN, *children, _BETWEEN, *listed.made_of())
        return _kept.get(
            ("region", code),
            made_of,
            lambda: (
                model.row_text(region),
                self._places_up(code),
                self._rows(children),
                listed.text(),
            ),
        )

    def program_page(self, program: Program, projects: Sequence[Project]) -> tuple[str, ...]:
        """A program page: the program and its projects (with their funds and benefits)."""
        listed = self._listed(("program", program.id), projects)
        return _kept.get(
            ("program", program.id),
            (program, _BETWEEN, *listed.made_of()),
            lambda: (self.model.row_text(program), listed.text()),
        )

    def year_page(self, year: int, projects: Sequence[Project]) -> tuple[str, ...]:
        """A year page: its projects, and the programs it names them by."""
        listed = self._listed(("year", year), projects)
        programs = self.model.programs.values()
        return _kept.get(
            ("year", year),
            (*listed.made_of(), _BETWEEN, *programs),
            lambda: (str(year), listed.text(), self._rows(programs)),
        )

    def source_page(self, source: str, funds: Sequence[Fund]) -> tuple[str, ...]:
        """A funding source page: the figures of the projects its fund rows name (their
        rows, these among them), the words of those it lists, places and programs."""
        digests = self._all_digests()
        rows = tuple(funds)  # the same tuple while the fund rows are (``funds_by_source_type``)
        named_ids = _kept.get(("named", source), (rows,), lambda: _named_ids(rows))
        named = tuple(map(self._figures_of_ids().get, named_ids))
        shown = _kept.get(("shown-funded", source), (rows,), lambda: shown_funded(rows))
        words = tuple(self._project_of_id(pid, digests) for pid in shown)
        shared = self.places_and_programs()
        made_of = (rows, _BETWEEN, *named, _BETWEEN, *words, _BETWEEN, shared)
        return _kept.get(
            ("source", source), made_of, lambda: self._source_page(source, funds, words)
        )

    def _source_page(
        self, source: str, funds: Sequence[Fund], words: Sequence[str]
    ) -> tuple[str, ...]:
        projects = self.model.projects
        named = sorted({f.project for f in funds})
        return (
            source,
            self._rows(f for f in funds if f.project not in projects),
            "\n".join(self.figures(projects[pid]) for pid in named if pid in projects),
            _parts(words),
            self.places_and_programs(),
        )

    def notice_page(self, notice: Announcement, as_of: date | None) -> tuple[str, ...]:
        """A notice page: the notice, the data's date and the projects it names."""
        named = tuple(self._text_of_id(pid) for pid in notice.projects)
        return _kept.get(
            ("notice", notice.id, str(as_of)),
            (notice, *named),
            lambda: (self.model.row_text(notice), str(as_of), _parts(named)),
        )

    def places_and_programs(self) -> str:
        """Every region and program row: the names lists show."""
        if self._shared is None:
            model = self.model
            rows = (*model.regions.values(), *model.programs.values())
            self._shared = _kept.get(("places-and-programs",), rows, lambda: self._rows(rows))
        return self._shared

    def _project_of_id(self, pid: str, digests: dict[str, _Digests]) -> str:
        found = digests.get(pid)
        return "None" if found is None else found.project

    def _text_of_id(self, pid: str) -> str:
        project = self.model.projects.get(pid)
        return "None" if project is None else self._digests(project).project_text

    def _rows(self, rows: Iterable[Entity]) -> str:
        # One part per group of rows: parts are length-prefixed in the key, so rows can
        # never slide from one group into the next (a village and its township once did).
        return _parts(map(self.model.row_text, rows))

    def _rows_of(self, row: Entity | None) -> str:
        return "None" if row is None else self.model.row_text(row)


# Every page kind of a build reads the same model: its rows are fingerprinted once.
fingerprints_of = per_model(Fingerprints)


@dataclass(frozen=True)
class _Digests:
    """A project's digests, with the rows (entities) they were made from."""

    project_text: str
    rows: tuple[Entity, ...]
    row_texts: tuple[str, ...]
    without_text: str
    figures: str
    project: str

    def made_from(self, rows: tuple[Entity, ...], text: Callable[[Entity], str]) -> bool:
        """Whether ``rows`` are the rows these digests were made from: the same objects
        (an unchanged table), else rows with the same texts (an edited one)."""
        if len(rows) != len(self.rows):
            return False
        return all(map(operator.is_, rows, self.rows)) or tuple(map(text, rows)) == self.row_texts


# Each project's last digests: a process that builds again (the live preview) reuses the
# entities of unchanged tables (``model.build_model``), so a project whose row has the
# same text and whose fund and benefit rows are the same objects has the same digests.
# With each, the objects it was last found for: the project, its fund rows and its benefit
# rows (tuples).
_last_digests: dict[str, tuple[tuple[object, ...], _Digests]] = {}


def _made_again(
    project: Project,
    own: str,
    rows: tuple[Entity, ...],
    texts: tuple[str, ...],
    last: _Digests | None,
) -> _Digests:
    without = _without_text(project)
    figures = _digest(_parts([without, *texts]))
    if last is not None:  # equal strings as the same objects: lists compare them by identity
        without = last.without_text if last.without_text == without else without
        figures = last.figures if last.figures == figures else figures
    project_digest = _digest(_parts([figures, own]))
    return _Digests(own, rows, texts, without, figures, project_digest)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


PROJECT_TEXT = frozenset({"title", "title_local", "description"})


def _without_text(project: Project) -> str:
    # Every field but the free text, each length-prefixed ("~" for none): the fields'
    # order and types are the dataclass's, so no two projects give one string.
    values = [v for k, v in vars(project).items() if k not in PROJECT_TEXT and k != "origin"]
    values += [project.origin.path, project.origin.row]
    return "".join(["~" if v is None else f"{len(t)}:{t}" for v in values for t in [str(v)]])


def _parts(texts: Iterable[str]) -> str:
    """Texts joined so that no two different lists give one string: each is length-prefixed."""
    return "".join([f"{len(text)}:{text}" for text in texts])


_BETWEEN = object()  # between the groups of objects a value is made from
_ID = attrgetter("id")
_PROJECT = attrgetter("project")  # a project's digest with its words
_WITHOUT_TEXT = attrgetter("without_text")
_FUNDED = attrgetter("project")  # the project a fund row names


_kept = Kept()


class _Listed(NamedTuple):
    """What a list of projects reads: the figures of all, the digests of those it shows."""

    figures: tuple[str, ...]
    shown: tuple[str, ...]

    def made_of(self) -> tuple[object, ...]:
        """The strings, in order, as objects to compare by identity."""
        return (*self.figures, _BETWEEN, *self.shown)

    def text(self) -> str:
        """The list's fingerprint."""
        return _parts(["\n".join(self.figures), "\n".join(self.shown)])


def _named_ids(funds: Iterable[Fund]) -> tuple[str, ...]:
    return tuple(sorted({f.project for f in funds}))


def _shown_ids(model: Model, projects: Sequence[Project]) -> tuple[str, ...]:
    return tuple(p.id for p in listing.shown_projects(model, projects))
