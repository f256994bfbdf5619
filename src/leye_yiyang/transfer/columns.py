"""The facility sheet: its columns, the headers each is known by (Chinese and English), what the
template's notes sheet says about it, and how a cell becomes a field and back.

A column may be left out of a sheet; on an update, a left-out column keeps the stored value."""

from __future__ import annotations

import msgspec

from leye_yiyang.vocab import (
    ACCESSIBILITY_LABELS,
    FACILITY_STATUS_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
)


class Column(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    zh: str
    en: str
    note: str
    aliases: tuple[str, ...] = ()
    required: bool = False


def _kinds() -> str:
    return "、".join(f"{label}（{kind.value}）" for kind, label in KIND_LABELS.items())


COLUMNS: tuple[Column, ...] = (
    Column(
        key="ref",
        zh="编号",
        en="ref",
        required=True,
        aliases=("机构编号", "id"),
        note="本部门给机构的编号（字母、数字、- _ . :），再次导入时按编号更新而不是新增",
    ),
    Column(key="name", zh="名称", en="name", required=True, aliases=("机构名称",), note="机构名称"),
    Column(
        key="kind",
        zh="类型",
        en="kind",
        aliases=("机构类型",),
        note=f"可不填（按导入时选择的类型）；填写时须为：{_kinds()}",
    ),
    Column(
        key="address",
        zh="地址",
        en="address",
        required=True,
        aliases=("详细地址",),
        note="详细地址；经纬度空着时按地址在离线地名库中定位",
    ),
    Column(
        key="lon",
        zh="经度",
        en="lon",
        aliases=("longitude",),
        note="经度（度），与纬度同时填写；空着则按地址定位",
    ),
    Column(key="lat", zh="纬度", en="lat", aliases=("latitude",), note="纬度（度）"),
    Column(
        key="crs",
        zh="坐标系",
        en="crs",
        aliases=("datum",),
        note="wgs84（GPS）、gcj02（高德、腾讯）或 bd09（百度）；空着按导入时选择的坐标系",
    ),
    Column(
        key="area_code",
        zh="区域编码",
        en="area_code",
        aliases=("社区编码",),
        note="所在社区/村的12位编码；可不填（按坐标判断），填写时须与坐标一致",
    ),
    Column(key="phone", zh="电话", en="phone", aliases=("联系电话",), note="联系电话"),
    Column(key="operator", zh="运营方", en="operator", aliases=("运营单位",), note="运营单位名称"),
    Column(
        key="uscc",
        zh="统一社会信用代码",
        en="uscc",
        aliases=("信用代码",),
        note="运营方的统一社会信用代码（18位，按 GB 32100 校验；只校验，不保存）",
    ),
    Column(
        key="capacity",
        zh="容量",
        en="capacity",
        aliases=("床位", "托位", "总容量"),
        note="床位、托位或餐位数（整数）",
    ),
    Column(
        key="places_taken",
        zh="已用",
        en="places_taken",
        aliases=("已占用", "在用"),
        note="已占用的数量，不超过容量",
    ),
    Column(
        key="weekly_hours",
        zh="营业时间",
        en="opening_hours",
        aliases=("开放时间",),
        note="如「周一至周五 06:30-08:00,10:30-13:00；周六 08:00-12:00」",
    ),
    Column(
        key="exceptions",
        zh="特别安排",
        en="hours_exceptions",
        note="某天休息或改时间，如「2026-10-01 休息 国庆；2026-10-08 09:00-12:00」",
    ),
    Column(
        key="public_holidays",
        zh="节假日",
        en="public_holidays",
        note="「休息」（按国家法定节假日休息，调休上班日按周一时间开放）或「开放」；空着为休息",
    ),
    Column(
        key="services",
        zh="服务",
        en="services",
        aliases=("服务项目",),
        note="如「早餐、午餐」；托育可逐行写月龄和说明：「全日托 6-36月 乳儿班…」",
    ),
    Column(
        key="prices",
        zh="收费",
        en="prices",
        aliases=("收费标准", "价格"),
        note="如「午餐 11元/餐；早餐 4元/餐」（单位：餐、次送餐、天、半天、小时、月、期、次）",
    ),
    Column(
        key="subsidies",
        zh="补贴",
        en="subsidies",
        aliases=("补贴标准",),
        note="每行一档：「午餐 75–84周岁 减6元 年龄75-84」「午餐 低保 减8元 年龄60- 身份低保、残疾」",
    ),
    Column(key="min_age", zh="最低年龄", en="min_age", note="服务对象最低年龄（周岁）"),
    Column(key="max_age", zh="最高年龄", en="max_age", note="服务对象最高年龄（周岁）"),
    Column(key="child_min_months", zh="最小月龄", en="child_min_months", note="托育：最小月龄"),
    Column(key="child_max_months", zh="最大月龄", en="child_max_months", note="托育：最大月龄"),
    Column(
        key="statuses",
        zh="身份条件",
        en="any_of_statuses",
        note="须具备其一：" + "、".join(STATUS_LABELS.values()),
    ),
    Column(
        key="residence",
        zh="限居住区域",
        en="residence_area_codes",
        note="只服务这些区域的居民：区域编码，用「、」分隔",
    ),
    Column(key="eligibility_note", zh="适用说明", en="eligibility_note", note="办理条件等说明"),
    Column(
        key="accessibility",
        zh="无障碍",
        en="accessibility",
        aliases=("无障碍设施",),
        note="、".join(ACCESSIBILITY_LABELS.values()),
    ),
    Column(
        key="status",
        zh="状态",
        en="status",
        note="、".join(FACILITY_STATUS_LABELS.values()) + "；空着为正常",
    ),
    Column(
        key="description", zh="简介", en="description", aliases=("说明", "备注"), note="机构简介"
    ),
    Column(
        key="verified_at",
        zh="核实时间",
        en="verified_at",
        note="信息最后核实的时间，如 2026-05-03 12:00（北京时间）",
    ),
)

BY_KEY = {c.key: c for c in COLUMNS}


def normalise_header(header: str) -> str:
    return "".join(header.split()).lower().replace("_", "").replace("（", "(").replace("）", ")")


HEADERS: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.zh, _c.en, _c.key, *_c.aliases):
        HEADERS[normalise_header(_name)] = _c.key


def column_for(header: str) -> str | None:
    return HEADERS.get(normalise_header(header))
