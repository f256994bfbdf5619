"""An old snapshot is freed a slice at a time, and nothing still in use is touched."""

from __future__ import annotations

from leye_yiyang.snapshot.release import SLICE, dismantle, release


class Part:
    def __init__(self, shared: list[int]) -> None:
        self.own = {i: [i] * 3 for i in range(3 * SLICE)}
        self.nested = [list(range(1000)) for _ in range(5)]
        self.shared = shared  # also held by a live object
        self.inner = Inner()


class Inner:
    def __init__(self) -> None:
        self.rows = list(range(5 * SLICE))


def test_owned_containers_are_emptied_a_slice_at_a_time() -> None:
    live = list(range(10_000))
    part = Part(live)
    inner, nested = part.inner, part.nested[0]
    left: list[int] = []
    # Between slices the other threads run; here we look at what is left of `own` each time.
    dismantle(part, lambda: left.append(len(vars(part).get("own", ()))))
    assert left[:3] == [2 * SLICE, SLICE, 0]
    assert vars(part) == {}
    # `inner` and `nested[0]` are held by this test too, so they are left as they are.
    assert len(inner.rows) == 5 * SLICE
    assert len(nested) == 1000


def test_a_container_another_object_still_holds_is_left_alone() -> None:
    live = list(range(10_000))
    part = Part(live)
    dismantle(part, lambda: None)
    assert live == list(range(10_000))


def test_a_shared_value_popped_from_an_owned_dict_is_left_alone() -> None:
    shared = list(range(5_000))
    owner = {"a": shared, "b": list(range(5_000))}
    dismantle(owner, lambda: None)
    assert owner == {}
    assert len(shared) == 5_000


def test_a_snapshot_a_request_still_reads_waits_for_a_later_sweep() -> None:
    in_use, finished = Part([]), Part([])
    dead = [in_use, finished]
    del finished
    release(dead, lambda: None)
    assert dead == [in_use]  # still referenced here, as by a request in flight
    assert len(in_use.own) == 3 * SLICE


class Record:
    """A small slotted record, as msgspec Structs and slotted dataclasses are: a leaf."""

    __slots__ = ("part",)

    def __init__(self, part: object) -> None:
        self.part = part


class Snapshot:
    def __init__(self) -> None:
        self.big = {i: (i, str(i)) for i in range(4 * SLICE)}
        self.record = Record(self.big)  # a second reference, as `places` holds the geocoder


def test_a_part_a_small_record_also_holds_is_still_taken_apart_in_slices() -> None:
    snapshot = Snapshot()
    seen: list[int] = []
    dismantle(snapshot, lambda: seen.append(len(vars(snapshot).get("big", ()))))
    assert seen[:4] == [3 * SLICE, 2 * SLICE, SLICE, 0]
    assert vars(snapshot) == {}


def test_a_list_of_leaves_is_freed_a_slice_at_a_time() -> None:
    rows = [(i, float(i)) for i in range(3 * SLICE + 5)]
    left: list[int] = []
    dismantle(rows, lambda: left.append(len(rows)))
    assert left == [2 * SLICE + 5, SLICE + 5, 5, 0]


def test_empty_containers_are_left_as_they_are() -> None:
    empty: list[int] = []
    breaths: list[None] = []
    dismantle(empty, lambda: breaths.append(None))
    dismantle({}, lambda: breaths.append(None))
    assert empty == []
    assert breaths == []
