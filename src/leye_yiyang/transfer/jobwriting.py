"""Human resources' job-side records as sheets, in the very shape the import reads (export →
import changes nothing), and the empty template of each kind with its notes sheet (说明)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from leye_yiyang.accounts.policy import RecordType
from leye_yiyang.geojson import Feature, FeatureCollection, Point
from leye_yiyang.ids import uscc_check_char
from leye_yiyang.models import Employer, Facility, Occupation, TrainingCourse, Vacancy
from leye_yiyang.transfer import books
from leye_yiyang.transfer.jobcolumns import (
    CATALOGUES,
    EDUCATION_LABELS,
    RECORD_STATUS_LABELS,
    SIZE_LABELS,
    VACANCY_STATUS_LABELS,
    Catalogue,
)
from leye_yiyang.transfer.jobrows import format_places, format_shifts
from leye_yiyang.transfer.rows import CHINA
from leye_yiyang.values import Shift, Workplace
from leye_yiyang.vocab import Education, EmployerSize, RecordStatus, VacancyStatus

_EXAMPLE_USCC = "91320902MA7XMPL01"
EXAMPLES: dict[RecordType, dict[str, Any]] = {
    RecordType.EMPLOYER: {
        "uscc": _EXAMPLE_USCC + uscc_check_char(_EXAMPLE_USCC),
        "name": "示例盐城亭湖食品有限公司",
        "industry": "食品加工",
        "size": "小型",
        "workplace_name": "总部",
        "address": "亭湖区五星街道五星公寓1幢一楼",
        "lon": 120.088856,
        "lat": 33.371943,
        "crs": "wgs84",
        "more_workplaces": "门店|亭湖区毓龙街道桥东社区|120.15,33.38",
        "phone": "0515-82643273",
        "status": "正常",
        "verified_at": "2026-05-03T12:00:00+08:00",
    },
    RecordType.VACANCY: {
        "ref": "vac-demo-01",
        "employer_uscc": "91320902MATKK07KTF",
        "title": "养老护理员",
        "occupation_code": "4-10-01-05",
        "skills": "生活照料、基础照护",
        "education": "初中",
        "experience_years": 0,
        "wage_min": 4200,
        "wage_max": 5200,
        "shifts": "周一至周五 08:00-17:00",
        "part_time": "否",
        "headcount": 3,
        "status": "招聘中",
        "posted_on": "2026-10-14",
        "expires_on": "2027-03-06",
        "requirements": "持健康证",
        "description": "负责老人日常照料。待遇：五险一金、包午餐。",
    },
    RecordType.COURSE: {
        "ref": "course-demo-01",
        "provider_ref": "school-001",
        "title": "养老护理员（五级）职业技能培训",
        "occupation_code": "4-10-01-05",
        "skills_taught": "生活照料、基础照护",
        "starts_on": "2026-12-12",
        "ends_on": "2027-01-29",
        "sessions": "周一至周四 18:30-21:00",
        "hours_total": 64,
        "subsidised": "是",
        "fee_cny": 0,
        "seats": 40,
        "seats_taken": 0,
        "status": "正常",
    },
}


def _when(value: Any) -> str:
    return value.astimezone(CHINA).isoformat() if value is not None else ""


def _yes(value: bool) -> str:
    return "是" if value else "否"


def employer_cells(e: Employer) -> dict[str, Any]:
    places = msgspec.convert(e.workplaces, list[Workplace])
    first = places[0]
    return {
        "uscc": e.uscc,
        "name": e.name,
        "industry": e.industry,
        "size": SIZE_LABELS[EmployerSize(e.size)],
        "area_code": e.area_code,
        "workplace_name": first.name,
        "address": first.address,
        "lon": first.lon,
        "lat": first.lat,
        "crs": "wgs84",
        "more_workplaces": format_places(places[1:]),
        "phone": e.phone,
        "status": RECORD_STATUS_LABELS[RecordStatus(e.status)],
        "verified_at": _when(e.verified_at),
    }


def vacancy_cells(v: Vacancy, uscc: str, occupation: str) -> dict[str, Any]:
    return {
        "ref": v.ref or "",
        "employer_uscc": uscc,
        "title": v.title,
        "occupation_code": v.occupation_code,
        "occupation": occupation,
        "skills": "、".join(v.skills),
        "education": EDUCATION_LABELS[Education(v.education)],
        "experience_years": v.experience_years,
        "wage_min": v.wage_min,
        "wage_max": v.wage_max,
        "shifts": format_shifts(msgspec.convert(v.shifts, list[Shift])),
        "part_time": _yes(v.part_time),
        "headcount": v.headcount,
        "status": VACANCY_STATUS_LABELS[VacancyStatus(v.status)],
        "posted_on": v.posted_on.isoformat(),
        "expires_on": v.expires_on.isoformat() if v.expires_on else "",
        "address": v.address,
        "lon": v.lon,
        "lat": v.lat,
        "crs": "wgs84",
        "area_code": v.area_code,
        "requirements": "\n".join(v.requirements),
        "description": v.description,
        "verified_at": _when(v.verified_at),
    }


def course_cells(c: TrainingCourse, provider_ref: str, occupation: str) -> dict[str, Any]:
    return {
        "ref": c.ref or "",
        "provider_ref": provider_ref,
        "title": c.title,
        "occupation_code": c.occupation_code,
        "occupation": occupation,
        "skills_taught": "、".join(c.skills_taught),
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "sessions": format_shifts(msgspec.convert(c.sessions, list[Shift])),
        "hours_total": c.hours_total,
        "subsidised": _yes(c.subsidised),
        "fee_cny": c.fee_cny,
        "seats": c.seats,
        "seats_taken": c.seats_taken,
        "status": RECORD_STATUS_LABELS[RecordStatus(c.status)],
        "verified_at": _when(c.verified_at),
    }


def _rows(session: Session, kind: RecordType) -> Iterable[tuple[dict[str, Any], Point]]:
    """Each record's cells and its point (a vacancy's own, an employer's first workplace, a
    course's school)."""
    if kind is RecordType.EMPLOYER:
        for e in session.scalars(select(Employer).order_by(Employer.uscc)):
            cells = employer_cells(e)
            yield cells, Point(coordinates=(cells["lon"], cells["lat"]))
        return
    names = dict(session.execute(select(Occupation.code, Occupation.name)).all())
    if kind is RecordType.VACANCY:
        codes = dict(session.execute(select(Employer.id, Employer.uscc)).all())
        for v in session.scalars(select(Vacancy).order_by(Vacancy.ref, Vacancy.id)):
            cells = vacancy_cells(v, codes[v.employer_id], names.get(v.occupation_code, ""))
            yield cells, Point(coordinates=(v.lon, v.lat))
        return
    schools = {
        fid: (ref or f"id:{fid}", lon, lat)
        for fid, ref, lon, lat in session.execute(
            select(Facility.id, Facility.ref, Facility.lon, Facility.lat).where(
                Facility.id.in_(select(TrainingCourse.provider_id))
            )
        )
    }
    for c in session.scalars(select(TrainingCourse).order_by(TrainingCourse.ref)):
        ref, lon, lat = schools[c.provider_id]
        yield course_cells(c, ref, names.get(c.occupation_code, "")), Point(coordinates=(lon, lat))


def _rules(cat: Catalogue) -> tuple[tuple[str, str], ...]:
    key = "统一社会信用代码" if cat.key == "uscc" else "编号"
    return (
        (
            "导入规则",
            "先试导入（dry_run）查看逐行问题，再正式导入；正式导入全部成功或全部不导入。"
            f"按「{key}」更新已有记录，未改动的行不会产生修改记录。"
            "岗位表引用的用人单位须先导入（同一文件中新增的单位不能被岗位引用）。",
        ),
        ("公式", "含公式的单元格会被拒绝，请「粘贴为数值」。不要合并单元格。"),
    )


def template(kind: RecordType) -> bytes:
    cat = CATALOGUES[kind]
    example = EXAMPLES[kind]
    rows = [[c.zh for c in cat.columns], [example.get(c.key, "") for c in cat.columns]]
    return books.xlsx(cat.sheet, rows, notes=cat.columns, rules=_rules(cat))


def export(session: Session, kind: RecordType, fmt: str) -> bytes:
    cat = CATALOGUES[kind]
    columns = cat.columns
    rows = _rows(session, kind)
    table = ([cells[c.key] for c in columns] for cells, _ in rows)
    if fmt == "xlsx":
        return books.xlsx(cat.sheet, [[c.zh for c in columns], *table])
    if fmt == "csv":
        return books.csv_bytes([[c.zh for c in columns], *table])
    features = [
        Feature(
            id=cells["uscc" if kind is RecordType.EMPLOYER else "ref"],
            geometry=point,
            properties={c.zh: cells[c.key] for c in columns if c.key not in ("lon", "lat")},
        )
        for cells, point in rows
    ]
    return msgspec.json.encode(FeatureCollection(features=features))
