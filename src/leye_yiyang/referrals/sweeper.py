"""Lapsed holds are given back without anyone calling anything: a background thread in every
process expires overdue sent referrals (and forgets day-old idempotency keys) every few seconds.
Row locks taken with SKIP LOCKED let several processes sweep at once without waiting on each
other or lapsing a referral twice."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from leye_yiyang.db import Database
from leye_yiyang.referrals import idempotency
from leye_yiyang.referrals.service import Casework, expire_lapsed

log = logging.getLogger("leye_yiyang.referrals")


class Sweeper:
    def __init__(
        self, db: Database, casework: Callable[[], Casework], every_seconds: float = 30.0
    ) -> None:
        self._db = db
        self._casework = casework
        self._every = every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sweep(self, now: dt.datetime | None = None) -> int:
        at = now or dt.datetime.now(dt.UTC)
        with self._db.write_transaction() as session:
            expired = expire_lapsed(session, self._casework(), now=at)
            idempotency.purge(session, at)
        if expired:
            log.info("released %d lapsed referral holds", expired)
        return expired

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.sweep()
            except Exception as exc:  # a database outage: try again next round
                log.warning("referral sweep failed: %s", type(exc).__name__)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="referral-sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
