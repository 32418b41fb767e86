"""A MovieLens release fetched from GroupLens (`MOVIELENS_BASE_URL`) into the data dir: resumed
after an interruption, checked against the published MD5 where GroupLens publishes one (size and
zip integrity otherwise), unpacked once and reused after that."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.failures import CommandError

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("nexus.cli")

RELEASES = ("ml-latest-small", "ml-100k", "ml-1m")
DEFAULT_RELEASE = "ml-latest-small"
COMPLETE = ".nexus-complete"  # written last: the folder beside it is whole
CHUNK = 256 * 1024
Progress = Callable[[str, int, int], None]


def fetch_release(name: str, base_url: str, dest: Path, progress: Progress) -> Path:
    """The unpacked release's folder under `dest`, downloading only what is not there yet."""
    import httpx  # here: every command's parser is built at start, `nexus serve`'s too

    folder = dest / name
    if (folder / COMPLETE).is_file():
        log.info("using %s, downloaded before, in %s", name, folder)
        return folder
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"--dest: cannot create {dest} ({error.strerror})") from None
    url = f"{base_url.rstrip('/')}/{name}.zip"
    archive = dest / f"{name}.zip"
    try:
        with httpx.Client(timeout=httpx.Timeout(30, connect=10), follow_redirects=True) as http:
            checksum = published_md5(http, f"{url}.md5")
            if not archive.is_file():
                download(http, url, archive, progress)
    except (httpx.ConnectError, httpx.ConnectTimeout) as error:
        raise CommandError(
            f"cannot reach {url} ({error or type(error).__name__}); offline? "
            f"fetch {name}.zip another way, unzip it and run `nexus import-movielens DIR`"
        ) from None
    except httpx.TransportError as error:
        raise CommandError(
            f"the download of {url} broke off ({error or type(error).__name__}); "
            "run the same command again to resume it"
        ) from None
    verify(archive, checksum)
    unpack(archive, dest, name)
    return folder


def published_md5(http: httpx.Client, url: str) -> str | None:
    """GroupLens publishes `NAME.zip.md5` beside some releases; None where it does not."""
    response = http.get(url)
    if response.status_code != 200:
        return None
    found = re.search(r"\b[0-9a-fA-F]{32}\b", response.text)
    return found.group(0).lower() if found else None


def download(http: httpx.Client, url: str, archive: Path, progress: Progress) -> None:
    """Into `NAME.zip.part`, continuing a part left by an interrupted run (a Range request);
    renamed to `NAME.zip` only once every byte is in."""
    part = archive.with_name(archive.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    # Byte offsets must be the file's own: no transfer compression.
    headers = {"Accept-Encoding": "identity"} | ({"Range": f"bytes={have}-"} if have else {})
    with http.stream("GET", url, headers=headers) as response:
        if response.status_code == 416:  # the part already holds every byte
            part.rename(archive)
            return
        if response.status_code == 404:
            raise CommandError(f"{url}: no such release (404)")
        if response.status_code not in (200, 206):
            raise CommandError(f"{url}: the server answered {response.status_code}")
        if response.status_code == 200:
            have = 0  # the server restarts from the beginning: so do we
        length = int(response.headers.get("Content-Length", 0))
        total = have + length if length else 0
        if have:
            log.info("resuming the download at %d of %d bytes", have, total)
        with part.open("ab" if have else "wb") as out:
            for chunk in response.iter_raw():  # as it arrives: a break keeps what came
                out.write(chunk)
                have += len(chunk)
                if total:
                    progress("download", have, total)
    if total and have != total:
        raise CommandError(f"{url}: the download stopped at {have} of {total} bytes; run again")
    part.rename(archive)


def verify(archive: Path, checksum: str | None) -> None:
    """A bad archive is deleted, so the next run downloads it afresh."""
    problem = None
    if checksum is not None:
        digest = hashlib.md5(usedforsecurity=False)
        with archive.open("rb") as data:
            for block in iter(lambda: data.read(CHUNK), b""):
                digest.update(block)
        if digest.hexdigest() != checksum:
            problem = f"its MD5 {digest.hexdigest()} is not the published {checksum}"
    if problem is None:
        try:
            with zipfile.ZipFile(archive) as release:
                broken = release.testzip()
            if broken is not None:
                problem = f"{broken} is corrupt"
        except zipfile.BadZipFile as error:
            problem = f"not a zip archive ({error})"
    if problem is not None:
        archive.unlink()
        raise CommandError(f"{archive.name}: {problem}; deleted it, run again to download afresh")


def unpack(archive: Path, dest: Path, name: str) -> None:
    """Into `dest/NAME`, through a scratch folder so a half-unpacked release is never used."""
    scratch = dest / f".{name}.unpacking"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    with zipfile.ZipFile(archive) as release:
        root = scratch.resolve()
        for member in release.namelist():
            if not (root / member).resolve().is_relative_to(root):
                raise CommandError(f"{archive.name}: refuses to unpack {member!r} outside {dest}")
        release.extractall(scratch)
    inner = scratch / name
    folder = dest / name
    shutil.rmtree(folder, ignore_errors=True)
    (inner if inner.is_dir() else scratch).rename(folder)
    shutil.rmtree(scratch, ignore_errors=True)
    (folder / COMPLETE).write_text(f"{archive.name}\n")
