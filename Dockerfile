# syntax=docker/dockerfile:1

# ---- frontend build (tolerates a repo without a frontend) --------------------
FROM node:20 AS frontend
WORKDIR /src
COPY . .
RUN if [ -f frontend/package.json ]; then cd frontend && npm ci && npm run build; else mkdir -p frontend/dist; fi

# ---- runtime --------------------------------------------------------------------
# Debian trixie: its PostgreSQL client (17) can dump the compose file's PostgreSQL 16, for
# `crm backup` (pg_dump must be the server's version or newer).
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 crm \
 && useradd --system --uid 10001 --gid crm --home-dir /app --shell /usr/sbin/nologin crm

WORKDIR /app

# README*/LICENSE* are optional globs (pyproject may reference README.md).
COPY pyproject.toml README* LICENSE* ./
COPY backend ./backend
RUN pip install . \
 && rm -rf build

COPY --from=frontend /src/frontend/dist ./frontend/dist

# Writable dir for the default SQLite database / uploads when no volume is used.
RUN mkdir -p /app/data && chown crm:crm /app/data

USER crm
EXPOSE 8000
CMD ["crm", "serve", "--host", "0.0.0.0", "--port", "8000", "--migrate"]
