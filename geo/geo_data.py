"""Static inputs of the modelled Tinghu geography: public facts plus the project's drawing choices.

Facts (names, totals, the centre, the extent, the published populations) come from
shared/domain/README.md section 7. Everything positional here is *modelled*: the vertex lists
are hand-drawn to match the published extent and area, not traced from any boundary file.
"""

from __future__ import annotations

from typing import Final, NamedTuple

SEED: Final = 320902
TOTAL_POPULATION: Final = 680_000
TARGET_AREA_KM2: Final = 800.0
DISTRICT = {"code": "320902", "name": "亭湖区", "level": "district", "parent_code": "320900"}
CORE: Final = (120.131, 33.385)  # urban core, WGS-84
URBAN_RADIUS_M: Final = 4_300.0  # mean radius of the modelled urban zone (six urban 街道)

# Hand-drawn main outline (lon, lat), counter-clockwise: a lobe round the urban core (新河 to its
# west), an arm south to 伍佑/便仓, a band east-north-east past 南洋/黄海/新兴 to the coast, and a
# coastal strip from 盐东 north to 黄尖.
# fmt: off
MAIN_ANCHORS: Final = [
    (119.982, 33.398), (120.012, 33.372), (120.055, 33.350), (120.095, 33.330), (120.120, 33.306),
    (120.145, 33.288), (120.152, 33.240), (120.170, 33.192), (120.200, 33.162), (120.228, 33.170),
    (120.236, 33.212), (120.240, 33.262), (120.262, 33.308), (120.305, 33.350), (120.350, 33.376),
    (120.405, 33.390), (120.450, 33.368), (120.480, 33.338), (120.508, 33.324), (120.536, 33.350),
    (120.548, 33.400), (120.542, 33.460), (120.546, 33.520), (120.534, 33.585), (120.516, 33.640),
    (120.494, 33.688), (120.470, 33.702), (120.460, 33.672), (120.470, 33.620), (120.466, 33.560),
    (120.446, 33.505), (120.400, 33.488), (120.350, 33.472), (120.300, 33.457), (120.255, 33.450),
    (120.210, 33.447), (120.170, 33.444), (120.135, 33.441), (120.095, 33.436), (120.050, 33.432),
    (120.012, 33.422),
]
# The separate small northern piece (belongs to 黄尖镇 in this model).
NORTH_ANCHORS: Final = [
    (120.412, 33.757), (120.440, 33.752), (120.467, 33.772), (120.462, 33.803), (120.437, 33.809),
    (120.414, 33.792),
]
# fmt: on


class Division(NamedTuple):
    """A 街道 or 镇: its seed point (modelled) and how many communities/villages it has."""

    name: str
    level: str  # "subdistrict" | "town"
    code: str
    seed: tuple[float, float]
    communities: int
    villages: int
    urban: bool


DIVISIONS: Final = [
    # Six urban 街道 inside the urban zone: 先锋 in the middle (the old town), five round it.
    Division("五星街道", "subdistrict", "320902001000", (120.112, 33.364), 12, 0, True),
    Division("文峰街道", "subdistrict", "320902002000", (120.148, 33.362), 11, 0, True),
    Division("先锋街道", "subdistrict", "320902003000", (120.131, 33.385), 12, 0, True),
    Division("毓龙街道", "subdistrict", "320902004000", (120.104, 33.392), 11, 0, True),
    Division("新洋街道", "subdistrict", "320902005000", (120.131, 33.412), 10, 0, True),
    Division("大洋街道", "subdistrict", "320902006000", (120.162, 33.392), 11, 0, True),
    # Three outer 街道.
    Division("伍佑街道", "subdistrict", "320902007000", (120.192, 33.280), 4, 7, False),
    Division("黄海街道", "subdistrict", "320902008000", (120.225, 33.352), 5, 4, False),
    Division("新河街道", "subdistrict", "320902009000", (120.030, 33.400), 3, 7, False),
    # Five 镇; each has one 社区 at the town seat and villages round it.
    Division("南洋镇", "town", "320902100000", (120.222, 33.425), 1, 16, False),
    Division("新兴镇", "town", "320902101000", (120.340, 33.425), 1, 14, False),
    Division("便仓镇", "town", "320902102000", (120.196, 33.205), 1, 13, False),
    Division("盐东镇", "town", "320902103000", (120.505, 33.400), 1, 15, False),
    Division("黄尖镇", "town", "320902104000", (120.505, 33.590), 1, 14, False),
]


class Fixed(NamedTuple):
    """A community or village the domain notes name (population None: not published)."""

    parent: str
    name: str
    level: str
    population: int | None


FIXED: Final = [
    Fixed("毓龙街道", "桥东社区", "community", None),
    Fixed("五星街道", "万户新村", "community", 10_200),
    # 朝阳片区: the four communities total 18,500 (published); the split is modelled.
    Fixed("先锋街道", "解放桥社区", "community", None),
    Fixed("先锋街道", "朝阳社区", "community", None),
    Fixed("先锋街道", "三元巷社区", "community", None),
    Fixed("先锋街道", "双元路社区", "community", None),
    Fixed("新兴镇", "新场村", "village", None),
    Fixed("南洋镇", "洋湾村", "village", None),
    Fixed("南洋镇", "利民村", "village", None),
    Fixed("南洋镇", "柴坝村", "village", None),
]
CHAOYANG: Final = ("解放桥社区", "朝阳社区", "三元巷社区", "双元路社区")
CHAOYANG_TOTAL: Final = 18_500
OLD_ESTATES: Final = frozenset({"万户新村", *CHAOYANG})  # older residents

# Invented community names (two characters + 社区): no 街道/镇 name, no compass name (城东 ...)
# that the modelled layout could contradict.
# fmt: off
COMMUNITY_WORDS: Final = (
    "建军", "青年", "双拥", "迎宾", "盐渎", "华锐", "范公", "新都", "红星", "开放", "人民", "盐马",
    "解放", "毓秀", "文港", "大庆", "希望", "世纪", "登瀛", "串场", "儒学", "汇文", "育才", "健康",
    "幸福", "和平", "民主", "友谊", "团结", "胜利", "光明", "振兴", "东进", "西园", "南苑", "北苑",
    "花园", "翠竹", "春晖", "紫薇", "丽景", "锦绣", "怡景", "润园", "明珠", "富康", "瑞福", "聚亨",
    "鹿鸣", "东亭", "海纯", "盐阜", "新生", "新华", "永丰", "永宁", "安居", "安康", "长亭", "新园",
    "湖滨", "水岸", "枫林", "梅园", "桃园", "荷花", "兴盐", "通榆", "环城", "港城", "龙港", "白鹭",
    "海燕", "晨光", "曙光", "朝晖", "长虹", "红旗", "向阳", "东方", "海洋",
)
# fmt: on
# Invented village names are drawn from prefix x suffix, the way many Yancheng place names read.
VILLAGE_PREFIXES: Final = "东西南北新中前后王陈张李周吴徐孙朱胡季潘顾蒋沈刘杨丁郭戴葛薛仲唐万陶沙"
VILLAGE_SUFFIXES: Final = "庄港河圩墩灶舍桥湾垛沟荡堡集滩园洲坝闸"


class Place(NamedTuple):
    """A named point for the offline geocoder; `within` is the area it must fall in."""

    name: str
    kind: str  # "road" | "estate" | "landmark"
    aliases: tuple[str, ...]
    lon: float
    lat: float
    within: str  # a 街道/镇 name or a community/village name


# Road and landmark names are well-known Yancheng names (the domain notes give only the estates and
# communities); every position is modelled: near where the layout puts the named area, no survey.
PLACES: Final = [
    Place("解放南路", "road", ("解放路",), 120.139, 33.370, "文峰街道"),
    Place("解放北路", "road", ("解放路",), 120.134, 33.404, "新洋街道"),
    Place("建军东路", "road", ("建军路",), 120.160, 33.386, "大洋街道"),
    Place("建军西路", "road", ("建军路",), 120.108, 33.384, "毓龙街道"),
    Place("建军中路", "road", ("建军路",), 120.133, 33.384, "先锋街道"),
    Place("开放大道", "road", ("开放大道北路", "开放大道南路"), 120.172, 33.376, "大洋街道"),
    Place("人民路", "road", ("人民中路", "人民南路"), 120.126, 33.378, "先锋街道"),
    Place("青年路", "road", ("青年中路", "青年东路", "青年西路"), 120.140, 33.392, "先锋街道"),
    Place("毓龙路", "road", ("毓龙东路", "毓龙西路"), 120.099, 33.398, "毓龙街道"),
    Place("黄海路", "road", ("黄海中路", "黄海东路"), 120.200, 33.380, "黄海街道"),
    Place("希望大道", "road", ("希望大道中路", "希望大道南路"), 120.118, 33.353, "五星街道"),
    Place("世纪大道", "road", (), 120.158, 33.352, "文峰街道"),
    Place("新都路", "road", ("新都东路", "新都西路"), 120.126, 33.420, "新洋街道"),
    Place("迎宾路", "road", ("迎宾北路", "迎宾南路", "迎宾大道"), 120.094, 33.378, "毓龙街道"),
    Place("范公路", "road", (), 120.128, 33.391, "先锋街道"),
    Place("双元路", "road", (), 120.1353, 33.3793, "双元路社区"),
    Place("盐马路", "road", (), 120.1650, 33.4027, "大洋街道"),
    Place("大庆路", "road", ("大庆东路", "大庆中路"), 120.105, 33.368, "五星街道"),
    Place("文港路", "road", ("文港北路", "文港南路"), 120.146, 33.416, "新洋街道"),
    Place("站前路", "road", (), 120.1694, 33.3680, "文峰街道"),
    Place("204国道", "road", ("G204", "国道204"), 120.1792, 33.4365, "南洋镇"),
    Place("万户新村", "estate", ("万户",), 120.114, 33.362, "万户新村"),
    Place("朝阳片区", "estate", (), 120.129, 33.383, "朝阳社区"),
    Place("盐城站", "landmark", ("盐城火车站", "盐城高铁站"), 120.1676, 33.3643, "文峰街道"),
    Place("亭湖区人民政府", "landmark", ("亭湖区政府", "区政府"), 120.140, 33.410, "新洋街道"),
    Place("宝瓶湖公园", "landmark", ("宝瓶湖",), 120.152, 33.420, "新洋街道"),
    Place(
        "大洋湾", "landmark", ("大洋湾景区", "大洋湾生态旅游景区"), 120.1714, 33.3932, "大洋街道"
    ),
    Place("中国海盐博物馆", "landmark", ("海盐博物馆",), 120.124, 33.389, "先锋街道"),
    Place("盐城新四军纪念馆", "landmark", ("新四军纪念馆",), 120.156, 33.388, "大洋街道"),
    Place("盐城市第一人民医院", "landmark", ("市一院",), 120.143, 33.372, "文峰街道"),
    Place("亭湖区人民医院", "landmark", ("亭湖医院",), 120.137, 33.398, "先锋街道"),
    Place("盐城工学院", "landmark", ("盐工",), 120.1212, 33.3514, "五星街道"),
    Place("盐城师范学院", "landmark", ("盐师",), 120.166, 33.372, "文峰街道"),
    Place("盐城南洋国际机场", "landmark", ("南洋机场", "盐城机场"), 120.203, 33.425, "南洋镇"),
    Place("伍佑古镇", "landmark", (), 120.215, 33.285, "伍佑街道"),
    Place("便仓枯枝牡丹园", "landmark", ("枯枝牡丹园",), 120.205, 33.205, "便仓镇"),
    Place("丹顶鹤湿地生态旅游区", "landmark", ("丹顶鹤湿地",), 120.5133, 33.3400, "盐东镇"),
    Place("新洋港", "landmark", (), 120.4735, 33.6658, "黄尖镇"),
]
