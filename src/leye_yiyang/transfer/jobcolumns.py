"""The job-side sheets kept by human resources (人社): employers, vacancies and training courses.
Their columns, the headers each is known by (Chinese and English), the template's notes, and the
Chinese labels of their choices. As on facility sheets, a column left out keeps the stored value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from leye_yiyang.accounts.policy import RecordType
from leye_yiyang.transfer.columns import Column, normalise_header
from leye_yiyang.vocab import Education, EmployerSize, RecordStatus, VacancyStatus

SIZE_LABELS = {
    EmployerSize.MICRO: "微型",
    EmployerSize.SMALL: "小型",
    EmployerSize.MEDIUM: "中型",
    EmployerSize.LARGE: "大型",
}
EDUCATION_LABELS = {
    Education.NONE: "不限",
    Education.PRIMARY: "小学",
    Education.JUNIOR_SECONDARY: "初中",
    Education.SENIOR_SECONDARY: "高中/中专",
    Education.VOCATIONAL: "技工/职高",
    Education.ASSOCIATE: "大专",
    Education.BACHELOR: "本科",
    Education.POSTGRADUATE: "研究生",
}
VACANCY_STATUS_LABELS = {
    VacancyStatus.OPEN: "招聘中",
    VacancyStatus.SUSPENDED: "暂停",
    VacancyStatus.CLOSED: "已结束",
}
RECORD_STATUS_LABELS = {
    RecordStatus.ACTIVE: "正常",
    RecordStatus.SUSPENDED: "暂停",
    RecordStatus.CLOSED: "关闭",
}
_SHIFTS = "如「周一至周五 08:30-17:30；周六 09:00-12:00」，每段一个班次"
_VERIFIED = "信息最后核实的时间，如 2026-05-03 12:00（北京时间）"
_CRS = "wgs84（GPS）、gcj02（高德、腾讯）或 bd09（百度）；空着按导入时选择的坐标系"


def _c(key: str, zh: str, note: str, *aliases: str, required: bool = False) -> Column:
    return Column(key=key, zh=zh, en=key, note=note, aliases=aliases, required=required)


def _labels(labels: Mapping[Any, str]) -> str:
    return "、".join(labels.values())


EMPLOYER = (
    _c(
        "uscc",
        "统一社会信用代码",
        "18位，按 GB 32100 校验；再次导入时按此代码更新而不是新增",
        "信用代码",
        required=True,
    ),
    _c("name", "名称", "用人单位名称", "单位名称", required=True),
    _c("industry", "行业", "所属行业，如「汽车零部件」"),
    _c("size", "规模", _labels(SIZE_LABELS), "企业规模"),
    _c("area_code", "区域编码", "主要工作地点所在社区/村的12位编码；可不填，填写时须与坐标一致"),
    _c("workplace_name", "地点名称", "主要工作地点的名称，如「总部」", "工作地点名称"),
    _c("address", "地址", "主要工作地点的地址；经纬度空着时按地址在离线地名库中定位", "详细地址"),
    _c("lon", "经度", "主要工作地点的经度（度），与纬度同时填写；空着则按地址定位", "longitude"),
    _c("lat", "纬度", "主要工作地点的纬度（度）", "latitude"),
    _c("crs", "坐标系", _CRS, "datum"),
    _c(
        "more_workplaces",
        "其他工作地点",
        "每行一个：「名称|地址|经度,纬度」，经纬度可不填（按地址定位），坐标系同本行",
    ),
    _c("phone", "电话", "联系电话（手机11位，座机如 0515-88886666）", "联系电话"),
    _c("status", "状态", _labels(RECORD_STATUS_LABELS) + "；空着为正常"),
    _c("verified_at", "核实时间", _VERIFIED),
)

VACANCY = (
    _c(
        "ref",
        "编号",
        "本部门给岗位的编号（字母、数字、- _ . :），再次导入时按编号更新",
        required=True,
    ),
    _c(
        "employer_uscc",
        "用人单位信用代码",
        "用人单位的统一社会信用代码；该单位须已在目录中（先导入用人单位表）",
        "用人单位统一社会信用代码",
        required=True,
    ),
    _c("title", "岗位名称", "岗位名称", "岗位", required=True),
    _c("occupation_code", "职业编码", "《职业分类大典》编码，如 4-03-02-01；可只填「职业」"),
    _c("occupation", "职业", "职业名称（或常用名），与职业编码二选一；同时填写时须一致"),
    _c("skills", "技能", "所需技能，用「、」分隔"),
    _c("education", "学历", _labels(EDUCATION_LABELS) + "；空着为不限"),
    _c("experience_years", "工作经验", "工作经验（年），空着为 0", "经验年限"),
    _c("wage_min", "最低工资", "月薪下限（元）", "最低月薪"),
    _c("wage_max", "最高工资", "月薪上限（元）", "最高月薪"),
    _c("shifts", "班次", _SHIFTS, "工作时间"),
    _c("part_time", "兼职", "是 或 否；空着为否"),
    _c("headcount", "招聘人数", "招聘人数（整数，至少 1）", "人数"),
    _c("status", "状态", _labels(VACANCY_STATUS_LABELS) + "；空着为招聘中"),
    _c("posted_on", "发布日期", "如 2026-10-14"),
    _c("expires_on", "截止日期", "如 2027-03-06；可不填"),
    _c("address", "地址", "工作地点；经纬度空着时按地址定位，都空着为用人单位的主要工作地点"),
    _c("lon", "经度", "工作地点经度（度），与纬度同时填写", "longitude"),
    _c("lat", "纬度", "工作地点纬度（度）", "latitude"),
    _c("crs", "坐标系", _CRS, "datum"),
    _c("area_code", "区域编码", "工作地点所在社区/村的12位编码；可不填，填写时须与坐标一致"),
    _c("requirements", "要求", "任职要求，每条一行或用「；」分隔；不得含歧视性条件", "任职要求"),
    _c("description", "说明", "岗位职责与待遇", "岗位说明", "备注"),
    _c("verified_at", "核实时间", _VERIFIED),
)

COURSE = (
    _c("ref", "编号", "本部门给课程的编号，再次导入时按编号更新", required=True),
    _c(
        "provider_ref",
        "培训机构编号",
        "开课的技能培训学校在目录中的编号（机构表的「编号」）",
        required=True,
    ),
    _c("title", "课程名称", "课程名称", "课程", required=True),
    _c("occupation_code", "职业编码", "《职业分类大典》编码；可只填「职业」"),
    _c("occupation", "职业", "职业名称（或常用名），与职业编码二选一；同时填写时须一致"),
    _c("skills_taught", "所授技能", "用「、」分隔", "技能"),
    _c("starts_on", "开课日期", "如 2026-12-12"),
    _c("ends_on", "结课日期", "如 2027-01-29，不早于开课日期"),
    _c("sessions", "课时安排", _SHIFTS, "上课时间"),
    _c("hours_total", "总课时", "总课时（小时）"),
    _c("subsidised", "补贴", "是（政府补贴培训）或 否；空着为否", "补贴培训"),
    _c("fee_cny", "费用", "学员自付费用（元），空着为 0", "收费"),
    _c("seats", "名额", "招生名额"),
    _c("seats_taken", "已报名", "已报名人数，不超过名额"),
    _c("status", "状态", _labels(RECORD_STATUS_LABELS) + "；空着为正常"),
    _c("verified_at", "核实时间", _VERIFIED),
)


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    """One kind's columns; `key` is the column a re-import updates by."""

    kind: RecordType
    sheet: str
    key: str
    columns: tuple[Column, ...]

    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def column_for(self, header: str) -> str | None:
        return _HEADERS[self.kind].get(normalise_header(header))


CATALOGUES = {
    RecordType.EMPLOYER: Catalogue(
        kind=RecordType.EMPLOYER, sheet="用人单位", key="uscc", columns=EMPLOYER
    ),
    RecordType.VACANCY: Catalogue(
        kind=RecordType.VACANCY, sheet="岗位", key="ref", columns=VACANCY
    ),
    RecordType.COURSE: Catalogue(
        kind=RecordType.COURSE, sheet="培训课程", key="ref", columns=COURSE
    ),
}
_HEADERS: dict[RecordType, dict[str, str]] = {
    kind: {normalise_header(n): c.key for c in cat.columns for n in (c.zh, c.en, c.key, *c.aliases)}
    for kind, cat in CATALOGUES.items()
}
