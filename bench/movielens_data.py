"""MovieLens 100K for the benchmarks, taken from the RecBole 1.2.1 wheel into `bench/data/`
(ignored by git: the data is never committed)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WHEEL = "recbole==1.2.1"
INSIDE = "recbole/dataset_example/ml-100k/"


def ml_100k() -> Path:
    target = DATA / INSIDE
    if (target / "ml-100k.inter").is_file():
        return target
    wheels = DATA / "wheel"
    if not list(wheels.glob("recbole-1.2.1-*.whl")):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", WHEEL, "-d", str(wheels)],
            check=True,
        )
    wheel = next(wheels.glob("recbole-1.2.1-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(INSIDE) and name.endswith((".inter", ".item", ".user")):
                archive.extract(name, DATA)
    return target
