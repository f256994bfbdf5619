"""The district's rules over directory values, as pure functions: opening hours and the statutory
calendar, shift schedules, eligibility, prices and subsidies, occupations, job scores, fair-hiring
checks, and the bilingual reasons they give. No web framework, no database."""
