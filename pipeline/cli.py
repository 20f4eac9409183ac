"""The `gongwen` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import InputError
from pipeline.process import export, process


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongwen", description="Chinese government notices → task records.")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="extract notices: <stem>.json and <stem>.xlsx for each")
    extract.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract.add_argument("-o", "--out", type=Path, default=Path("data/out"), help="output folder (data/out)")
    extract.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    args = parser.parse_args(argv)
    return extract_files(args.files, args.out, debug=args.debug)


def extract_files(files: Sequence[Path], out_dir: Path, debug: bool = False) -> int:
    """Extract each file; a file that fails is reported in one line and the others go on."""
    failed = 0
    for path in files:
        try:
            notice = process(path)
            written = export(notice, out_dir)
        except InputError as error:
            failed += 1
            print(f"{path}: {error}", file=sys.stderr)
        except Exception as error:  # one bad file never stops the rest
            if debug:
                raise
            failed += 1
            print(f"{path}: internal error ({type(error).__name__}: {error})", file=sys.stderr)
        else:
            print(f"{path} → {', '.join(str(p) for p in written)} ({len(notice.tasks)} tasks)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
