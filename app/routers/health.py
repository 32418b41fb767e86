"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.routers.deps import ReadinessCheck
from app.web.errors import error_response, error_responses

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", response_model=Health, summary="The process is alive")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/api/health/", response_model=Health, summary="The process is alive (original path)")
async def api_health() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="The database and the cache answer",
    responses=error_responses(503),
)
async def readyz(readiness: ReadinessCheck) -> JSONResponse:
    checks = await readiness()
    failed = [name for name, state in checks.items() if state != "ok"]
    if failed:
        return error_response(
            503,
            f"Not ready: {', '.join(failed)} unavailable.",
            details=[{"field": name, "message": "unavailable"} for name in failed],
            extra={"checks": checks},
        )
    return JSONResponse(Readiness(status="ok", checks=checks).model_dump())
