"""Discriminatory vacancy criteria, found in the text an employer writes, and the seeker
attributes matching must never read.

A matching service is a job intermediary and bound by 《就业促进法》 Art. 26 like the employer:
it may neither publish "men only" nor rank people by who they are. Detection works clause by
clause on normalised text (NFKC, lower case, no spaces inside Chinese), first blanking lawful
phrases that mention a ground only to exclude it ("男女不限", "regardless of gender"), then
looking for phrases that set the ground as a condition. It flags for a human to review; it does not
reject on its own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Literal

import msgspec
from msgspec import inspect as mi

from leye_yiyang.rules.reasons import Reason

Category = Literal[
    "sex",
    "ethnicity",
    "religion",
    "marriage_childbearing",
    "hukou",
    "infectious_disease",
    "disability",
]


class Violation(msgspec.Struct, frozen=True, kw_only=True):
    category: Category
    matched_text: str  # as normalised: full-width folded, lower-cased
    law_zh: str
    law_en: str
    text_index: int = 0  # which of the texts passed in


_EPL_ZH = "《就业促进法》"
_EPL_EN = "Employment Promotion Law"
_WOMEN_ZH = "《妇女权益保障法》第四十三条"
_WOMEN_EN = "Law on the Protection of Women's Rights and Interests Art. 43 (2023)"

LAW: dict[Category, tuple[str, str]] = {
    "sex": (f"{_EPL_ZH}第二十七条、{_WOMEN_ZH}", f"{_EPL_EN} Art. 27; {_WOMEN_EN}"),
    "ethnicity": (f"{_EPL_ZH}第三条、第二十八条", f"{_EPL_EN} Art. 3, 28"),
    "religion": (f"{_EPL_ZH}第三条", f"{_EPL_EN} Art. 3"),
    "marriage_childbearing": (
        f"{_EPL_ZH}第二十七条、{_WOMEN_ZH}",
        f"{_EPL_EN} Art. 27; {_WOMEN_EN}",
    ),
    "hukou": (f"{_EPL_ZH}第三十一条", f"{_EPL_EN} Art. 31"),
    "infectious_disease": (f"{_EPL_ZH}第三十条", f"{_EPL_EN} Art. 30"),
    "disability": (f"{_EPL_ZH}第二十九条", f"{_EPL_EN} Art. 29"),
}

CATEGORY_LABELS: dict[Category, tuple[str, str]] = {
    "sex": ("性别", "sex"),
    "ethnicity": ("民族", "ethnicity"),
    "religion": ("宗教信仰", "religion"),
    "marriage_childbearing": ("婚育状况", "marriage or childbearing"),
    "hukou": ("户籍", "household registration (hukou)"),
    "infectious_disease": ("传染病病原携带", "carrying an infectious disease"),
    "disability": ("残疾", "disability"),
}

# The 55 named minorities and 汉. 少数民族 on its own is left out of "preferred": Art. 28 asks
# employers to give minority workers appropriate consideration.
_ETHNIC = (
    "汉|蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|"
    "拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|"
    "乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺"
)
_FAITH = "佛教徒|基督徒|伊斯兰教|佛教|基督教|天主教|道教|穆斯林|教徒"
_ONLY = r"(?<!不)(?:仅限|只限|限于|限|只招|只要|只收|仅招|仅要|仅收)"
_REFUSE = r"(?:不招|不要|不收|不录用|拒绝|谢绝|不接受)"
_KEEP_OUT = r"(?:勿扰|免谈|不要|不招|谢绝|除外|请绕道|莫扰)"
_SEXW = r"[男女](?:性|士|生|工|同志|的)?"
# "Local" said without a name. The district's own names (盐城, 亭湖, 江苏 ...) come from its
# district.json (District.local_names) and join these where a rule says _PLACE.
_LOCAL_WORDS = ("本地", "本市", "本区", "本县", "本省", "本镇", "当地")
_PLACE = "(?:<place>)"
_EN_GROUND = (
    r"(?:the |your |their )?(?:sex|gender|race|ethnicity|ethnic origin|religion|belief|faith|"
    r"marital status|family status|hukou|household registration|origin|disability|health status|"
    r"hepatitis b status|hbv status)"
)

# Lawful phrases per category: blanked before searching so they cannot trigger a match.
_LAWFUL: dict[Category, str] = {
    "sex": r"[男女]/[男女]|男女不限|性别不限|不限性别|不限男女|男女均可|男女皆可|男女都可|"
    r"性别无要求|男女兼招|"
    r"male or female|female or male|men (?:and|or) women|women (?:and|or) men|any gender|"
    r"all genders",
    "ethnicity": r"民族不限|不限民族|各民族|少数民族优先|all ethnicities",
    "religion": r"宗教信仰不限|不限宗教|尊重宗教信仰|清真",
    "marriage_childbearing": r"婚育假|婚假|产假|育儿假|陪产假|生育保险|生育津贴|婚姻登记|婚庆|婚纱|"
    r"不限婚否|婚否不限|婚育不限",
    "hukou": r"户籍不限|不限户籍|户口不限|不限户口|不限地域|地域不限|"
    r"(?:协助|帮助|可|办理|解决)[^，。；]{0,4}(?:落户|户口|户籍)",
    "infectious_disease": r"乙肝疫苗|(?:欢迎|接受|不歧视|不限|可录用|不影响)[^，。；]{0,6}"
    r"(?:乙肝|携带者|传染病)|(?:乙肝|携带者)[^，。；]{0,6}(?:可以|不影响|均可|欢迎)",
    "disability": r"欢迎残疾|残疾人优先|助残|残疾人就业",
}
_LAWFUL_ALL = (
    rf"regardless of (?:{_EN_GROUND}(?:\s*(?:,|and|or|/)\s*)*)+|"
    rf"irrespective of (?:{_EN_GROUND}(?:\s*(?:,|and|or|/)\s*)*)+|equal opportunit\w*"
)

_UNLAWFUL: dict[Category, list[str]] = {
    "sex": [
        rf"{_ONLY}{_SEXW}(?![男女])",
        rf"(?<![男女]){_SEXW}优先",
        r"招(?:聘|收)?[男女](?:性|工|士|生)",
        r"要求(?:为)?[男女](?:性|士)",
        r"性别(?:要求)?[:：]?(?:限)?[男女](?![女男])",
        r"^[男女](?:性|士)?$",
        r"宝妈优先|限宝妈",
        r"\b(?:male|female|men|women|man|woman)s? (?:only|preferred|applicants only)\b",
        r"\b(?:only|must be(?: a)?|prefer(?:ably)?(?: a)?)\s+"
        r"(?:male|female|men|women|man|woman)s?\b",
        r"\b(?:gender|sex)\s*:\s*(?:male|female|m|f)\b",
    ],
    "ethnicity": [
        rf"{_ONLY}(?:{_ETHNIC})族",
        rf"(?:{_ETHNIC})族(?:人|者)?优先",
        rf"{_REFUSE}(?:少数民族|(?:{_ETHNIC})族)",
        rf"(?:少数民族|(?:{_ETHNIC})族(?:人)?){_KEEP_OUT}",
        r"(?:非|除)少数民族",
        rf"民族(?:要求)?[:：](?:限)?(?:{_ETHNIC})族?",
        r"\b(?:han|white|black|asian|caucasian) (?:only|preferred)\b",
        r"\bno (?:ethnic )?minorities\b",
    ],
    "religion": [
        rf"{_ONLY}(?:信仰)?(?:{_FAITH})",
        rf"(?:{_FAITH})(?:者)?优先",
        rf"{_REFUSE}(?:有)?(?:宗教信仰|信教|{_FAITH})",
        rf"(?:宗教信仰者?|信教者?|{_FAITH}){_KEEP_OUT}",
        r"无宗教信仰|不信(?:仰)?宗教",
        r"\b(?:christians?|muslims?|buddhists?) (?:only|preferred)\b",
        r"\bno (?:christians|muslims|buddhists|religious)\b",
    ],
    "marriage_childbearing": [
        r"(?:已婚|未婚|已育|未育|离异|丧偶)+(?:者|人士)?(?:优先)?",
        r"(?:[一二两三四五1-5]年内)?(?:不得|不能|不准|不可|暂不|不|无|没有)"
        r"(?:生育|生孩子|生小孩|怀孕|要孩子)(?:计划)?",
        r"生育(?:计划|情况|状况)|婚育(?:情况|状况|要求)?|婚姻状况",
        rf"(?:孕妇|孕期|怀孕者?|哺乳期){_KEEP_OUT}",
        rf"{_ONLY}单身|单身(?:者)?优先|要求单身",
        r"\b(?:must be|only)\s+(?:married|single|unmarried)\b",
        r"\b(?:married|single|unmarried) (?:only|preferred|applicants only)\b",
        r"\bmarital status\b",
        r"\bno (?:plans? (?:to have|for) (?:children|kids|a baby)|pregnan\w*)",
        r"\bnot pregnant\b|\bmust not (?:be pregnant|get pregnant|have children)\b",
    ],
    "hukou": [
        rf"(?:{_PLACE}|城镇|城市|农村|农业|非农业?|外地|外省|外市)(?:常住)?(?:户口|户籍)",
        rf"{_ONLY}{_PLACE}(?:人|户口|户籍|籍)",
        rf"{_PLACE}(?:籍|人)(?:者)?优先",
        rf"(?:外地|外省|外市|农村|外来)(?:人|人员|户口|户籍|务工人员)?{_KEEP_OUT}",
        rf"{_REFUSE}(?:外地|外省|农村|外来)",
        r"(?:户籍|户口)(?:要求|所在地)?[:：](?!不限)",
        r"\b(?:local|urban|rural) (?:hukou|household registration)\b",
        r"\bhukou required\b|\blocals only\b|\bno migrant workers\b",
    ],
    "infectious_disease": [
        rf"(?:乙肝|乙型肝炎)(?:病毒)?(?:携带者)?{_KEEP_OUT}?|hbsag|\bhbv\b|大三阳|小三阳|两对半|澳抗",
        r"(?:传染病|病毒|病原)?携带者",
        r"无(?:任何)?传染(?:性)?(?:疾)?病",
        rf"传染病(?:患者|者)?{_KEEP_OUT}",
        r"\bhepatitis\s*b\b|\bhep\s*b\b",
        r"\bno (?:infectious|contagious) diseases?\b",
        r"\b(?:disease|virus|hbv|hepatitis b?) carriers?\b",
    ],
    "disability": [
        r"(?:无|没有)(?:任何)?残疾",
        rf"残疾(?:人|者)?{_KEEP_OUT}",
        rf"{_REFUSE}残疾",
        r"(?:身体|肢体|四肢)健全",
        r"\bno disabled\b|\bable-bodied (?:only|applicants)\b",
    ],
}

_CLAUSE_SPLIT = re.compile(r"[，,；;。.!！?？、\n\r\t()（）【】\[\]|]+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
Compiled = dict[Category, tuple[re.Pattern[str], re.Pattern[str]]]


@functools.lru_cache(maxsize=8)
def _compiled(local_names: tuple[str, ...]) -> Compiled:
    words = sorted({*_LOCAL_WORDS, *local_names}, key=lambda w: (-len(w), w))
    place = "|".join(re.escape(w) for w in words)
    return {
        cat: (
            re.compile(rf"{_LAWFUL[cat]}|{_LAWFUL_ALL}"),
            re.compile("|".join(pats).replace("<place>", place)),
        )
        for cat, pats in _UNLAWFUL.items()
    }


def normalise(text: str) -> str:
    """Fold full-width forms (ＨＢｓＡｇ), case, and spaces put between Chinese characters
    (限 男 性) so spelling tricks do not slip through."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _CJK_GAP.sub("", folded)


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c.strip()]


def find_violations(texts: list[str], local_names: tuple[str, ...] = ()) -> list[Violation]:
    """Every discriminatory phrase in the texts (title, requirements, description...), at most
    one per category and clause, grouped by text. `local_names` are the district's place names
    (District.local_names): "限盐城籍" is caught as surely as "限本市户籍"."""
    found: list[Violation] = []
    seen: set[tuple[int, Category, str]] = set()
    for index, raw in enumerate(texts):
        text = normalise(raw)
        for cat, (lawful, unlawful) in _compiled(local_names).items():
            # Blank lawful phrases before splitting: "regardless of sex, religion or marital
            # status" cut at its commas would leave pieces that look like conditions.
            cleaned = lawful.sub("|", text)
            for clause in _clauses(cleaned):
                m = unlawful.search(clause)
                if m is None or (index, cat, m.group(0)) in seen:
                    continue
                seen.add((index, cat, m.group(0)))
                law_zh, law_en = LAW[cat]
                found.append(
                    Violation(
                        category=cat,
                        matched_text=m.group(0),
                        law_zh=law_zh,
                        law_en=law_en,
                        text_index=index,
                    )
                )
    found.sort(key=lambda v: v.text_index)
    return found


def explain(v: Violation) -> Reason:
    """A sentence to show the employer, with the lawful way to say it."""
    ground_zh, ground_en = CATEGORY_LABELS[v.category]
    return Reason(
        code=f"fairness.{v.category}",
        zh=f"招聘信息中的“{v.matched_text}”以{ground_zh}设限，违反{v.law_zh}；"
        "职业中介不得发布此类条件（《就业促进法》第二十六条），请删除或改写。",
        en=f"“{v.matched_text}” sets a condition on {ground_en}, contrary to {v.law_en}; "
        "a job intermediary may not publish it (Employment Promotion Law Art. 26). "
        "Please remove or rephrase it.",
    )


# ---- protected attributes ----

PROTECTED_FIELDS: frozenset[str] = frozenset(
    {
        "sex",
        "gender",
        "ethnicity",
        "ethnic_group",
        "nation",
        "nationality_ethnic",
        "race",
        "religion",
        "faith",
        "marital_status",
        "married",
        "marriage",
        "children",
        "has_children",
        "number_of_children",
        "pregnant",
        "pregnancy",
        "childbearing",
        "fertility_plan",
        "hukou",
        "hukou_type",
        "hukou_place",
        "household_registration",
        "hbv_status",
        "hepatitis_b",
        "infectious_disease",
        "carrier_status",
        "disability",
        "disability_status",
    }
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_PROTECTED_KEYS = frozenset(_key(n) for n in PROTECTED_FIELDS)


class ProtectedFieldError(TypeError):
    pass


def _walk(t: mi.Type, path: str, out: list[str], seen: set[type]) -> None:
    if isinstance(t, mi.StructType):
        if t.cls in seen:
            return
        seen.add(t.cls)
        for f in t.fields:
            here = f"{path}.{f.name}" if path else f.name
            if _key(f.name) in _PROTECTED_KEYS or _key(f.encode_name) in _PROTECTED_KEYS:
                out.append(here)
            _walk(f.type, here, out, seen)
    elif isinstance(t, mi.UnionType):
        for u in t.types:
            _walk(u, path, out, seen)
    elif isinstance(t, (mi.ListType, mi.SetType, mi.FrozenSetType, mi.VarTupleType)):
        _walk(t.item_type, path, out, seen)
    elif isinstance(t, mi.TupleType):
        for u in t.item_types:
            _walk(u, path, out, seen)
    elif isinstance(t, mi.DictType):
        _walk(t.value_type, path, out, seen)


def protected_fields_in(struct: type[msgspec.Struct] | msgspec.Struct) -> list[str]:
    """Paths of fields (nested structs included) named like a protected attribute."""
    cls: Any = struct if isinstance(struct, type) else type(struct)
    out: list[str] = []
    _walk(mi.type_info(cls), "", out, set())
    return out


def assert_no_protected_fields(struct: type[msgspec.Struct] | msgspec.Struct) -> None:
    """Fail loudly if a seeker type could carry an attribute matching must never read."""
    bad = protected_fields_in(struct)
    if bad:
        raise ProtectedFieldError(
            f"{getattr(struct, '__name__', type(struct).__name__)} carries protected "
            f"attributes matching must not read: {', '.join(bad)}"
        )
