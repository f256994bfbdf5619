"""Running it in production: liveness and readiness, metrics, request ids, structured logs."""
