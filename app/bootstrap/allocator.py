"""glibc's allocator, set for a long-running server process and the workers it starts.

By default glibc gives each thread that allocates its own arena (up to 8 per core) and raises
its threshold for returning large blocks to the system as they are freed. A worker's thread pool
(password hashes, blocking calls) then leaves memory behind in arenas nobody uses again: measured
on the side-by-side benchmark, a worker grew from 157 to 218 MiB after signing users up and
rating, and stays at about 166 MiB with two arenas and a fixed 1 MiB threshold (blocks that large
are mapped on their own and given back when freed). The throughput did not move.

A value the operator sets in the environment wins. Elsewhere than glibc (macOS, musl) this does
nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import MutableMapping
from functools import cache

SETTINGS = {  # glibc's environment variable: (its mallopt parameter, our value)
    "MALLOC_ARENA_MAX": (-8, 2),
    "MALLOC_MMAP_THRESHOLD_": (-3, 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": (-1, 1024 * 1024),
}


def tune_allocator(environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Set this process's allocator (`mallopt`) and its future children's (their environment,
    read by glibc when they start). Returns the names it set; none where glibc is absent."""
    libc = _glibc()
    if libc is None:
        return []
    applied = []
    for name, (parameter, value) in SETTINGS.items():
        if name in environ:
            continue  # the operator's value, already read by glibc when this process started
        if libc.mallopt(parameter, value) == 1:
            environ[name] = str(value)
            applied.append(name)
    return applied


@cache
def _glibc() -> ctypes.CDLL | None:
    """This process's C library when it is glibc (with `mallopt` and `malloc_trim`), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018  (present on glibc only)
        libc.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        libc.mallopt.restype = ctypes.c_int
        libc.malloc_trim.argtypes = (ctypes.c_size_t,)
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return libc


def release_free_memory() -> bool:
    """Hands the allocator's free pages back to the system (`malloc_trim`, well under a
    millisecond): after work whose transient buffers would otherwise stay resident in the arenas
    (warming up, a model load, a password hash) and once a minute. False where glibc is absent."""
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
