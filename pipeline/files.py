"""Writing outputs so that a crash or Ctrl-C never leaves a half-written file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, flush it to disk, then rename it into place."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to; once the block ends without an error, the
    file is flushed to disk and renamed onto `target`, else removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; an output is not
        yield temporary
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def keep_backup(target: Path, now: dt.datetime | None = None) -> None:
    """Move an existing workbook aside as `<stem>.<time>.bak.xlsx`: a re-run never overwrites one."""
    if target.exists():
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        target.rename(_free(target.with_name(f"{target.stem}.{stamp}.bak.xlsx")))


def _free(path: Path) -> Path:
    """`path`, or the first `name-2`, `name-3` … that does not exist yet: a backup never overwrites."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name.removesuffix('.bak.xlsx')}-{n}.bak.xlsx")
    return candidate
