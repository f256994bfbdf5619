"""Matching core: eligibility, prices, opening hours, fair vacancies and job scores.

Pure functions over msgspec values; nothing here touches the web framework or the database, so the
same rules run in the API, in batch jobs and in tests.
"""
