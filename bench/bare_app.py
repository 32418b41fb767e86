"""The baseline for `bench.trending_throughput`: a bare FastAPI app whose one endpoint returns
fixed bytes (the file named by BENCH_BARE_BODY), with no middleware, no database, no cache."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

BODY = Path(os.environ["BENCH_BARE_BODY"]).read_bytes()

app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/movies/trending/")
async def trending() -> Response:
    return Response(BODY, media_type="application/json")
