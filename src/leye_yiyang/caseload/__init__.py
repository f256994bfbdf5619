"""A social worker's caseload: residents under consent, identifiers sealed at rest and masked in answers, and the casework audit."""
