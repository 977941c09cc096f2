# billbot's image: `billbot serve` (Slack's HTTP endpoint, the web page, GET /healthz) as a non-root user.
# Two stages: the build stage runs the README's install (a virtual environment, then `pip install .`),
# the final stage copies only that environment onto a slim Python. No secret is baked in: every
# credential comes from the environment at run time (docs/DEPLOY.md). PORT is honoured (default 3000).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python3 -m venv /opt/billbot
COPY pyproject.toml README.md ./
COPY src ./src
# The README's install, not editable: the final image carries the installed package, not the sources.
RUN /opt/billbot/bin/pip install --no-cache-dir .

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/billbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/billbot \
    PORT=3000
RUN groupadd --system --gid 10001 billbot \
    && useradd --system --uid 10001 --gid billbot --create-home --home-dir /home/billbot billbot
COPY --from=build /opt/billbot /opt/billbot
USER 10001:10001
WORKDIR /home/billbot
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
# `billbot serve` listens on $PORT when no --port is given.
CMD ["billbot", "serve", "--host", "0.0.0.0"]
