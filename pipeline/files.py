"""Files: their names as people read them, and outputs written so that a crash or Ctrl-C
never leaves a half-written file.

A name on Linux is bytes, and not always UTF-8: files unzipped from a Chinese Windows machine
have GBK names, which Python carries as lone surrogates (surrogateescape) that no UTF-8 text
(a JSON record, the store, a workbook, the log) can hold.  Paths keep their bytes for reading
and writing; what is stored or shown is `readable(path)`, and a log or terminal line takes
text through `one_line`.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_NAME_ENCODINGS = ("utf-8", "gb18030")  # GB18030 covers GBK and GB2312
_BREAKS_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def readable(path: os.PathLike[str] | str) -> str:
    """The path as valid Unicode: each part of it read as UTF-8, else as GB18030, else with the
    bytes that are neither escaped (\\xb9).  The same bytes always give the same text (though a
    GBK name reads as the UTF-8 name of the same characters does)."""
    parts = os.fsencode(path).split(b"/")
    return "/".join(_readable_part(part) for part in parts)


def on_disk(path: Path) -> Path:
    """The file a path kept as `readable` text names (the store keeps paths so): the path itself
    where it exists, else the one whose every part reads as the path's does (a GBK name's bytes);
    the path as given where there is none."""
    if path.exists():
        return path
    found = Path(path.anchor)
    for part in path.parts[1:] if path.anchor else path.parts:
        if not (found / part).exists():
            try:
                names = os.listdir(os.fsencode(found))
            except OSError:
                return path
            match = next((name for name in names if _readable_part(name) == part), None)
            if match is None:
                return path
            part = os.fsdecode(match)
        found = found / part
    return found


def _readable_part(name: bytes) -> str:
    for encoding in _NAME_ENCODINGS:
        try:
            return name.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name.decode("utf-8", "backslashreplace")


def one_line(text: str) -> str:
    """`text` as one line of valid Unicode, for a log or a terminal: control characters and line
    separators (a newline in a file name, which could forge a line) escaped (\\n), and so is a
    byte that was not UTF-8 (\\xb9)."""
    return _BREAKS_A_LINE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return ascii(match.group())[1:-1]


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, flush it to disk, then rename it into place."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to; once the block ends without an error, the
    file is flushed to disk and renamed onto `target`, else removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        temporary = Path(name)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; an output is not
        yield temporary
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and str(error.filename or "").startswith(str(target.parent / f".{target.name}.")):
            error.filename = str(target)  # the user knows the output, not its temporary name
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


BACKUPS = "backups"  # the subfolder of an output folder where replaced workbooks are kept


def keep_backup(target: Path, now: dt.datetime | None = None) -> None:
    """Move an existing workbook aside as `backups/<stem>.<time>.bak.xlsx`: a re-run never
    overwrites one (the caller moves only a workbook that holds an analyst's work)."""
    if target.exists():
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        folder = target.parent / BACKUPS
        folder.mkdir(exist_ok=True)
        target.rename(_free(folder / f"{target.stem}.{stamp}.bak.xlsx"))


def latest_backup(target: Path) -> Path | None:
    """The newest backup `keep_backup` made of a workbook, if any."""
    folder = target.parent / BACKUPS
    kept = folder.glob(f"{glob.escape(target.stem)}.*.bak.xlsx") if folder.is_dir() else iter(())
    return max(kept, key=lambda path: path.stat().st_mtime_ns, default=None)


def _free(path: Path) -> Path:
    """`path`, or the first `name-2`, `name-3` … that does not exist yet: a backup never overwrites."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name.removesuffix('.bak.xlsx')}-{n}.bak.xlsx")
    return candidate


Stamp = tuple[int, int, int, int]  # size, modification time (ns), inode, status-change time (ns)


def stamp(path: Path) -> Stamp | None:
    """What tells a file unchanged since it was last read: size and modification time, and the
    inode and status-change time, which a copy put in its place (`cp -p`, a restore) or a change of
    permissions alters even where the first two stay; None when it is no regular file."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns) if stat.S_ISREG(info.st_mode) else None
