"""The read model: one immutable in-memory snapshot of the directory that geo queries and matching
read (views, the jobs catalogue, the request context), how it is built from the database and
swapped without blocking readers (building, geography, jobs_loading, holder, release)."""
