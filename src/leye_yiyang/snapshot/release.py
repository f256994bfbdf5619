"""Freeing an old directory snapshot a slice at a time.

At 100,000 facilities a snapshot's geocoder and job catalogue hold millions of small objects.
Dropping the last reference frees them all in one cascade of C deallocations, which never
yields the GIL: every request in flight stalled for ~0.4 s after each rebuild. Instead the holder
keeps replaced snapshots here and, once no request still reads them, takes their big containers
apart a slice at a time, pausing between slices so request threads get the GIL back.

Only what nothing else holds is taken apart: parts shared with the live snapshot (an incremental
snapshot shares the geocoder, every snapshot shares the geography) are left alone, and within a
part a container is emptied only if its reference count shows the part is its sole owner.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

# Items freed between pauses: ~1 ms of deallocation.
SLICE = 2_000
# Items in containers smaller than this are freed in one go; not worth the bookkeeping. An
# object's attributes are looked into whatever their size (a small dict of big indexes).
SMALL = 512
SMALL_ATTRIBUTE = 0


def pause() -> None:
    time.sleep(0)  # drops the GIL: a waiting request thread takes its turn


def dismantle(obj: object, breathe: Callable[[], None] = pause) -> None:
    """Empty ``obj``'s large containers (and theirs) in slices. ``obj`` must be unreachable from
    anything still in use: its containers are emptied in place."""
    if isinstance(obj, list | dict) and not obj:
        return
    if isinstance(obj, list):
        # Items like the first and the last are taken as alike: a list of leaves (ints, tuples,
        # records) is freed a C-level slice at a time, not item by item in Python (which took
        # seconds for the geocoder's millions).
        leaves = not (_worth_descending(obj[0], SMALL) or _worth_descending(obj[-1], SMALL))
        while obj:
            if leaves:
                del obj[-SLICE:]
            else:
                for _ in range(min(SLICE, len(obj))):
                    _drop(obj.pop(), breathe)
            breathe()
    elif isinstance(obj, dict):
        first = next(iter(obj.values()), None)
        leaves = not _worth_descending(first, SMALL)
        while obj:
            for _ in range(min(SLICE, len(obj))):
                value = obj.popitem()[1]
                if not leaves:
                    _drop(value, breathe)
                del value
            breathe()
    elif isinstance(obj, set):
        while obj:
            for _ in range(min(SLICE, len(obj))):
                obj.pop()
            breathe()
    elif hasattr(obj, "__dict__"):
        attrs = vars(obj)
        # Leaves go first, then another pass: a small record can hold a second reference to a
        # big part (the snapshot's `places` holds its geocoder), and only once it is gone does
        # the part's reference count show `obj` as its sole owner, to be taken apart in slices
        # rather than freed in one stall when `obj` is cleared (measured: 0.4 s at 100,000).
        progress = True
        while progress:
            progress = False
            for name, value in list(attrs.items()):
                if not _worth_descending(value, SMALL_ATTRIBUTE):
                    del attrs[name]
                    progress = True
                # Owned only by `obj`: the attribute, the item pair, `value`, the argument.
                elif sys.getrefcount(value) == 4:
                    dismantle(value, breathe)
                    del attrs[name]
                    progress = True
                del value
        # Shared with the live snapshot, what is left is not freed here; a part that two dead
        # snapshots shared goes once the second is taken apart.
        attrs.clear()


def release(dead: list[Any], breathe: Callable[[], None] = pause) -> None:
    """Take apart every object in ``dead`` that nothing else references any more; keep the rest
    in ``dead`` for a later call (a request may still be reading them)."""
    waiting = []
    while dead:
        obj = dead.pop()
        # Held by `obj` and the call's argument only: nobody else can reach it.
        if sys.getrefcount(obj) == 2:
            dismantle(obj, breathe)
        else:
            waiting.append(obj)
        del obj
    dead.extend(waiting)


def _drop(value: Any, breathe: Callable[[], None]) -> None:
    # Popped: referenced by `value` and the call's argument only, if nothing else holds it.
    if _worth_descending(value, SMALL) and sys.getrefcount(value) == 2:
        dismantle(value, breathe)


def _worth_descending(value: object, small: int) -> bool:
    """Containers big enough to matter, and plain objects (indexes, catalogues: few, and they
    hold the big containers). msgspec Structs and slotted records are leaves: there are
    millions of them and each is small."""
    if isinstance(value, list | dict | set):
        return len(value) >= small
    return hasattr(value, "__dict__") and not isinstance(value, type)
