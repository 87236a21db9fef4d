"""Every user-visible string of generated pages, by language then message key.

Pages never hold wording of their own: they call ``t(key, lang, **values)``. A
Chinese edition is a second dictionary under ``"zh"`` with the same keys; a key
missing there falls back to English. Values are filled with ``str.format``.
Vocabulary labels (statuses, funding sources, indicators, levels, kinds) are
keys of the form ``status.completed`` and are read with ``label``.
"""

from __future__ import annotations

DEFAULT_LANG = "en"

_EN: dict[str, str] = {
    # Site-wide
    "site.title": "Poverty-alleviation funds and projects",
    "nav.home": "Home",
    "nav.projects": "Projects",
    "nav.regions": "Places",
    "nav.programs": "Programs",
    "nav.sources": "Funding sources",
    "nav.years": "Years",
    "nav.announcements": "Public notices",
    "nav.data": "Open data downloads",
    "nav.dictionary": "Data dictionary",
    "nav.how_to_read": "How to read this site",
    "nav.feedback": "Give feedback or make a complaint",
    "common.total": "Total",
    "common.none": "None recorded.",
    "common.yes": "yes",
    "common.no": "no",
    "common.illustrative": "Illustrative",
    "common.published": "Published figure",
    "common.illustrative_note": (
        "Rows marked Illustrative are a plausible split of a total the office published, "
        "not official project records. Only the published totals are official."
    ),
    "common.illustrative_project": (
        "This project is an illustrative split of a total the office published: its "
        "figures are plausible, not an official record. The published totals are official."
    ),
    "common.as_of": "Figures as of {date}, the date of the newest data.",
    "common.source": "Source",
    "common.sources_title": "Where these figures come from",
    "common.row": "Row",
    "common.download": "Download",
    "common.download_rows": "Download the {what} rows behind this page (CSV)",
    "common.more_projects": (
        "{shown} of {total} projects are listed here, largest allocation first; "
        "the full list is in the projects table and the downloads."
    ),
    "common.explore": "Explore",
    "common.rates_note": (
        "Rates such as income per head are not added up across projects: see each project."
    ),
    "common.share_of": "{share} of {what}",
    # Column headers and figure names
    "col.project": "Project",
    "col.id": "Id",
    "col.title": "Title",
    "col.program": "Program",
    "col.county": "County",
    "col.region": "Place",
    "col.level": "Level",
    "col.status": "Status",
    "col.year": "Year",
    "col.budget": "Budget (yuan)",
    "col.allocated": "Allocated (yuan)",
    "col.disbursed": "Disbursed (yuan)",
    "col.disbursed_share": "% disbursed",
    "col.projects": "Projects",
    "col.completed": "Completed",
    "col.households": "Households planned / achieved",
    "col.people": "People planned / achieved",
    "col.source": "Funding source",
    "col.indicator": "What is counted",
    "col.planned": "Planned",
    "col.achieved": "Achieved",
    "col.achieved_share": "% of plan",
    "col.unit": "Unit",
    "col.as_of": "As of",
    "col.note": "Note",
    "col.date": "Date",
    "col.notice_period": "Notice period",
    "col.notice_status": "Notice",
    "col.type": "Type",
    "col.amount": "Amount (yuan)",
    "col.document": "Document",
    "col.figure": "Figure",
    "col.value": "Value",
    "col.statement": "What the office stated",
    "col.stated": "Stated",
    "col.ledger": "The data adds up to",
    "col.difference": "Difference",
    "col.check": "Check",
    "col.passage": "Passage of the published document",
    "col.count": "Count",
    "fig.allocated": "Allocated",
    "fig.disbursed": "Disbursed",
    "fig.budget": "Declared budgets",
    "fig.projects": "Projects",
    "fig.completed": "Completed projects",
    "fig.households": "Households benefiting",
    "fig.people": "People benefiting",
    "fig.villages": "Villages covered",
    "fig.planned_achieved": "{planned} planned, {achieved} achieved ({share})",
    "fig.disbursed_of": "{amount}, {share} of the allocation",
    "fig.completed_of": "{count} of {total} ({share})",
    "fig.regions": "Places",
    "fig.programs": "Programs",
    "fig.level": "Level",
    "fig.part_of": "Part of",
    # Home
    "home.intro": (
        "This site publishes every poverty-alleviation project of the office: what it is, "
        "where, how much money was allocated and paid out from which source, and who "
        "benefits, planned and achieved. Every figure links to the rows it comes from."
    ),
    "home.packages": "Published data",
    "home.headline": "Headline figures",
    "home.by_source": "Money by funding source",
    "home.by_year": "Money by year",
    "home.by_year_text": (
        "The headline figures add up every year in the data, plans for coming years "
        "included. Each year's own figures are here and on its page."
    ),
    "home.charts": "Charts",
    "home.latest": "Latest public notices",
    "home.all_notices": "All public notices",
    "home.read": "How to read this site",
    "home.read_text": (
        "Amounts are in yuan; 1 万元 is 10,000 yuan. Allocated means assigned to a project, "
        "disbursed means actually paid out. Planned and achieved benefits are counted per "
        "project. Each page lists the published passage each figure comes from."
    ),
    "home.feedback": "Give feedback or make a complaint",
    "home.feedback_text": (
        "If a figure here is wrong, or a project did not deliver what is listed, tell the office. "
        "Each public notice also names where to send objections during its notice period."
    ),
    "home.stated": "Figures the office stated vs what its data adds up to",
    "home.stated_text": (
        "The office's own report states totals. Here each is set against the sum of the "
        "published rows it covers. A difference means the rows are incomplete or the "
        "statement and the rows disagree."
    ),
    "home.stated_count": "{differ} of {total} stated figures differ from what the rows add up to.",
    "home.stated_all": "Every stated figure",
    "check.match": "matches",
    "check.differs": "differs",
    # Projects
    "projects.title": "All projects",
    "projects.intro": (
        "{count} projects. Sort by any column or filter the table; without JavaScript the "
        "table is in project id order."
    ),
    "projects.caption": "Projects, with money allocated and disbursed",
    "project.what": "What it is",
    "project.facts": "Facts",
    "project.where": "Where",
    "project.program": "Program",
    "project.implementer": "Implementer",
    "project.status": "Status",
    "project.year": "Budget year",
    "project.planned_dates": "Planned",
    "project.actual_dates": "Actual",
    "project.budget": "Budget",
    "project.subsidy": "Subsidy standard",
    "project.subsidy_per": "{amount} per {unit}",
    "project.location": "Location",
    "project.money": "Money",
    "project.money_text": (
        "Allocated and disbursed by funding source, against a budget of {budget}."
    ),
    "project.fund_rows": "Every fund row",
    "project.benefits": "Benefits",
    "project.notices": "Public notices",
    "project.no_notices": "No public notice names this project.",
    "project.downloads": "Download the data",
    "project.row_source": "Project record",
    "project.sources_text": (
        "Each row above names, in its Source column, the passage of the office's "
        "published document it comes from. Passage 1 is the source of the project record."
    ),
    # Regions
    "regions.title": "Places",
    "regions.intro": "Money and benefits by place, from the city down to the village.",
    "region.children": "Places in {name}",
    "region.projects": "Projects in {name}",
    "region.no_projects": "No project is recorded here.",
    "region.chart": "Allocated and disbursed by place in {name}",
    # Programs
    "programs.title": "Programs",
    "programs.intro": "The kinds of work funded, with their money and benefits.",
    "program.projects": "Projects of this program",
    "program.benefits": "Benefits of this program",
    "program.chart": "Money of {name} by funding source",
    # Sources
    "sources.title": "Funding sources",
    "sources.intro": "Where the money comes from: each funding source and what it paid for.",
    "source.projects": "Projects funded",
    "source.by_program": "By program",
    "source.chart": "{name}: allocated by county",
    # Years
    "years.title": "Years",
    "years.intro": "Plan against outcome for each budget year.",
    "year.title": "Budget year {year}",
    "year.plan": "Plan and outcome",
    "year.by_status": "Projects by status",
    "year.benefits": "Benefits planned and achieved",
    "year.projects": "Projects of {year}",
    "year.chart": "Allocated and disbursed by program, {year}",
    # Announcements
    "notices.title": "Public notices",
    "notices.intro": (
        "Notices (公示) of projects and fund plans. During a notice's period anyone may "
        "object or give feedback. Open or closed is given as of {date}."
    ),
    "notice.date": "Published",
    "notice.period": "Notice period",
    "notice.status": "Status",
    "notice.no_end": "No end date stated",
    "notice.projects": "Projects named in this notice",
    "notice.contact": "Where to send feedback or objections",
    "notice.text": "Text of the notice",
    "notice.open": "open",
    "notice.closed": "closed",
    "notice.upcoming": "not yet open",
    # Charts
    "chart.data": "Data behind this chart",
    "chart.funds_by_source": "Allocated funds by source",
    "chart.funds_by_source.desc": (
        "Horizontal bar chart of the allocated amount of each funding source."
    ),
    "chart.funds_by_county": "Allocated funds by county",
    "chart.funds_by_county.desc": "Horizontal bar chart of the allocated amount of each county.",
    "chart.alloc_disb": "Allocated and disbursed",
    "chart.alloc_disb.desc": (
        "Grouped bar chart: for each item, the allocated amount and the disbursed amount."
    ),
    "chart.benefits": "Benefits achieved as a share of plan",
    "chart.benefits.desc": (
        "Bar chart of each benefit's achieved value as a percentage of its planned value; "
        "a line marks 100%."
    ),
    "chart.over_time": "Investment by year",
    "chart.over_time.desc": (
        "Grouped bar chart: allocated and disbursed amounts for each budget year."
    ),
    "chart.amount_axis": "Yuan",
    "chart.share_axis": "Achieved, % of plan",
    "chart.year_axis": "Budget year",
    "chart.series": "Series",
    "chart.summary.top": "{title}: {top} is largest with {amount} of {total} in all.",
    "chart.summary.alloc_disb": (
        "{title}: {disbursed} of {allocated} allocated has been disbursed ({share})."
    ),
    "chart.summary.benefits": "{title}: {detail}.",
    "chart.summary.empty": "{title}: no data.",
    "chart.benefit_label": "{achieved} of {planned} {unit}",
    # Status
    "status.planned": "Planned",
    "status.in-progress": "In progress",
    "status.completed": "Completed",
    "status.cancelled": "Cancelled",
    "status.suspended": "Suspended",
    # Funding sources
    "source.central": "Central government funds",
    "source.provincial": "Provincial funds",
    "source.municipal": "Municipal funds",
    "source.county": "County funds",
    "source.integrated": "Integrated departmental funds",
    "source.loan": "Poverty-alleviation loans",
    "source.microcredit": "Microcredit",
    "source.donation": "Donations",
    "source.social": "Social and linked-unit assistance",
    "source.self-raised": "Self-raised by beneficiaries",
    "source_desc.central": "Financial poverty-alleviation funds from the central government.",
    "source_desc.provincial": "Financial poverty-alleviation funds from the province.",
    "source_desc.municipal": "Financial funds of the city.",
    "source_desc.county": "Financial funds raised by districts and counties.",
    "source_desc.integrated": (
        "Funds of agriculture-related departments integrated into the projects."
    ),
    "source_desc.loan": "Poverty-alleviation credit: loans to enterprises and households.",
    "source_desc.microcredit": "Small loans to poor households.",
    "source_desc.donation": "Money donated by units and individuals.",
    "source_desc.social": "Assistance of linked units and society.",
    "source_desc.self-raised": (
        "The beneficiaries' own contribution, including their labour valued in yuan."
    ),
    # Transaction types
    "transaction.allocation": "Allocation",
    "transaction.disbursement": "Disbursement",
    # Indicators
    "indicator.households": "Households benefiting",
    "indicator.people": "People benefiting",
    "indicator.villages": "Villages covered",
    "indicator.trainees": "People trained",
    "indicator.workers-transferred": "Workers transferred to jobs",
    "indicator.road-km": "Roads built or repaired",
    "indicator.bridges": "Bridges and culverts",
    "indicator.power-line-km": "Power lines",
    "indicator.transformers": "Transformers",
    "indicator.water-pipe-km": "Drinking-water pipes",
    "indicator.water-tanks": "Water tanks",
    "indicator.water-tank-m3": "Water tank volume",
    "indicator.biogas-digesters": "Biogas digesters",
    "indicator.stoves": "Firewood-saving stoves",
    "indicator.toilets": "Toilets",
    "indicator.houses": "Houses",
    "indicator.housing-m2": "Housing floor area",
    "indicator.farmland-mu": "Basic farmland",
    "indicator.irrigation-mu": "Irrigated area",
    "indicator.orchard-mu": "Economic forest and fruit",
    "indicator.crop-mu": "Special crops",
    "indicator.livestock-head": "Livestock",
    "indicator.enterprises": "Enterprises supported",
    "indicator.income-per-head": "Income per head",
    "indicator.income-total": "Total income",
    "indicator.grain-kg": "Grain",
    "indicator.other": "Other",
    # Region levels
    "level.province": "Province",
    "level.city": "City",
    "level.county": "County",
    "level.township": "Township",
    "level.village": "Village",
    # Organization kinds
    "kind.government": "Government office",
    "kind.implementer": "Implementing unit",
    "kind.funder": "Funder",
    "kind.enterprise": "Enterprise",
    "kind.cooperative": "Cooperative",
    "kind.financial": "Financial institution",
    "kind.other": "Other",
    # Reported-total measures and bases
    "measure.amount": "Amount",
    "measure.projects": "Projects",
    "basis.allocation": "allocated",
    "basis.disbursement": "disbursed",
    "basis.planned": "planned",
    "basis.achieved": "achieved",
    "basis.count": "count",
}

WORDS: dict[str, dict[str, str]] = {"en": _EN}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message ``key`` in ``lang`` (English when missing), filled with ``values``."""
    template = WORDS.get(lang, {}).get(key) or WORDS[DEFAULT_LANG][key]
    return template.format(**values) if values else template


def label(vocabulary: str, code: str, lang: str = DEFAULT_LANG) -> str:
    """The label of a code of a vocabulary (``status``, ``source``...), else the code."""
    key = f"{vocabulary}.{code}"
    found = WORDS.get(lang, {}).get(key) or WORDS[DEFAULT_LANG].get(key)
    return found if found is not None else code
