# syntax=docker/dockerfile:1

# ---- frontend build --------------------------------------------------------------
FROM node:20 AS frontend
WORKDIR /src/frontend
# Dependencies first: a change elsewhere in the repo does not download them again.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
# The build generates typed queries from ../schema.graphql (codegen.ts).
COPY schema.graphql /src/
COPY frontend ./
RUN npm run build

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
# Absolute, so that crm finds them whatever the working directory of a command.
ENV CRM_DATA_DIR=/app/data \
    CRM_FRONTEND_DIR=/app/frontend/dist

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
