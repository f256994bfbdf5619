"""A seeded synthetic Tinghu at any scale, for benchmarks: facilities, residents and vacancies.

`generate_world(100_000, 680_000)` scales the demo directory up: the same mix of facility kinds,
points inside the modelled communities in proportion to their population, plausible fields. Points
come from vectorised rejection sampling (uniform in a polygon's bounding box, kept when
`shapely.contains_xy` says inside), so a million points take well under a second.

Pure: no storage or web imports; the output is the project's input types (`FacilityIn`,
`VacancyIn`), ready for the importer or for the spatial index directly. Same seed, same world.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import shape

from leye_yiyang.directory.schemas import EmployerIn, FacilityIn, VacancyIn
from leye_yiyang.values import (
    Eligibility,
    OpeningHours,
    Price,
    ServiceOffer,
    Shift,
    Subsidy,
    TimeRange,
)
from leye_yiyang.vocab import (
    Accessibility,
    Education,
    FacilityKind,
    FacilityStatus,
    PersonStatus,
    ServiceCode,
    VacancyStatus,
    Weekday,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

K = FacilityKind
S = ServiceCode
TZ: Final = dt.timezone(dt.timedelta(hours=8))
# Facility kinds in the proportions of the demo directory (fixtures/tinghu/facilities.json).
KIND_MIX: Final[tuple[tuple[FacilityKind, int], ...]] = (
    (K.MEAL_HALL, 41),
    (K.DAY_CARE, 40),
    (K.CARE_HOME, 16),
    (K.CHILDCARE, 52),
    (K.SERVICE_STATION, 60),
    (K.TRAINING_SCHOOL, 12),
    (K.HR_AGENCY, 15),
)
KIND_NAMES: Final[dict[FacilityKind, str]] = {
    K.MEAL_HALL: "老年助餐点",
    K.DAY_CARE: "日间照料中心",
    K.CARE_HOME: "颐养之家",
    K.CHILDCARE: "托育中心",
    K.SERVICE_STATION: "家门口就业服务站",
    K.TRAINING_SCHOOL: "职业培训学校",
    K.HR_AGENCY: "人力资源服务部",
}


@dataclass(frozen=True)
class World:
    """A generated district. `residents_area_index[i]` indexes `areas` (community codes)."""

    facilities: list[FacilityIn]
    residents_lon: FloatArray
    residents_lat: FloatArray
    residents_area_index: IntArray
    areas: list[str]


@dataclass(frozen=True)
class _Communities:
    codes: list[str]
    names: list[str]
    parents: list[str]  # 街道/镇 names
    polygons: list[Any]  # shapely polygons, prepared
    population: FloatArray


def _load(geo_dir: Path) -> _Communities:
    def features(name: str) -> list[dict[str, Any]]:
        data: dict[str, Any] = json.loads((geo_dir / name).read_text(encoding="utf-8"))
        return list(data["features"])

    divisions = {
        f["properties"]["code"]: f["properties"]["name"] for f in features("subdistricts.geojson")
    }
    rows = sorted(features("communities.geojson"), key=lambda f: str(f["properties"]["code"]))
    polygons = [shape(f["geometry"]) for f in rows]
    for polygon in polygons:
        shapely.prepare(polygon)
    return _Communities(
        codes=[str(f["properties"]["code"]) for f in rows],
        names=[str(f["properties"]["name"]) for f in rows],
        parents=[divisions.get(f["properties"]["parent_code"], "") for f in rows],
        polygons=polygons,
        population=np.array([float(f["properties"]["population"]) for f in rows]),
    )


def apportion(total: int, weights: FloatArray) -> IntArray:
    """Split `total` into integers proportional to `weights`, by largest remainder; the parts
    add up to `total` exactly."""
    share = weights / weights.sum() * total
    counts: IntArray = np.floor(share).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        order = np.argsort(-(share - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def sample_in_polygons(
    rng: np.random.Generator, polygons: Sequence[Any], counts: IntArray
) -> tuple[FloatArray, FloatArray, IntArray]:
    """`counts[i]` uniform points inside `polygons[i]`, rounded to 6 decimals (~0.1 m), grouped
    by polygon in order."""
    lons: list[FloatArray] = []
    lats: list[FloatArray] = []
    for polygon, count in zip(polygons, counts.tolist(), strict=True):
        minx, miny, maxx, maxy = polygon.bounds
        fill = max(polygon.area / ((maxx - minx) * (maxy - miny)), 0.05)
        got_x: list[FloatArray] = []
        got_y: list[FloatArray] = []
        need = count
        while need > 0:
            batch = int(need / fill * 1.15) + 16
            xs = np.round(rng.uniform(minx, maxx, batch), 6)
            ys = np.round(rng.uniform(miny, maxy, batch), 6)
            inside = shapely.contains_xy(polygon, xs, ys)
            got_x.append(xs[inside][:need])
            got_y.append(ys[inside][:need])
            need -= len(got_x[-1])
        lons.append(np.concatenate(got_x) if got_x else np.empty(0))
        lats.append(np.concatenate(got_y) if got_y else np.empty(0))
    index = np.repeat(np.arange(len(polygons), dtype=np.int64), counts)
    return np.concatenate(lons), np.concatenate(lats), index


def _days(*names: str) -> list[Weekday]:
    return [Weekday(n) for n in names]


WEEK5: Final = _days("mon", "tue", "wed", "thu", "fri")
WEEK7: Final = _days("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hours(days: list[Weekday], *ranges: tuple[str, str], holidays: bool = False) -> OpeningHours:
    spans = [TimeRange(opens=o, closes=c) for o, c in ranges]
    return OpeningHours(
        weekly={d: list(spans) for d in days}, public_holidays="open" if holidays else "closed"
    )


def _meal_prices(price: float) -> list[Price]:
    statuses = [PersonStatus.DIBAO, PersonStatus.DISABILITY, PersonStatus.MILITARY_FAMILY]
    return [
        Price(
            service=S.LUNCH,
            unit="meal",
            price_cny=price,
            subsidies=[
                Subsidy(label="60–74周岁", amount_cny=1.0, min_age=60, max_age=74),
                Subsidy(label="75–84周岁", amount_cny=5.0, min_age=75, max_age=84),
                Subsidy(label="85–94周岁", amount_cny=8.0, min_age=85, max_age=94),
                Subsidy(
                    label="低保、残疾、优抚对象",
                    amount_cny=8.0,
                    min_age=60,
                    any_of_statuses=statuses,
                ),
                Subsidy(label="95周岁以上", amount_cny=9.0, min_age=95),
                Subsidy(
                    label="分散供养特困人员",
                    amount_cny=9.0,
                    min_age=60,
                    any_of_statuses=[PersonStatus.EXTREME_POVERTY],
                ),
            ],
        )
    ]


def _templates() -> dict[FacilityKind, list[dict[str, Any]]]:
    """A few shared (immutable) field sets per kind; facilities pick one each."""
    elder = Eligibility(min_age=60)
    lunch = [ServiceOffer(code=S.LUNCH)]
    care = [ServiceOffer(code=S.DAY_CARE_FULL), ServiceOffer(code=S.DAY_CARE_HALF)]
    jobs = [ServiceOffer(code=S.JOB_REFERRAL), ServiceOffer(code=S.CAREER_GUIDANCE)]
    open_day = _hours(WEEK7, ("00:00", "24:00"), holidays=True)
    return {
        K.MEAL_HALL: [
            {
                "services": lunch,
                "opening_hours": _hours(WEEK5, ("10:30", "13:00")),
                "eligibility": elder,
                "prices": _meal_prices(12.0),
            },
            {
                "services": [
                    *lunch,
                    ServiceOffer(code=S.DINNER),
                    ServiceOffer(code=S.HOME_DELIVERY),
                ],
                "opening_hours": _hours(
                    WEEK7, ("10:30", "13:00"), ("16:30", "18:00"), holidays=True
                ),
                "eligibility": elder,
                "prices": _meal_prices(11.0),
            },
        ],
        K.DAY_CARE: [
            {
                "services": care,
                "opening_hours": _hours(WEEK5, ("08:00", "17:00")),
                "eligibility": elder,
                "prices": [Price(service=S.DAY_CARE_FULL, unit="day", price_cny=40.0)],
            }
        ],
        K.CARE_HOME: [
            {
                "services": [ServiceOffer(code=S.LONG_TERM_CARE), ServiceOffer(code=S.RESPITE)],
                "opening_hours": open_day,
                "eligibility": elder,
                "prices": [Price(service=S.LONG_TERM_CARE, unit="month", price_cny=3600.0)],
            },
            {
                "services": [ServiceOffer(code=S.LONG_TERM_CARE)],
                "opening_hours": open_day,
                "eligibility": Eligibility(min_age=60, any_of_statuses=[PersonStatus.DISABLED_ADL]),
                "prices": [Price(service=S.LONG_TERM_CARE, unit="month", price_cny=4200.0)],
            },
        ],
        K.CHILDCARE: [
            {
                "services": [
                    ServiceOffer(
                        code=S.CHILDCARE_FULL_DAY, min_child_months=months, max_child_months=36
                    )
                ],
                "opening_hours": _hours(WEEK5, ("07:30", closes)),
                "eligibility": Eligibility(child_min_months=months, child_max_months=36),
                "prices": [Price(service=S.CHILDCARE_FULL_DAY, unit="month", price_cny=price)],
            }
            for months, closes, price in (
                (6, "17:30", 2200.0),
                (12, "17:00", 1600.0),
                (18, "18:30", 2600.0),
            )
        ],
        K.SERVICE_STATION: [
            {
                "services": jobs,
                "opening_hours": _hours(WEEK5, ("08:30", "12:00"), ("14:00", "17:30")),
            },
            {
                "services": [*jobs, ServiceOffer(code=S.GIG_WORK)],
                "opening_hours": _hours(WEEK7, ("06:00", "11:30"), holidays=True),
            },
        ],
        K.TRAINING_SCHOOL: [
            {
                "services": [ServiceOffer(code=S.SKILLS_TRAINING)],
                "opening_hours": _hours(WEEK7, ("08:30", "17:30"), ("18:30", "21:00")),
            }
        ],
        K.HR_AGENCY: [
            {
                "services": [ServiceOffer(code=S.RECRUITMENT), ServiceOffer(code=S.JOB_REFERRAL)],
                "opening_hours": _hours(WEEK5, ("08:30", "17:30")),
            }
        ],
    }


CAPACITY: Final[dict[FacilityKind, tuple[int, int]]] = {
    K.MEAL_HALL: (40, 150),
    K.DAY_CARE: (15, 80),
    K.CARE_HOME: (20, 160),
    K.CHILDCARE: (20, 120),
    K.SERVICE_STATION: (0, 0),
    K.TRAINING_SCHOOL: (60, 240),
    K.HR_AGENCY: (0, 0),
}
ACCESS: Final[tuple[list[Accessibility], ...]] = (
    [],
    [Accessibility.STEP_FREE],
    [Accessibility.STEP_FREE, Accessibility.HANDRAILS, Accessibility.ACCESSIBLE_TOILET],
)


def _own(fields: dict[str, Any]) -> dict[str, Any]:
    """Fresh lists per facility (the structs inside are frozen and may be shared)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in fields.items()}


def _facilities(rng: np.random.Generator, c: _Communities, n: int) -> list[FacilityIn]:
    per_area = rng.multinomial(n, c.population / c.population.sum()).astype(np.int64)
    lon, lat, where = sample_in_polygons(rng, c.polygons, per_area)
    order = rng.permutation(n)  # refs in random spatial order, like real insertions
    lon, lat, where = lon[order], lat[order], where[order]
    kinds_all = [k for k, _ in KIND_MIX]
    kind_index = np.repeat(
        np.arange(len(kinds_all)), apportion(n, np.array([float(w) for _, w in KIND_MIX]))
    )
    rng.shuffle(kind_index)
    templates = _templates()
    pick = rng.integers(0, 1_000_000, n).tolist()
    fill = rng.uniform(0.3, 1.0, n).tolist()
    size = rng.uniform(0.0, 1.0, n).tolist()
    closed = (rng.uniform(0.0, 1.0, n) < 0.02).tolist()
    days = rng.integers(0, 270, n).tolist()
    base = dt.datetime(2026, 3, 1, 10, 0, tzinfo=TZ)
    out: list[FacilityIn] = []
    for i, (x, y, a, k) in enumerate(
        zip(lon.tolist(), lat.tolist(), where.tolist(), kind_index.tolist(), strict=True)
    ):
        kind = kinds_all[k]
        lo, hi = CAPACITY[kind]
        capacity = lo + int(size[i] * (hi - lo))
        variants = templates[kind]
        out.append(
            FacilityIn(
                ref=f"world-{i + 1:06d}",
                kind=kind,
                name=f"{c.names[a]}{KIND_NAMES[kind]}{i + 1}",
                address=f"亭湖区{c.parents[a]}{c.names[a]}{pick[i] % 300 + 1}号",
                lon=x,
                lat=y,
                area_code=c.codes[a],
                phone=f"0515-8{pick[i] * 7 % 10_000_000:07d}",
                capacity=capacity,
                places_taken=int(capacity * fill[i]),
                accessibility=list(ACCESS[pick[i] % 3]),
                verified_at=base + dt.timedelta(days=days[i]),
                status=FacilityStatus.TEMPORARILY_CLOSED if closed[i] else FacilityStatus.ACTIVE,
                **_own(variants[pick[i] % len(variants)]),
            )
        )
    return out


def generate_world(
    n_facilities: int, n_residents: int, seed: int = 7, geo_dir: Path = Path("geo")
) -> World:
    """Facilities and residents spread over the modelled communities by population."""
    rng = np.random.default_rng(seed)
    communities = _load(geo_dir)
    counts = apportion(n_residents, communities.population)
    lon, lat, index = sample_in_polygons(rng, communities.polygons, counts)
    facilities = _facilities(rng, communities, n_facilities)
    return World(
        facilities=facilities,
        residents_lon=lon,
        residents_lat=lat,
        residents_area_index=index,
        areas=list(communities.codes),
    )


class _Job(NamedTuple):
    code: str
    titles: list[str]
    skills: list[str]
    wage: tuple[int, int]
    education: Education
    shift: int  # index into SHIFTS


# Common vacancies: code | titles | skills | wage band | education | shift pattern. The codes are
# of 《职业分类大典（2022年版）》 and all appear in fixtures/tinghu/occupations.json.
_JOB_TABLE: Final = """
4-10-01-05|养老护理员 护理员|生活照料 基础照护 失能照护 助餐|4000-6500|junior_secondary|2
4-03-02-01|厨师 食堂厨师|热菜烹调 刀工 配菜 食品安全|5000-8500|junior_secondary|1
4-03-02-05|餐厅服务员 传菜员|点餐 传菜 顾客服务|3200-4500|junior_secondary|1
4-09-08-01|保洁员 物业保洁|日常保洁 垃圾分类 消毒|2500-3500|none|0
4-07-05-01|保安员 门岗保安|安全巡逻 门岗值守 监控|3000-4500|junior_secondary|2
4-10-01-06|家政服务员 育儿嫂|家务整理 烹饪 母婴护理|4500-9000|junior_secondary|0
4-10-01-03|保育员 托育老师|婴幼儿照护 卫生消毒 生活照料|3500-5000|senior_secondary|0
4-10-08-01|外卖骑手 配送员|电动车驾驶 配送 手机导航|5000-9000|junior_secondary|4
4-02-07-08|快递员 快递派送员|快件派送 揽收 手持终端|5500-8500|junior_secondary|0
4-02-06-01|仓库管理员 仓管员|出入库管理 盘点 库存管理|4000-5500|senior_secondary|0
4-02-02-02|货车司机 配送司机|安全驾驶 装卸配合 车辆保养|6000-9000|junior_secondary|0
4-01-02-03|营业员 门店导购|商品陈列 顾客接待 盘点|3200-4500|junior_secondary|3
4-01-06-01|电商运营 网店运营|店铺运营 商品上架 数据分析|4500-8000|associate|0
6-22-01-01|汽配生产线操作工 普工|流水线作业 设备操作 质量自检|4500-6500|junior_secondary|2
6-18-02-04|电焊工 氩弧焊工|焊工证 氩弧焊 识图|6000-9000|junior_secondary|0
6-31-01-03|维修电工 设备电工|电工证 低压电工 配电维护|5000-8000|vocational|2
6-31-03-05|质检员 品检员|来料检验 过程检验 量具使用|4500-6000|senior_secondary|0
6-31-05-00|包装工 打包员|包装 封箱 贴标|4000-5500|none|3
"""


def _job(line: str) -> _Job:
    code, titles, skills, wage, education, shift = line.split("|")
    lo, hi = wage.split("-")
    return _Job(
        code, titles.split(), skills.split(), (int(lo), int(hi)), Education(education), int(shift)
    )


JOBS: Final = tuple(_job(line) for line in _JOB_TABLE.strip().splitlines())
SHIFTS: Final = (
    [Shift(days=_days("mon", "tue", "wed", "thu", "fri", "sat"), starts="08:00", ends="17:00")],
    [
        Shift(days=_days("mon", "tue", "wed", "thu", "fri", "sat"), starts="09:30", ends="13:30"),
        Shift(days=_days("mon", "tue", "wed", "thu", "fri", "sat"), starts="16:30", ends="20:00"),
    ],
    [
        Shift(days=WEEK7, starts="08:00", ends="20:00"),
        Shift(days=WEEK7, starts="20:00", ends="24:00"),
        Shift(days=WEEK7, starts="00:00", ends="08:00"),
    ],
    [Shift(days=WEEK5, starts="09:00", ends="15:00")],
    [
        Shift(days=WEEK7, starts="10:00", ends="14:00"),
        Shift(days=WEEK7, starts="17:00", ends="21:00"),
    ],
)


def generate_vacancies(n: int, employers: Sequence[EmployerIn], seed: int = 7) -> list[VacancyIn]:
    """`n` plausible vacancies at the given employers (any workplace), refs "wvac-0000001"...

    Nothing in them concerns sex, ethnicity, religion, marriage, hukou or health status."""
    if not employers:
        raise ValueError("generate_vacancies needs at least one employer")
    rng = np.random.default_rng(seed)
    firm = rng.integers(0, len(employers), n).tolist()
    job = rng.integers(0, len(JOBS), n).tolist()
    spot = rng.uniform(0.0, 1.0, (n, 3)).tolist()
    posted = rng.integers(0, 88, n).tolist()
    base = dt.date(2026, 9, 1)
    out: list[VacancyIn] = []
    for i in range(n):
        employer, spec = employers[firm[i]], JOBS[job[i]]
        a, b, c = spot[i]
        lo, hi = spec.wage
        wage_min = int(round(lo + a * 0.4 * (hi - lo), -2))
        wage_max = max(wage_min + 300, int(round(lo + (0.5 + b * 0.5) * (hi - lo), -2)))
        day = base + dt.timedelta(days=posted[i])
        out.append(
            VacancyIn(
                ref=f"wvac-{i + 1:07d}",
                employer_uscc=employer.uscc,
                title=spec.titles[int(c * len(spec.titles))],
                occupation_code=spec.code,
                skills=list(spec.skills),
                education=spec.education,
                experience_years=int(c * 3),
                wage_min=wage_min,
                wage_max=wage_max,
                shifts=list(SHIFTS[spec.shift]),
                part_time=spec.shift == 3,
                headcount=1 + int(b * 5),
                status=VacancyStatus.CLOSED if a > 0.97 else VacancyStatus.OPEN,
                posted_on=day,
                expires_on=day + dt.timedelta(days=120 + int(b * 90)),
                workplace=int(c * len(employer.workplaces)) % len(employer.workplaces),
            )
        )
    return out
