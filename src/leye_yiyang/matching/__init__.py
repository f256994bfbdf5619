"""Matching use cases over one directory snapshot: services, jobs and household plans ranked and
explained (`services_match`, `jobs_match`, `care`, `household`, over the pure `rules/`), and their
HTTP surface (`schemas`, `routes`)."""
