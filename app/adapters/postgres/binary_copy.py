"""PostgreSQL's binary COPY format for fixed-width, non-null columns, read and written with
numpy in one pass: a million rows move in well under a second, where building Python tuples
row by row takes several."""

from __future__ import annotations

from typing import Any

import numpy as np

# Signature, flags (no OIDs), header extension length; then the rows; then -1 as a trailer.
HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"


def _row_type(types: list[str]) -> np.dtype:
    fields: list[tuple[str, str]] = [("fields", ">i2")]
    for index, kind in enumerate(types):
        fields += [(f"length{index}", ">i4"), (f"value{index}", kind)]
    return np.dtype(fields)


def encode(columns: list[np.ndarray], types: list[str]) -> bytes:
    """Rows for `COPY ... FROM STDIN (FORMAT binary)`; `types` like ">i8", ">f8", ">i2"."""
    row_type = _row_type(types)
    rows = np.empty(len(columns[0]) if columns else 0, dtype=row_type)
    rows["fields"] = len(types)
    for index, (column, kind) in enumerate(zip(columns, types, strict=True)):
        rows[f"length{index}"] = np.dtype(kind).itemsize
        rows[f"value{index}"] = column
    return HEADER + rows.tobytes() + TRAILER


def decode(data: bytes, types: list[str]) -> list[np.ndarray]:
    """The columns of `COPY ... TO STDOUT (FORMAT binary)` output (no NULLs allowed)."""
    body = data[len(HEADER) : len(data) - len(TRAILER)]
    rows = np.frombuffer(body, dtype=_row_type(types))
    if len(rows) and not (rows["fields"] == len(types)).all():
        raise ValueError("unexpected COPY row layout")
    return [rows[f"value{i}"].astype(kind.replace(">", "=")) for i, kind in enumerate(types)]


async def copy_out(driver: Any, query: str, types: list[str], *args: object) -> list[np.ndarray]:
    chunks: list[bytes] = []

    async def collect(chunk: bytes) -> None:
        chunks.append(bytes(chunk))

    await driver.copy_from_query(query, *args, output=collect, format="binary")
    return decode(b"".join(chunks), types)


async def copy_in(
    driver: Any, table: str, columns: list[str], values: list[np.ndarray], types: list[str]
) -> None:
    payload = encode(values, types)

    async def chunks() -> Any:
        step = 1 << 20
        for start in range(0, len(payload), step):
            yield payload[start : start + step]

    await driver.copy_to_table(table, source=chunks(), columns=columns, format="binary")
