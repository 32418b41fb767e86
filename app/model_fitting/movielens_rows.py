"""Reading MovieLens files row by row, so that a malformed row (a missing field, an unparseable
number or date, a rating out of range, bytes not in the file's encoding) is counted and named
by its line while every good row is kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from app.model_fitting.movielens_format import stars

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BadRow:
    file: str
    line: int  # 1-based, as an editor shows it
    reason: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.reason}"


def decoded_lines(path: Path, encoding: str, bad: list[BadRow]) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line that decodes; the others become bad rows."""
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                bad.append(BadRow(path.name, number, f"not {encoding} text"))
                continue
            yield number, text.rstrip("\r\n")


def parse_rows(
    rows: Iterator[tuple[int, T]], parse: Callable[[T], object], path: Path, bad: list[BadRow]
) -> list[object]:
    """`parse` each row; a row it refuses (ValueError, IndexError, KeyError) becomes a bad row."""
    parsed = []
    for number, row in rows:
        try:
            parsed.append(parse(row))
        except (ValueError, IndexError, KeyError) as error:
            bad.append(BadRow(path.name, number, str(error) or type(error).__name__))
    return parsed


def rating_rows(
    path: Path,
    delimiter: str | None,
    skip: int,
    columns: tuple[int, int, int, int],
    bad: list[BadRow],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """users, movies, 1-5 stars and timestamps of the good rows of a ratings file."""

    def parse(text: str) -> tuple[int, int, int, float]:
        fields = text.split(delimiter)
        if len(fields) <= max(columns):
            raise ValueError(f"expected at least {max(columns) + 1} fields, found {len(fields)}")
        user, movie, rating, timestamp = (fields[index].strip() for index in columns)
        try:
            score = stars(float(rating))
        except ValueError:
            raise ValueError(f"rating {rating!r} is not a MovieLens rating (0.5-5)") from None
        try:
            moment = float(timestamp)
        except ValueError:
            raise ValueError(f"timestamp {timestamp!r} is not a number of seconds") from None
        return _whole(user, "user id"), _whole(movie, "movie id"), score, moment

    lines = (pair for pair in decoded_lines(path, "utf-8", bad) if pair[0] > skip and pair[1])
    parsed = parse_rows(lines, parse, path, bad)
    table = np.array(parsed, dtype=np.float64).reshape(-1, 4)
    return (
        table[:, 0].astype(np.int64),
        table[:, 1].astype(np.int64),
        table[:, 2].astype(np.int16),
        table[:, 3],
    )


def _whole(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a whole number") from None
