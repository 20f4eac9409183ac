"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

Calls = Callable[[ModuleType, str], list[Path]]


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """`calls(module, name)`: the paths the module's function `name` is called with from then on,
    in order (it still does its work): which workbooks a batch reads back."""

    def record(module: ModuleType, name: str) -> list[Path]:
        original, seen = getattr(module, name), []

        def recorded(path: Path) -> Any:
            seen.append(path)
            return original(path)

        monkeypatch.setattr(module, name, recorded)
        return seen

    return record
