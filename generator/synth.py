"""Synthetic province: a deterministic, valid Data Package for scale tests.

``sunshine synth --projects N --seed S OUT_DIR`` writes one Data Package folder
(datapackage.json and eight CSV files) describing invented poverty-alleviation
projects in Yunnan (code 53). City codes and names are the real ones; counties,
townships, villages, organizations and every figure are invented. The rows are
consistent by construction: budgets equal allocations, disbursements never exceed
allocations, completed projects report achieved values and every reported total
equals the sum it states. The same (projects, seed) gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator.model import RESOURCES, SCHEMA_DIR, SOURCE_TYPES

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
CREATED = "2024-12-31T00:00:00Z"
AS_OF = date(2020, 12, 31)
YEARS = (2018, 2019, 2020)
STATUSES = ("completed", "in-progress", "planned", "cancelled")
STATUS_WEIGHTS = (60, 30, 7, 3)
SOURCE_LABELS = {
    "central": ("Central", "中央"),
    "provincial": ("Provincial", "省级"),
    "municipal": ("Municipal", "州市级"),
    "county": ("County", "县级"),
    "integrated": ("Integrated", "整合"),
    "loan": ("Loan", "扶贫贷款"),
    "microcredit": ("Microcredit", "小额信贷"),
    "donation": ("Donated", "捐赠"),
    "social": ("Social assistance", "社会帮扶"),
    "self-raised": ("Self-raised", "群众自筹"),
}
DOCUMENT_PREFIX = {
    "central": "财农",
    "provincial": "云财农",
    "municipal": "市财农",
    "county": "县财农",
    "integrated": "县整合办",
    "loan": "扶贫贷款合同",
    "microcredit": "小额信贷合同",
    "donation": "捐赠协议",
    "social": "挂钩帮扶协议",
    "self-raised": "群众自筹登记",
}

# (code, Chinese name, English name, latitude, longitude): the real cities of Yunnan.
CITIES = (
    ("5301", "昆明市", "Kunming City", 25.04, 102.71),
    ("5303", "曲靖市", "Qujing City", 25.49, 103.80),
    ("5304", "玉溪市", "Yuxi City", 24.35, 102.54),
    ("5305", "保山市", "Baoshan City", 25.11, 99.16),
    ("5306", "昭通市", "Zhaotong City", 27.34, 103.72),
    ("5307", "丽江市", "Lijiang City", 26.86, 100.23),
    ("5308", "普洱市", "Pu'er City", 22.78, 100.97),
    ("5309", "临沧市", "Lincang City", 23.88, 100.09),
    ("5323", "楚雄彝族自治州", "Chuxiong Yi Autonomous Prefecture", 25.03, 101.55),
    ("5325", "红河哈尼族彝族自治州", "Honghe Hani and Yi Autonomous Prefecture", 23.36, 103.37),
    ("5326", "文山壮族苗族自治州", "Wenshan Zhuang and Miao Autonomous Prefecture", 23.40, 104.24),
    ("5328", "西双版纳傣族自治州", "Xishuangbanna Dai Autonomous Prefecture", 22.01, 100.80),
    ("5329", "大理白族自治州", "Dali Bai Autonomous Prefecture", 25.61, 100.27),
    ("5331", "德宏傣族景颇族自治州", "Dehong Dai and Jingpo Autonomous Prefecture", 24.43, 98.58),
    ("5333", "怒江傈僳族自治州", "Nujiang Lisu Autonomous Prefecture", 25.82, 98.86),
    ("5334", "迪庆藏族自治州", "Diqing Tibetan Autonomous Prefecture", 27.82, 99.71),
)
FIRST_SYLLABLES = (
    ("东", "Dong"), ("西", "Xi"), ("南", "Nan"), ("北", "Bei"), ("大", "Da"), ("小", "Xiao"),
    ("上", "Shang"), ("下", "Xia"), ("中", "Zhong"), ("新", "Xin"), ("老", "Lao"), ("高", "Gao"),
    ("石", "Shi"), ("龙", "Long"), ("凤", "Feng"), ("金", "Jin"), ("银", "Yin"), ("青", "Qing"),
    ("白", "Bai"), ("黑", "Hei"), ("红", "Hong"), ("松", "Song"), ("竹", "Zhu"), ("梅", "Mei"),
    ("桃", "Tao"), ("马", "Ma"), ("鹤", "He"), ("云", "Yun"), ("长", "Chang"), ("平", "Ping"),
    ("安", "An"), ("永", "Yong"), ("太", "Tai"), ("三", "San"), ("五", "Wu"),
)  # fmt: skip
SECOND_SYLLABLES = (
    ("山", "shan"), ("河", "he"), ("水", "shui"), ("坪", "ping"), ("坝", "ba"), ("沟", "gou"),
    ("寨", "zhai"), ("田", "tian"), ("林", "lin"), ("溪", "xi"), ("岭", "ling"), ("湾", "wan"),
    ("营", "ying"), ("街", "jie"), ("塘", "tang"), ("箐", "qing"), ("哨", "shao"), ("邑", "yi"),
    ("庄", "zhuang"), ("桥", "qiao"), ("关", "guan"), ("川", "chuan"), ("源", "yuan"),
    ("峰", "feng"), ("岩", "yan"), ("窝", "wo"), ("甸", "dian"), ("冲", "chong"), ("场", "chang"),
)  # fmt: skip
# (Chinese, English) place stems; no second syllable starts with a vowel, so no apostrophes.
STEMS = tuple((a + b, pa + pb) for a, pa in FIRST_SYLLABLES for b, pb in SECOND_SYLLABLES)
PRODUCTS = (
    ("茶叶", "Tea"), ("核桃", "Walnut"), ("咖啡", "Coffee"), ("花椒", "Sichuan Pepper"),
    ("魔芋", "Konjac"), ("食用菌", "Mushroom"), ("肉牛", "Beef Cattle"), ("生猪", "Pig"),
    ("中药材", "Herbal Medicine"), ("水果", "Fruit"), ("蔬菜", "Vegetable"), ("花卉", "Flower"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Output:
    """A benefit indicator a program delivers, drawn from ``low``..``high``.

    ``tenths`` values are stored times ten; ``per_100`` ranges are per 100 households,
    so that houses, toilets or trainees stay in proportion to the households served.
    """

    indicator: str
    unit: str
    label: str
    low: int
    high: int
    tenths: bool = False
    per_100: bool = False


HOUSEHOLDS = Output("households", "households", "Households benefiting", 0, 0)
PEOPLE = Output("people", "people", "People benefiting", 0, 0)
ROAD = Output("road-km", "km", "Village road built or hardened", 10, 150, True)
PIPE = Output("water-pipe-km", "km", "Drinking-water pipe laid", 10, 200, True)
TANKS = Output("water-tanks", "tanks", "Water storage tanks built", 2, 40)
TOILETS = Output("toilets", "toilets", "Sanitary toilets built", 50, 100, per_100=True)
BIOGAS = Output("biogas-digesters", "digesters", "Biogas digesters built", 20, 80, per_100=True)
TRAINEES = Output("trainees", "people", "People trained", 100, 180, per_100=True)
WORKERS = Output("workers-transferred", "people", "Workers placed in jobs", 50, 120, per_100=True)
ORCHARD = Output("orchard-mu", "mu", "Orchards and tea gardens planted", 50, 2000)
LIVESTOCK = Output("livestock-head", "head", "Livestock supplied", 100, 500, per_100=True)
CROPS = Output("crop-mu", "mu", "Cash crops planted", 50, 3000)
HOUSES = Output("houses", "houses", "Houses built or rebuilt", 80, 100, per_100=True)
HOUSING_M2 = Output("housing-m2", "m²", "Floor area of houses", 7000, 11000, per_100=True)
BRIDGES = Output("bridges", "bridges", "Bridges built", 1, 6)
IRRIGATION = Output("irrigation-mu", "mu", "Farmland irrigated", 100, 4000)
POWER = Output("power-line-km", "km", "Power lines built", 10, 120, True)
VILLAGES = Output("villages", "villages", "Villages covered", 3, 15)
STOVES = Output("stoves", "stoves", "Energy-saving stoves supplied", 60, 100, per_100=True)


@dataclass(frozen=True, slots=True)
class Program:
    """One kind of work, with the ranges its projects are drawn from."""

    id: str
    name: str
    name_local: str
    title: str
    title_local: str
    village_level: bool
    weight: int
    budget: tuple[int, int]
    households: tuple[int, int]
    outputs: tuple[Output, ...]
    extra_sources: tuple[str, ...]
    subsidy: tuple[str, int, int] | None
    description: str


PROGRAMS = (
    Program(
        "whole-village", "Whole-village promotion", "整村推进", "Whole-village promotion",
        "整村推进项目", True, 25, (400_000, 2_000_000), (50, 300),
        (ROAD, PIPE, TANKS, TOILETS, BIOGAS), ("integrated", "self-raised", "social"), None,
        "Roads, drinking water, sanitation and income projects planned together for one "
        "poor village, with the villagers choosing and overseeing the work.",
    ),
    Program(
        "labour-training", "Labour transfer training", "劳动力转移培训", "Labour transfer training",
        "劳动力转移培训项目", False, 10, (100_000, 600_000), (30, 250), (TRAINEES, WORKERS),
        ("integrated", "social"), ("trainee", 800, 2000),
        "Vocational and skills training for rural workers, and help finding jobs in towns.",
    ),
    Program(
        "industry", "Industry and micro-credit", "产业扶贫", "Industry development",
        "产业扶贫项目", True, 20, (200_000, 1_500_000), (30, 300), (ORCHARD, LIVESTOCK, CROPS),
        ("microcredit", "loan", "self-raised"), None,
        "Cash crops, livestock and processing run with cooperatives and leading "
        "enterprises, with small loans to poor households.",
    ),
    Program(
        "relocation", "Relocation", "易地扶贫搬迁", "Relocation from inhospitable areas",
        "易地扶贫搬迁项目", True, 8, (1_000_000, 6_000_000), (20, 150), (HOUSES, HOUSING_M2),
        ("loan", "self-raised"), ("household", 40_000, 80_000),
        "Moving households from places where a living cannot be made to new settlements "
        "with housing, services and work.",
    ),
    Program(
        "housing", "Housing safety", "安居工程", "Housing safety",
        "安居工程项目", True, 15, (300_000, 1_500_000), (10, 80), (HOUSES, HOUSING_M2, TOILETS),
        ("self-raised", "social"), ("household", 10_000, 30_000),
        "Rebuilding or reinforcing dilapidated houses of poor rural households.",
    ),
    Program(
        "old-revolutionary-areas", "Old revolutionary areas", "革命老区",
        "Old revolutionary area development", "革命老区建设项目", True, 8,
        (300_000, 1_500_000), (50, 300), (ROAD, BRIDGES, IRRIGATION, POWER),
        ("integrated", "donation"), None,
        "Infrastructure for villages of the old revolutionary base areas.",
    ),
    Program(
        "whole-township", "Whole-township promotion", "整乡推进", "Whole-township promotion",
        "整乡推进项目", False, 4, (3_000_000, 10_000_000), (300, 2000),
        (VILLAGES, ROAD, IRRIGATION, PIPE), ("integrated", "loan"), None,
        "A pilot that plans roads, water, housing and industry for a whole township at once.",
    ),
    Program(
        "social-assistance", "Social assistance", "社会扶贫", "Social assistance",
        "社会扶贫项目", True, 10, (50_000, 500_000), (20, 150), (LIVESTOCK, STOVES, CROPS),
        ("social", "donation"), None,
        "Help from paired government units, enterprises and donors for poor villages.",
    ),
)  # fmt: skip
PROGRAM_WEIGHTS = tuple(p.weight for p in PROGRAMS)


@dataclass(frozen=True, slots=True)
class Place:
    """A region: province, city, county, township or village."""

    code: str
    name: str
    name_local: str
    level: str
    parent: str
    lat: float
    lon: float


@dataclass(slots=True)
class Geography:
    """Regions down to townships, and candidate villages of every township."""

    places: list[Place]
    counties: list[Place]
    townships: list[Place]
    villages: dict[str, list[Place]]
    by_code: dict[str, Place]

    def add(self, place: Place) -> None:
        """Record a province, city, county or township."""
        self.places.append(place)
        self.by_code[place.code] = place


@dataclass(frozen=True, slots=True)
class Organization:
    """An office, enterprise, cooperative or bank."""

    id: str
    name: str
    name_local: str
    kind: str
    region: str
    description: str


@dataclass(slots=True)
class Registry:
    """Organizations, with the ones funds and projects point to."""

    rows: list[Organization]
    enterprises: dict[str, list[str]]
    cooperatives: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Fund:
    """One funding source of a project: its allocation and what was paid out of it."""

    source_type: str
    funder: str
    allocated: int
    allocated_on: date
    document: str
    disbursed: int | None
    disbursed_on: date | None


@dataclass(frozen=True, slots=True)
class Benefit:
    """One planned (and maybe achieved) result of a project."""

    output: Output
    planned: int
    achieved: int | None
    as_of: date | None


@dataclass(frozen=True, slots=True)
class Schedule:
    """Planned and actual dates of a project."""

    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None


@dataclass(frozen=True, slots=True)
class Project:
    """One generated project with its fund and benefit rows."""

    id: str
    program: Program
    place: Place
    county: Place
    implementer: str
    status: str
    year: int
    schedule: Schedule
    subsidy: int | None
    funds: tuple[Fund, ...]
    benefits: tuple[Benefit, ...]

    @property
    def budget(self) -> int:
        """The declared budget: exactly the sum of the allocations."""
        return sum(f.allocated for f in self.funds)


Row = dict[str, str]


# --- public entry points -------------------------------------------------------------


def write_synthetic_package(out_dir: Path, projects: int, seed: int) -> Path:
    """Write a synthetic province of ``projects`` projects to ``out_dir``.

    Returns the path of the datapackage.json. Same arguments, same bytes.
    """
    return _write(out_dir, projects, seed)[0]


def add_synth_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of ``sunshine synth``."""
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="folder to write into")
    parser.add_argument(
        "--projects", type=_positive, default=1000, help="number of projects (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")


def run_synth(args: argparse.Namespace) -> int:
    """Run ``sunshine synth``: write the package, print where and how many rows."""
    path, counts = _write(Path(args.out_dir), args.projects, args.seed)
    print(f"Wrote synthetic package {path}")
    for name in RESOURCES:
        print(f"  {name + '.csv':<20} {counts[name]:>9,} rows")
    print(f"  {'total':<20} {sum(counts.values()):>9,} rows")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _write(out_dir: Path, projects: int, seed: int) -> tuple[Path, dict[str, int]]:
    if projects < 1:
        raise ValueError("projects must be at least 1")
    tables = build_tables(projects, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    schemas = {name: load_schema(name) for name in RESOURCES}
    for name in RESOURCES:
        fields = [f["name"] for f in schemas[name]["fields"]]
        _write_csv(out_dir / f"{name}.csv", fields, tables[name])
    path = out_dir / "datapackage.json"
    descriptor = package_descriptor(projects, seed, schemas)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path, {name: len(tables[name]) for name in RESOURCES}


def load_schema(name: str) -> dict[str, Any]:
    """The canonical Table Schema of a resource, as shipped with the package."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.json").read_text("utf-8"))
    return schema


def _write_csv(path: Path, fields: Sequence[str], rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([row.get(name, "") for name in fields] for row in rows)


def package_descriptor(projects: int, seed: int, schemas: dict[str, Any]) -> dict[str, Any]:
    """The datapackage.json of a synthetic package, embedding the canonical schemas."""
    return {
        "$schema": PROFILE,
        "name": f"synthetic-{projects}-{seed}",
        "title": f"Synthetic province: {projects:,} projects (seed {seed})",
        "description": (
            "Invented poverty-alleviation projects in Yunnan, generated for scale tests. "
            "City codes and names are real; everything else is made up. Not real data."
        ),
        "version": "1.0.0",
        "created": CREATED,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [_resource(name, schemas[name]) for name in RESOURCES],
    }


def _resource(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}.csv",
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def build_tables(projects: int, seed: int) -> dict[str, list[Row]]:
    """Generate every table's rows (values as CSV text), keyed by resource name."""
    rng = random.Random(seed)
    # Geography and organizations come first, so they depend on the seed only.
    geo = _geography(rng)
    registry = _organizations(rng, geo)
    items = _projects(rng, geo, registry, projects)
    source = f"Synthetic record (seed {seed}); not an official record."
    return {
        "regions": [_region_row(p, source) for p in _used_places(geo, items)],
        "organizations": [_organization_row(o, source) for o in registry.rows],
        "programs": [_program_row(p, source) for p in PROGRAMS],
        "projects": [_project_row(p, source) for p in items],
        "funds": [row for p in items for row in _fund_rows(p, source)],
        "benefits": [row for p in items for row in _benefit_rows(p, source)],
        "announcements": _announcements(rng, items, geo, source),
        "reported_totals": _reported_totals(items, geo, source),
    }


# --- geography -------------------------------------------------------------------------


def _geography(rng: random.Random) -> Geography:
    province = Place("53", "Yunnan Province", "云南省", "province", "", 25.0, 101.5)
    geo = Geography([], [], [], {}, {})
    geo.add(province)
    county_stems = rng.sample(STEMS, 10 * len(CITIES))
    for code, local, name, lat, lon in CITIES:
        city = Place(code, name, local, "city", "53", lat, lon)
        geo.add(city)
        for index in range(rng.randint(6, 10)):
            _add_county(rng, geo, city, index, county_stems.pop())
    return geo


def _county_kind(city: Place, index: int) -> tuple[str, str, str]:
    """Code suffix, Chinese and English level word of a city's ``index``-th county."""
    if index > 0:
        return f"{20 + index}", "县", "County"
    if city.code >= "5323":
        return "01", "市", "City"
    return "02", "区", "District"


def _add_county(
    rng: random.Random, geo: Geography, city: Place, index: int, stem: tuple[str, str]
) -> None:
    suffix, word_local, word = _county_kind(city, index)
    county = Place(
        city.code + suffix,
        f"{stem[1]} {word}",
        stem[0] + word_local,
        "county",
        city.code,
        *_near(rng, city, 0.8),
    )
    geo.add(county)
    geo.counties.append(county)
    counters = {"街道": 0, "镇": 100, "乡": 200}
    for index, stem in enumerate(rng.sample(STEMS, rng.randint(8, 12))):
        _add_township(rng, geo, county, _township_kind(rng, word, index), counters, stem)


def _township_kind(rng: random.Random, county_word: str, index: int) -> str:
    if county_word == "District" and index < 2:
        return "街道"
    return "镇" if rng.random() < 0.45 else "乡"


TOWNSHIP_WORDS = {"街道": "Subdistrict", "镇": "Town", "乡": "Township"}


def _add_township(
    rng: random.Random,
    geo: Geography,
    county: Place,
    kind: str,
    counters: dict[str, int],
    stem: tuple[str, str],
) -> None:
    counters[kind] += 1
    code = f"{county.code}{counters[kind]:03d}"
    name = f"{stem[1]} {TOWNSHIP_WORDS[kind]}"
    township = Place(code, name, stem[0] + kind, "township", county.code, *_near(rng, county, 0.3))
    geo.add(township)
    geo.townships.append(township)
    geo.villages[code] = [
        Place(f"{code}-v{n:02d}", f"{s[1]} Village", s[0] + "村", "village", code,
              *_near(rng, township, 0.1))
        for n, s in enumerate(rng.sample(STEMS, rng.randint(6, 12)), start=1)
    ]  # fmt: skip


def _near(rng: random.Random, place: Place, spread: float) -> tuple[float, float]:
    lat = place.lat + rng.uniform(-spread, spread)
    lon = place.lon + rng.uniform(-spread, spread)
    return round(lat, 4), round(lon, 4)


def _used_places(geo: Geography, items: Sequence[Project]) -> list[Place]:
    """Regions down to townships, plus the villages that have projects, in code order."""
    villages = {p.place.code: p.place for p in items if p.place.level == "village"}
    return sorted([*geo.places, *villages.values()], key=lambda p: p.code)


def _region_row(place: Place, source: str) -> Row:
    return {
        "code": place.code,
        "name": place.name,
        "name_local": place.name_local,
        "level": place.level,
        "parent": place.parent,
        "source": source,
        "illustrative": "false",
    }


# --- organizations ---------------------------------------------------------------------


def _organizations(rng: random.Random, geo: Geography) -> Registry:
    registry = Registry(_top_organizations(), {}, {})
    for place in geo.places:
        if place.level == "city":
            _add_city_organizations(rng, registry, place)
        elif place.level == "county":
            _add_county_organizations(rng, registry, place)
    return registry


def _top_organizations() -> list[Organization]:
    return [
        Organization(
            "cpad", "State Council Leading Group Office of Poverty Alleviation and Development",
            "国务院扶贫开发领导小组办公室", "funder", "",
            "Allocates central poverty-alleviation funds to the provinces.",
        ),
        Organization(
            "pao-53", "Yunnan Provincial Poverty Alleviation Office", "云南省扶贫开发办公室",
            "government", "53", "Passes central and provincial funds to cities and counties.",
        ),
    ]  # fmt: skip


def _office(place: Place) -> Organization:
    return Organization(
        f"pao-{place.code}",
        f"{place.name} Poverty Alleviation Office",
        f"{place.name_local}扶贫开发办公室",
        "government",
        place.code,
        "Plans, funds and oversees poverty-alleviation projects, and publishes notices.",
    )


def _add_city_organizations(rng: random.Random, registry: Registry, city: Place) -> None:
    registry.rows.append(_office(city))
    short = city.name.split(" ")[0]
    registry.rows.append(
        Organization(
            f"rcc-{city.code}", f"{short} Rural Credit Cooperative Union",
            f"{city.name_local}农村信用合作联社", "financial", city.code,
            "Lends poverty-alleviation loans and microcredit to households and enterprises.",
        )
    )  # fmt: skip
    ids = registry.enterprises.setdefault(city.code, [])
    for n in range(1, rng.randint(1, 3) + 1):
        stem, (product_local, product) = rng.choice(STEMS), rng.choice(PRODUCTS)
        ids.append(f"ent-{city.code}-{n:02d}")
        registry.rows.append(
            Organization(
                ids[-1], f"Yunnan {stem[1]} {product} Co., Ltd.",
                f"云南{stem[0]}{product_local}有限公司", "enterprise", city.code,
                "Leading enterprise: buys from poor households and funds social assistance.",
            )
        )  # fmt: skip


def _add_county_organizations(rng: random.Random, registry: Registry, county: Place) -> None:
    registry.rows.append(_office(county))
    ids = registry.cooperatives.setdefault(county.code, [])
    for n in range(1, rng.randint(0, 2) + 1):
        stem, (product_local, product) = rng.choice(STEMS), rng.choice(PRODUCTS)
        ids.append(f"coop-{county.code}-{n:02d}")
        registry.rows.append(
            Organization(
                ids[-1], f"{stem[1]} {product} Cooperative",
                f"{county.name_local}{stem[0]}{product_local}专业合作社", "cooperative",
                county.code, "Farmers' cooperative that runs industry projects with members.",
            )
        )  # fmt: skip


def _organization_row(org: Organization, source: str) -> Row:
    return {
        "id": org.id,
        "name": org.name,
        "name_local": org.name_local,
        "kind": org.kind,
        "region": org.region,
        "description": org.description,
        "source": source,
        "illustrative": "false",
    }


def _program_row(program: Program, source: str) -> Row:
    return {
        "id": program.id,
        "name": program.name,
        "name_local": program.name_local,
        "description": program.description,
        "source": source,
    }


# --- projects --------------------------------------------------------------------------


def _projects(rng: random.Random, geo: Geography, registry: Registry, count: int) -> list[Project]:
    picks = []
    for draw in range(count):
        program = rng.choices(PROGRAMS, cum_weights=_CUMULATIVE_WEIGHTS)[0]
        township = rng.choice(geo.townships)
        place = rng.choice(geo.villages[township.code]) if program.village_level else township
        picks.append((place.code, draw, program, place))
    # Sorted by place so that identifiers follow the region tree.
    picks.sort(key=lambda pick: (pick[0], pick[1]))
    return [
        _project(rng, seq, program, place, geo, registry)
        for seq, (_, _, program, place) in enumerate(picks, start=1)
    ]


_CUMULATIVE_WEIGHTS = [sum(PROGRAM_WEIGHTS[: i + 1]) for i in range(len(PROGRAMS))]


def _project(
    rng: random.Random,
    seq: int,
    program: Program,
    place: Place,
    geo: Geography,
    registry: Registry,
) -> Project:
    county = geo.by_code[place.code[:6]]
    status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
    year = 2020 if status == "planned" else rng.choice(YEARS)
    schedule = _schedule(rng, status, year)
    subsidy = None
    if program.subsidy:
        subsidy = rng.randint(program.subsidy[1] // 100, program.subsidy[2] // 100) * 100
    return Project(
        id=f"p-{county.code}-{seq:06d}",
        program=program,
        place=place,
        county=county,
        implementer=_implementer(rng, program, county, registry),
        status=status,
        year=year,
        schedule=schedule,
        subsidy=subsidy,
        funds=_funds(rng, program, status, year, county, schedule, registry),
        benefits=_benefits(rng, program, status, schedule.actual_end),
    )


def _implementer(rng: random.Random, program: Program, county: Place, registry: Registry) -> str:
    if program.id == "industry" and rng.random() < 0.5:
        options = registry.cooperatives[county.code] or registry.enterprises[county.code[:4]]
        return rng.choice(options)
    return f"pao-{county.code}"


def _day(rng: random.Random, first: date, span: int) -> date:
    return first + timedelta(days=rng.randint(0, span))


def _schedule(rng: random.Random, status: str, year: int) -> Schedule:
    if status == "planned":
        start = _day(rng, date(year + 1, 1, 10), 100)
    else:
        start = _day(rng, date(year, 3, 1), 200)
    end = _day(rng, start + timedelta(days=90), 210)
    if status in ("planned", "cancelled"):
        return Schedule(start, end, None, None)
    actual_start = _day(rng, start, 30)
    if status == "in-progress":
        return Schedule(start, end, actual_start, None)
    actual_end = min(_day(rng, actual_start + timedelta(days=80), 250), AS_OF)
    return Schedule(start, end, actual_start, actual_end)


def _sources(rng: random.Random, program: Program) -> list[str]:
    chosen = ["central"]
    for source, chance in (("provincial", 0.8), ("municipal", 0.3), ("county", 0.6)):
        if rng.random() < chance:
            chosen.append(source)
    chosen.append(rng.choice(program.extra_sources))
    if rng.random() < 0.3:
        chosen.append(rng.choice(SOURCE_TYPES[4:]))
    return [s for s in SOURCE_TYPES if s in chosen]


def _split(rng: random.Random, total: int, sources: Sequence[str]) -> list[int]:
    """Split ``total`` over the sources in whole hundreds; the parts add up exactly."""
    weights = [rng.uniform(3, 6) if s == "central" else rng.uniform(0.6, 3) for s in sources]
    scale = total / sum(weights)
    parts = [int(w * scale) // 100 * 100 for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def _funds(
    rng: random.Random,
    program: Program,
    status: str,
    year: int,
    county: Place,
    schedule: Schedule,
    registry: Registry,
) -> tuple[Fund, ...]:
    sources = _sources(rng, program)
    total = rng.randint(program.budget[0] // 1000, program.budget[1] // 1000) * 1000
    paid_until = schedule.actual_end or AS_OF
    funds = []
    for source, amount in zip(sources, _split(rng, total, sources), strict=True):
        disbursed = _disbursed(rng, status, amount)
        paid_on = None
        if disbursed is not None and schedule.actual_start is not None:
            paid_on = _day(rng, schedule.actual_start, (paid_until - schedule.actual_start).days)
        funds.append(
            Fund(source, _funder(rng, source, county, registry), amount,
                 schedule.planned_start - timedelta(days=rng.randint(20, 60)),
                 f"{DOCUMENT_PREFIX[source]}〔{year}〕{rng.randint(1, 300)}号", disbursed, paid_on)
        )  # fmt: skip
    return tuple(funds)


def _disbursed(rng: random.Random, status: str, allocated: int) -> int | None:
    if status in ("planned", "cancelled"):
        return None
    if status == "completed" and rng.random() < 0.85:
        return allocated
    low = 0.9 if status == "completed" else 0.2
    return int(allocated * rng.uniform(low, 0.99)) // 100 * 100


def _funder(rng: random.Random, source: str, county: Place, registry: Registry) -> str:
    fixed = {
        "central": "cpad",
        "provincial": "pao-53",
        "municipal": f"pao-{county.code[:4]}",
        "county": f"pao-{county.code}",
        "loan": f"rcc-{county.code[:4]}",
        "microcredit": f"rcc-{county.code[:4]}",
    }
    if source in fixed:
        return fixed[source]
    if source in ("donation", "social"):
        return rng.choice(registry.enterprises[county.code[:4]])
    return ""


def _benefits(
    rng: random.Random, program: Program, status: str, finished: date | None
) -> tuple[Benefit, ...]:
    households = rng.randint(*program.households)
    people = int(households * rng.uniform(3.2, 4.8))
    planned = [(HOUSEHOLDS, households), (PEOPLE, people)]
    planned += [(o, _output_value(rng, o, households)) for o in rng.sample(program.outputs, 2)]
    done = status == "completed"
    return tuple(
        Benefit(o, value, max(1, int(value * rng.uniform(0.9, 1.08))) if done else None, finished)
        for o, value in planned
    )


def _output_value(rng: random.Random, output: Output, households: int) -> int:
    value = rng.randint(output.low, output.high)
    return max(1, value * households // 100) if output.per_100 else value


def _project_row(project: Project, source: str) -> Row:
    program, place, county, s = project.program, project.place, project.county, project.schedule
    return {
        "id": project.id,
        "title": f"{program.title}, {place.name}, {county.name}, {project.year}",
        "title_local": (
            f"{project.year}年{county.name_local}{place.name_local}{program.title_local}"
        ),
        "program": program.id,
        "region": place.code,
        "implementer": project.implementer,
        "status": project.status,
        "year": str(project.year),
        "planned_start": s.planned_start.isoformat(),
        "planned_end": s.planned_end.isoformat(),
        "actual_start": _iso(s.actual_start),
        "actual_end": _iso(s.actual_end),
        "budget": str(project.budget),
        "description": _description(project),
        "subsidy_standard": "" if project.subsidy is None else str(project.subsidy),
        "subsidy_unit": program.subsidy[0] if program.subsidy else "",
        "latitude": f"{place.lat:.4f}",
        "longitude": f"{place.lon:.4f}",
        "source": source,
        "illustrative": "false",
    }


def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _description(project: Project) -> str:
    households = project.benefits[0].planned
    outputs = "; ".join(
        f"{b.output.label.lower()}: {_number(b.planned, b.output.tenths)} {b.output.unit}"
        for b in project.benefits[2:]
    )
    return (
        f"{project.program.name} in {project.place.name}, {project.county.name}. "
        f"Planned for {households} households: {outputs}."
    )


def _number(value: int, tenths: bool) -> str:
    return f"{value // 10}.{value % 10}" if tenths else str(value)


def _fund_rows(project: Project, source: str) -> list[Row]:
    rows = []
    for fund in project.funds:
        base = {
            "project": project.id,
            "source_type": fund.source_type,
            "funder": fund.funder,
            "source": source,
            "illustrative": "false",
        }
        rows.append(base | {
            "id": f"{project.id}-a-{fund.source_type}", "transaction_type": "allocation",
            "amount": str(fund.allocated), "date": fund.allocated_on.isoformat(),
            "document": fund.document,
        })  # fmt: skip
        if fund.disbursed is not None:
            rows.append(base | {
                "id": f"{project.id}-d-{fund.source_type}", "transaction_type": "disbursement",
                "amount": str(fund.disbursed), "date": _iso(fund.disbursed_on),
                "document": f"支付凭证 {project.id}-{fund.source_type}",
            })  # fmt: skip
    return rows


def _benefit_rows(project: Project, source: str) -> list[Row]:
    return [
        {
            "id": f"{project.id}-{b.output.indicator}",
            "project": project.id,
            "indicator": b.output.indicator,
            "unit": b.output.unit,
            "label": b.output.label,
            "planned": _number(b.planned, b.output.tenths),
            "achieved": "" if b.achieved is None else _number(b.achieved, b.output.tenths),
            "as_of": _iso(b.as_of) if b.achieved is not None else "",
            "source": source,
            "illustrative": "false",
        }
        for b in project.benefits
    ]


# --- announcements ---------------------------------------------------------------------


def _notice_groups(rng: random.Random, items: Sequence[Project]) -> list[list[Project]]:
    """Runs of 1-3 consecutive projects of one county and year."""
    groups: list[list[Project]] = []
    size = rng.randint(1, 3)
    for project in items:
        last = groups[-1] if groups else []
        same = bool(last) and (last[0].county.code, last[0].year) == (
            project.county.code,
            project.year,
        )
        if same and len(last) < size:
            last.append(project)
        else:
            groups.append([project])
            size = rng.randint(1, 3)
    return groups


def _announcements(
    rng: random.Random, items: Sequence[Project], geo: Geography, source: str
) -> list[Row]:
    groups = _notice_groups(rng, items)
    count = min(len(groups), max(1, len(items) // 20))
    chosen = sorted(rng.sample(range(len(groups)), count))
    return [_announcement(rng, n, groups[index], source) for n, index in enumerate(chosen, start=1)]


def _announcement(rng: random.Random, n: int, group: Sequence[Project], source: str) -> Row:
    county, year = group[0].county, group[0].year
    published = min(p.schedule.planned_start for p in group) - timedelta(rng.randint(15, 40))
    ends = published + timedelta(days=rng.randint(10, 20))
    return {
        "id": f"notice-{county.code}-{n:05d}",
        "title": f"Public notice of {year} poverty-alleviation projects, {county.name}",
        "title_local": f"{county.name_local}{year}年扶贫项目公示",
        "date": published.isoformat(),
        "notice_end": ends.isoformat(),
        "projects": ";".join(p.id for p in group),
        "body": _notice_body(group, published, ends),
        "contact": f"{county.name} Poverty Alleviation Office, tel. {_telephone(rng)}",
        "contact_url": f"mailto:pao-{county.code}@example.org",
        "source": source,
        "illustrative": "false",
    }


def _telephone(rng: random.Random) -> str:
    return f"0{rng.randint(870, 888)}-{rng.randint(2_000_000, 8_999_999)}"


def _notice_body(group: Sequence[Project], published: date, ends: date) -> str:
    county = group[0].county
    lines = [
        f"The following poverty-alleviation projects of {county.name} are published for "
        f"public notice from {published.isoformat()} to {ends.isoformat()}.",
        "\n".join(
            f"{n}. {p.program.title}, {p.place.name} ({p.id}): budget {p.budget:,} yuan, "
            f"for {p.benefits[0].planned} households."
            for n, p in enumerate(group, start=1)
        ),
        f"Objections and suggestions may be made to the {county.name} Poverty Alleviation "
        "Office during the notice period.",
        f"现将{county.name_local}扶贫项目予以公示，公示期内如有异议请向{county.name_local}扶贫开发办公室反映。",
    ]
    return "\n\n".join(lines)


# --- reported totals -------------------------------------------------------------------


def _reported_totals(items: Sequence[Project], geo: Geography, source: str) -> list[Row]:
    funds = [(p, f) for p in items for f in p.funds]
    rows = [
        _total("total-allocated", "Funds allocated to all projects", "amount", "allocation",
               sum(f.allocated for _, f in funds), "yuan"),
        _total("total-disbursed", "Funds paid out to all projects", "amount", "disbursement",
               sum(f.disbursed or 0 for _, f in funds), "yuan"),
    ]  # fmt: skip
    for source_type in SOURCE_TYPES:
        amounts = [f.allocated for _, f in funds if f.source_type == source_type]
        if amounts:
            label = SOURCE_LABELS[source_type][0]
            row = _total(f"allocated-{source_type}", f"{label} funds allocated", "amount",
                         "allocation", sum(amounts), "yuan", source_type=source_type)  # fmt: skip
            rows.append(row)
    rows += _year_totals(items)
    rows += _benefit_totals(items)
    rows += _filtered_totals(items, geo)
    rows.append(_total("projects", "Number of projects", "projects", "count", len(items), ""))
    return [row | {"source": source} for row in rows]


def _year_totals(items: Sequence[Project]) -> list[Row]:
    rows = []
    for year in YEARS:
        amount = sum(p.budget for p in items if p.year == year)
        if amount:
            rows.append(
                _total(f"allocated-{year}", f"Funds allocated to projects of {year}",
                       "amount", "allocation", amount, "yuan", year=str(year))
            )  # fmt: skip
    return rows


def _benefit_totals(items: Sequence[Project]) -> list[Row]:
    rows = []
    for indicator, basis in (("households", "planned"), ("people", "planned"),
                             ("households", "achieved")):  # fmt: skip
        value = sum(
            getattr(b, basis) or 0
            for p in items
            for b in p.benefits
            if b.output.indicator == indicator
        )
        rows.append(
            _total(f"{indicator}-{basis}", f"{indicator.capitalize()} benefiting ({basis})",
                   indicator, basis, value, indicator)
        )  # fmt: skip
    return rows


def _filtered_totals(items: Sequence[Project], geo: Geography) -> list[Row]:
    """A per-program and a per-city figure, to exercise the filters."""
    program = items[0].program
    in_program = sum(p.budget for p in items if p.program is program)
    city = geo.by_code[items[-1].county.code[:4]]
    in_city = sum(p.budget for p in items if p.place.code.startswith(city.code))
    return [
        _total(f"allocated-{program.id}", f"Funds allocated to {program.name.lower()}",
               "amount", "allocation", in_program, "yuan", program=program.id),
        _total(f"allocated-{city.code}", f"Funds allocated to projects in {city.name}",
               "amount", "allocation", in_city, "yuan", region=city.code),
    ]  # fmt: skip


def _total(
    ident: str, words: str, measure: str, basis: str, value: int, unit: str, **filters: str
) -> Row:
    suffix = f" {unit}" if unit else ""
    return {
        "id": ident,
        "statement": f"{words}: {value:,}{suffix}.",
        "value": str(value),
        "measure": measure,
        "basis": basis,
        **filters,
    }
