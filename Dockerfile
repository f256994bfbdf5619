# syntax=docker/dockerfile:1
# The image pins the Python that CI tests (3.11); the code itself runs on any Python >= 3.11.
FROM python:3.11-slim
# The uv that the Makefile pins (UV_VERSION there); used only to install from uv.lock.
ARG UV_VERSION=0.13.9

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/app/.venv/bin:$PATH \
    LEYE_HOST=0.0.0.0 \
    LEYE_PORT=8000 \
    LEYE_DATABASE_URL=sqlite:////data/leye-yiyang.db \
    LEYE_GEO_DIR=/app/geo \
    LEYE_LOAD_DEMO=1 \
    LEYE_DEMO=1

WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
# Exactly the versions in uv.lock (what CI tested), without the dev extra, into /app/.venv.
RUN pip install uv==$UV_VERSION \
    && uv sync --locked --no-editable --no-cache \
    && pip uninstall -y uv
COPY geo ./geo
COPY fixtures ./fixtures

RUN useradd --system --uid 10001 --home /app leye && mkdir -p /data && chown leye /data
USER leye
VOLUME ["/data"]
EXPOSE 8000

# Liveness (/health): restart the container only if the process stops answering. A load balancer
# asks /ready instead (503 while the database is down or the directory is not loaded yet).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['LEYE_PORT'], timeout=4)"

# Migrate, optionally load the demo directory, then serve.
CMD ["sh", "-c", "leye-yiyang db upgrade && if [ \"$LEYE_LOAD_DEMO\" = 1 ]; then leye-yiyang fixtures load; fi && exec leye-yiyang serve"]
