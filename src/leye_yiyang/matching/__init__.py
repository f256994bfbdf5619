"""Matching: eligibility, prices, opening hours, fair vacancies, job scores, and the HTTP use cases
built on them.

The core (profiles, eligibility, pricing, hours, schedule, occupations, jobs, fairness, reasons) is
pure functions over msgspec values: no web framework, no database, so the same rules run in the
API, in batch jobs and in tests. The edge: `catalogue` loads vacancies, courses and occupations
into the directory snapshot; `services_match`, `jobs_match`, `care` and `household` rank and
explain over that snapshot; `schemas` and `routes` are the HTTP surface.
"""
