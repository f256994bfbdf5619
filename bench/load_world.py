"""Load a generated world of N facilities (and M vacancies) into the database named by
LEYE_DATABASE_URL, on top of the demo directory, for the at-scale HTTP benchmarks.

    LEYE_DATABASE_URL=sqlite:///var/bench.db python bench/load_world.py --facilities 100000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import msgspec
from sqlalchemy import select

from leye_yiyang.db import Database, bump_directory_version
from leye_yiyang.directory import schemas as s
from leye_yiyang.directory.loading import (
    community_locator,
    load_facilities,
    load_vacancies,
    read_json,
)
from leye_yiyang.models import Employer
from leye_yiyang.settings import Settings
from world import generate_vacancies, generate_world

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=30_000)
    args = parser.parse_args()
    settings = Settings.from_env()
    started = time.perf_counter()
    world = generate_world(args.facilities, 1, geo_dir=ROOT / "geo")
    employers = read_json(ROOT / "fixtures" / "tinghu" / "employers.json", list[s.EmployerIn])
    vacancies = generate_vacancies(args.vacancies, employers)
    db = Database(settings.database_url)
    with db.transaction() as session:
        locator = community_locator(session)
        load_facilities(session, world.facilities, locator)
        known = set(session.scalars(select(Employer.uscc)))
        load_vacancies(session, [v for v in vacancies if v.employer_uscc in known], locator)
        bump_directory_version(session)
    db.dispose()
    print(
        msgspec.json.encode(
            {
                "facilities": len(world.facilities),
                "vacancies": len(vacancies),
                "seconds": round(time.perf_counter() - started, 1),
            }
        ).decode()
    )


if __name__ == "__main__":
    main()
