# syntax=docker/dockerfile:1
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    LEYE_HOST=0.0.0.0 \
    LEYE_PORT=8000 \
    LEYE_DATABASE_URL=sqlite:////data/leye-yiyang.db \
    LEYE_GEO_DIR=/app/geo \
    LEYE_LOAD_DEMO=1 \
    LEYE_DEMO=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install .
COPY geo ./geo
COPY fixtures ./fixtures

RUN useradd --system --uid 10001 --home /app leye && mkdir -p /data && chown leye /data
USER leye
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['LEYE_PORT'], timeout=4)"

# Migrate, optionally load the demo directory, then serve.
CMD ["sh", "-c", "leye-yiyang db upgrade && if [ \"$LEYE_LOAD_DEMO\" = 1 ]; then leye-yiyang fixtures load; fi && exec leye-yiyang serve"]
