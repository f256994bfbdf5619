"""Hearing about directory writes of other processes at once: PostgreSQL LISTEN on the channel
every write notifies in its own transaction (`db.bump_directory_version`). Each notification
wakes the holder's refresh; the holder's polling stays as the fallback (a lost connection, a
notification missed while reconnecting) and is the only path on SQLite."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

from leye_yiyang.db import NOTIFY_CHANNEL

log = logging.getLogger("leye_yiyang.snapshot")
RECONNECT_SECONDS = 1.0


def libpq_url(sqlalchemy_url: str) -> str:
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class ChangeListener:
    def __init__(self, sqlalchemy_url: str, on_change: Callable[[], None]) -> None:
        self._url = libpq_url(sqlalchemy_url)
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="directory-listen", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:  # the poll covers the gap; try again shortly
                self.connected.clear()
                log.warning("directory LISTEN lost (%s); retrying", type(exc).__name__)
                self._stop.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.connected.set()
            # Anything written while we were not listening is caught by this first wake-up.
            self._on_change()
            while not self._stop.is_set():
                # A short timeout so stop() is honoured promptly.
                for _ in conn.notifies(timeout=0.5):
                    self._on_change()
