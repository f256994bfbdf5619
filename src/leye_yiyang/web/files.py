"""The pages' files, read into memory once: a few megabytes, answered without a file read or a
thread hop per request (litestar's static router did both, ~0.3 s a file on a loaded machine).
Only names found at start are served, so no path can reach outside these folders."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from leye_yiyang.errors import NotFound

_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


class Files:
    def __init__(self, root: Path) -> None:
        self.entries: dict[str, tuple[bytes, str]] = {}
        for path in sorted(root.rglob("*")):
            if path.is_file():
                media = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
                name = path.relative_to(root).as_posix()
                self.entries[name] = (path.read_bytes(), media or "application/octet-stream")

    def get(self, name: str) -> tuple[bytes, str]:
        found = self.entries.get(name.lstrip("/"))
        if found is None:
            raise NotFound("没有这个文件", "No such file", code="file_not_found")
        return found
