"""Service matching: for each need, the places near home a person may use, ranked and explained.

Ranking rule (the same words are returned with every answer as `ranking`):

1. Left out: a place where a rule says the person does not qualify (age, status, residence, the
   child's age in months), a place that is full (it sets a capacity and no place is free), and for
   childcare a place with no class for the child's age; and when meals must be brought home
   (need `meal_delivery`, or a person who is housebound, 卧床或不能出门) a hall that does not
   deliver. With `include_excluded` they are listed apart, nearest first, each with the reasons.
2. Within the travel limit (`minutes` by `mode`) before beyond it. Places beyond the limit are
   shown only to fill up `limit_per_need` when too few lie within it, and are flagged.
3. For a 失能 elder's meals, halls that deliver before halls that serve in the hall only: walking
   time means little to someone who needs help to walk.
   Eligible before "unknown" (a fact the caller did not give; the reason says which).
4. Open that day — open at `at`, or opening later the same day — before closed all day (a public
   holiday, a weekly day off, a dated closure). Never a filter: a closed place keeps its place in
   the list with its next opening.
5. Shorter travel time (the built-in model's time is monotone in geodesic distance).
6. Lower price payable after the subsidy the person qualifies for (no price counts as 0), then id.

Steps 2–5 are exact: for each class of (delivery, eligibility, open that day), in order, PointIndex.nearest
with an `accept` for that class returns the nearest `limit` within the travel limit, so the search
is a bounded k-nearest query, never a scan of the district.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from leye_yiyang.circles.service import brief, travel_info
from leye_yiyang.matching import schemas as m
from leye_yiyang.matching.context import (
    Context,
    area_refs,
    context,
    locate_home,
    person_of,
    residence,
    travel_text,
    when,
)
from leye_yiyang.matching.needs import NEEDS, NeedSpec
from leye_yiyang.rules.delivery import (
    NOT_DELIVERED,
    Delivery,
    delivered_text,
    delivery_fee_text,
    meal_delivery,
)
from leye_yiyang.rules.eligibility import Verdict, evaluate
from leye_yiyang.rules.hours import open_state
from leye_yiyang.rules.pricing import Quote, price_for
from leye_yiyang.rules.profiles import age_months_on
from leye_yiyang.rules.reasons import Reason, money
from leye_yiyang.snapshot.views import DirectorySnapshot, FacilityView
from leye_yiyang.spatial.coords import LonLat
from leye_yiyang.spatial.index import Hit, PointIndex
from leye_yiyang.spatial.travel import TravelTimeModel
from leye_yiyang.vocab import FacilityKind, ServiceCode

K = FacilityKind
S = ServiceCode
OPEN_CLASSES = 4  # (eligibility, open that day); doubled when delivery is preferred
EXCLUDED = 8  # the class of a place left out, above every other class

RANKING = Reason(
    code="ranking.services",
    zh="排序规则：不符合条件、已满或没有适龄班次的机构不列入，需要送餐上门时不送餐的食堂不列入；"
    "先列出行程时间以内的，再按失能老人送餐的食堂优先、符合条件优先于待核实、当天开放优先、"
    "路程时间短优先、自付价格低优先排列。",
    en="Ranking: places the person does not qualify for, full places and places with no class "
    "for the child's age are left out, and so are halls that do not deliver when meals must be "
    "delivered; places within the travel limit come first, then for a 失能 elder halls that "
    "deliver, then eligible before still-to-check, open that day first, shorter travel first, "
    "lower price payable first.",
)


@dataclass(frozen=True, slots=True)
class Assessed:
    facility: FacilityView
    offers: tuple[ServiceCode, ...]
    verdict: Verdict
    blockers: tuple[Reason, ...]
    price: Quote | None


def _offers(f: FacilityView, spec: NeedSpec, months: int | None) -> tuple[list[S], Reason | None]:
    offered = [o for o in f.services if o.code in spec.services]
    if months is None:
        return [o.code for o in offered], None
    fitting = [
        o
        for o in offered
        if (o.min_child_months is None or months >= o.min_child_months)
        and (o.max_child_months is None or months <= o.max_child_months)
    ]
    if offered and not fitting:
        return [o.code for o in offered], Reason(
            code="age_group.none",
            zh=f"没有招收{months}个月龄孩子的班次",
            en=f"No class takes a child of {months} months",
        )
    return [o.code for o in fitting], None


def full_reason(f: FacilityView) -> Reason:
    return Reason(
        code="full",
        zh=f"目前没有空余名额（共{f.capacity}个，已满）",
        en=f"No place free at the moment (all {f.capacity} taken)",
    )


class Assessor:
    """Eligibility, offers, price and opening of the places of one need, each worked out once."""

    def __init__(self, ctx: Context, spec: NeedSpec) -> None:
        self.ctx = ctx
        self.spec = spec
        self._months = age_months_on(ctx.person, ctx.on) if K.CHILDCARE in spec.kinds else None
        self.delivery = (
            meal_delivery(ctx.person, spec.delivered)
            if S.HOME_DELIVERY in spec.services
            else Delivery.ANY
        )
        self.classes = OPEN_CLASSES * (2 if self.delivery is Delivery.PREFERRED else 1)
        self._assessed: dict[int, Assessed | None] = {}
        self._open: dict[int, m.OpenInfo] = {}

    def get(self, fid: int) -> Assessed | None:
        """None when the place does not offer what the need asks for."""
        if fid in self._assessed:
            return self._assessed[fid]
        f = self.ctx.snap.facilities[fid]
        found: Assessed | None = None
        if f.kind in self.spec.kinds:
            offers, age_block = _offers(f, self.spec, self._months)
            if offers:
                found = self._assess(f, offers, age_block)
        self._assessed[fid] = found
        return found

    def _assess(self, f: FacilityView, offers: list[S], age_block: Reason | None) -> Assessed:
        ctx = self.ctx
        verdict = evaluate(f.eligibility, ctx.person, ctx.on, area_names=ctx.names)
        refused = [r for r in verdict.results if r.outcome == "not_eligible"]
        blockers = [r.reason for r in refused]
        if age_block is not None and all(r.rule != "child_months" for r in refused):
            blockers.append(age_block)
        if self.delivery is Delivery.REQUIRED and S.HOME_DELIVERY not in offers:
            blockers.append(NOT_DELIVERED)
        if f.capacity > 0 and f.places_free == 0:
            blockers.append(full_reason(f))
        price = None
        for code in (c for c in self.spec.services if c in offers):
            price = price_for(list(f.prices), code, ctx.person, ctx.on)
            if price is not None:
                break
        return Assessed(f, tuple(offers), verdict, tuple(blockers), price)

    def opening(self, fid: int) -> m.OpenInfo:
        info = self._open.get(fid)
        if info is None:
            info = self._open[fid] = opening_info(self.ctx.snap.facilities[fid], self.ctx.at)
        return info

    def klass(self, fid: int) -> int | None:
        a = self.get(fid)
        if a is None:
            return None
        if a.blockers:
            return EXCLUDED
        unknown = 1 if a.verdict.outcome == "unknown" else 0
        closed = 0 if self.opening(fid).open_that_day else 1
        walk_in = self.delivery is Delivery.PREFERRED and not self.delivers(a)
        return OPEN_CLASSES * walk_in + unknown * 2 + closed

    def delivers(self, a: Assessed) -> bool:
        """The meal comes to the person: delivery was asked for or preferred, and is offered."""
        return self.delivery is not Delivery.ANY and S.HOME_DELIVERY in a.offers

    def included(self, fid: int) -> bool:
        """Offers the need and nothing rules it out (cheaper than `klass`: no opening hours)."""
        got = self.get(fid)
        return got is not None and not got.blockers

    def key(self, hit: Hit) -> tuple[int, float, float, int]:
        a = self.get(hit.id)
        payable = a.price.payable_cny if a is not None and a.price is not None else 0.0
        return (self.klass(hit.id) or 0, hit.distance_m, payable, hit.id)


def opening_info(f: FacilityView, at: dt.datetime) -> m.OpenInfo:
    st = open_state(f.hours, at)
    later_today = st.next_opening is not None and st.next_opening.date() == at.date()
    return m.OpenInfo(
        open_now=st.open_now,
        open_that_day=st.open_now or later_today,
        next_opening=st.next_opening,
        closes_at=st.closes_at,
        calendar_known=st.calendar_known,
        reason=st.reason,
    )


def index_for(snap: DirectorySnapshot, spec: NeedSpec) -> PointIndex:
    return snap.index(spec.kinds[0] if len(spec.kinds) == 1 else None)


def nearest_of(
    ctx: Context, index: PointIndex, want: Callable[[int], bool], limit: int
) -> tuple[list[Hit], list[Hit]]:
    """The nearest `limit` wanted places within the travel limit, and when fewer, the nearest
    beyond it to fill up."""
    inside = index.nearest(ctx.point, limit, max_distance_m=ctx.reach_m, accept=want)
    if len(inside) >= limit:
        return inside, []
    more = index.nearest(ctx.point, limit, accept=want)
    seen = {h.id for h in inside}
    return inside, [h for h in more if h.id not in seen][: limit - len(inside)]


def ranked_hits(ctx: Context, a: Assessor, index: PointIndex, limit: int) -> list[tuple[Hit, bool]]:
    """(hit, within the limit) in rank order: class by class, nearest first."""
    inside: list[Hit] = []
    for cls in range(a.classes):
        if len(inside) >= limit:
            break
        inside += index.nearest(
            ctx.point,
            limit - len(inside),
            max_distance_m=ctx.reach_m,
            accept=lambda i, c=cls: a.klass(i) == c,  # type: ignore[misc]
        )
    beyond: list[Hit] = []
    if len(inside) < limit:
        _, beyond = nearest_of(ctx, index, a.included, limit)
    return [(h, True) for h in sorted(inside, key=a.key)] + [
        (h, False) for h in sorted(beyond, key=a.key)
    ]


def match_need(ctx: Context, need: m.Need, limit: int, include_excluded: bool) -> m.NeedResult:
    spec = NEEDS[need]
    a = Assessor(ctx, spec)
    index = index_for(ctx.snap, spec)
    ranked = ranked_hits(ctx, a, index, limit)
    times = ctx.travel_minutes([h.distance_m for h, _ in ranked])
    options = [
        option(ctx, a, rank, hit, t, within)
        for rank, ((hit, within), t) in enumerate(zip(ranked, times, strict=True), start=1)
    ]
    excluded = None
    if include_excluded:
        inside, beyond = nearest_of(ctx, index, lambda i: a.klass(i) == EXCLUDED, limit)
        hits = inside + beyond
        excluded = [
            excluded_option(ctx, must(a.get(h.id)), h, t)
            for h, t in zip(hits, ctx.travel_minutes([h.distance_m for h in hits]), strict=True)
        ]
    unmet = None if any(o.within_limit for o in options) else unmet_reason(ctx, spec, options)
    return m.NeedResult(
        need=need,
        kinds=list(spec.kinds),
        services=list(spec.services),
        options=options,
        excluded=excluded,
        unmet=unmet,
    )


def must(a: Assessed | None) -> Assessed:
    if a is None:  # pragma: no cover - the accept filters only ever pass assessed places
        raise RuntimeError("an unassessed place was ranked")
    return a


def excluded_option(ctx: Context, got: Assessed, hit: Hit, minutes: float) -> m.ExcludedOption:
    return m.ExcludedOption(
        facility=brief(got.facility, ctx.origin.crs),
        distance_m=round(hit.distance_m, 1),
        travel_minutes=minutes,
        eligibility=got.verdict,
        reasons=list(got.blockers),
    )


def option(
    ctx: Context, a: Assessor, rank: int, hit: Hit, minutes: float, within: bool
) -> m.ServiceOption:
    got = must(a.get(hit.id))
    f = got.facility
    opening = a.opening(hit.id)
    return m.ServiceOption(
        rank=rank,
        facility=brief(f, ctx.origin.crs),
        services=list(got.offers),
        eligibility=got.verdict,
        price=got.price,
        distance_m=round(hit.distance_m, 1),
        travel_minutes=minutes,
        within_limit=within,
        opening=opening,
        places_free=f.places_free if f.capacity > 0 else None,
        summary=summary(ctx, got, opening, hit.distance_m, minutes, within, a.delivers(got)),
    )


def summary(
    ctx: Context,
    got: Assessed,
    opening: m.OpenInfo,
    distance_m: float,
    minutes: float,
    within: bool,
    delivered: bool,
) -> Reason:
    zh, en = (
        delivered_text(distance_m)
        if delivered
        else travel_text(ctx.model, ctx.mode, minutes, distance_m)
    )
    parts_zh = ["符合条件" if got.verdict.outcome == "eligible" else "资格还需核实", zh]
    parts_en = [
        "eligible" if got.verdict.outcome == "eligible" else "eligibility still to check",
        en,
    ]
    if not within:
        parts_zh.append(f"超出{ctx.minutes:g}分钟的范围")
        parts_en.append(f"beyond the {ctx.minutes:g}-minute limit")
    parts_zh.append(opening.reason.zh)
    parts_en.append(opening.reason.en)
    if got.price is not None:
        parts_zh.append(f"自付{money(got.price.payable_cny)}元")
        parts_en.append(f"pays ¥{money(got.price.payable_cny)}")
    fee = delivery_fee_text(list(got.facility.prices), ctx.person, ctx.on) if delivered else None
    if fee is not None:
        parts_zh.append(fee[0])
        parts_en.append(fee[1])
    return Reason(code="summary", zh="；".join(parts_zh), en="; ".join(parts_en))


def unmet_reason(ctx: Context, spec: NeedSpec, options: list[m.ServiceOption]) -> Reason:
    p = ctx.model.profile(ctx.mode)
    zh = f"{p.label_zh}{ctx.minutes:g}分钟范围内没有可用的{spec.zh}机构"
    en = f"No place for {spec.en} the person can use within {ctx.minutes:g} min "
    en += f"({p.label_en.lower()})"
    if options:
        first = options[0]
        zh += f"；最近的是{first.facility.name}，约{round(first.travel_minutes)}分钟"
        en += f"; the nearest is {first.facility.name}, about {round(first.travel_minutes)} min"
    return Reason(code="unmet", zh=zh, en=en)


def match_services(
    snap: DirectorySnapshot, model: TravelTimeModel, req: m.ServiceMatchRequest
) -> m.ServiceMatchResult:
    at = when(req.at)
    origin = locate_home(snap, req.home, req.crs)
    point = LonLat(*origin.wgs84)
    codes = residence(snap, point)
    person = person_of(req.person, codes, at.date(), "person")
    ctx = context(snap, model, origin, person, at, req.mode, req.minutes)
    needs = [
        match_need(ctx, need, req.limit_per_need, req.include_excluded)
        for need in dict.fromkeys(req.needs)
    ]
    return m.ServiceMatchResult(
        home=origin,
        residence=area_refs(snap, codes),
        at=at,
        travel=travel_info(model, req.mode, req.minutes),
        ranking=RANKING,
        needs=needs,
    )
