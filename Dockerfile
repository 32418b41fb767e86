# syntax=docker/dockerfile:1
# Build stage: install Nexus and its dependencies into a virtualenv.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY app ./app
RUN /opt/venv/bin/pip install .

# Runtime stage: the virtualenv, the migrations and a non-root user.
FROM python:3.11-slim AS runtime
# PYTHONPATH: the `app` package is imported from /app, beside alembic.ini and migrations/, which
# `nexus migrate` finds next to the package.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NEXUS_ENV=production \
    NEXUS_DATA_DIR=/var/lib/nexus
RUN groupadd --system nexus && useradd --system --gid nexus --home /app nexus \
    && mkdir -p /var/lib/nexus && chown nexus:nexus /var/lib/nexus
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
USER nexus
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"]
# Migrations run before the server starts, never inside it. X-Forwarded-* headers count only
# from FORWARDED_ALLOW_IPS (loopback unless set: run directly, no client can choose its address);
# behind a proxy, set it to the proxy's address or network. PUBLIC_BASE_URL is required.
CMD ["sh", "-c", "nexus migrate && exec nexus serve --no-migrate --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-1} --proxy-headers"]
