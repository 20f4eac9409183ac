"""Per-notice floors: the team's scorer on every notice with answers, field by field, so that no
change quietly loses a notice while the total rises.  Each floor is the figure score.py gave
when it was last raised (rounded down); raise a floor when a change lifts a notice."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.outputs.record import write_json
from tests.corpus import DISTRICT, GOLD, GOLD_TEXTS, notice_of, score

FIELDS = ("meta", "tasks", "deadlines", "parties", "roles", "lead", "targets")
FLOORS: dict[str, tuple[float, ...]] = {
    # notice: meta, tasks, deadlines, parties, roles, lead, targets
    "dongjiang_2024_food_safety_points": (1.00, 1.00, 1.00, 0.97, 1.00, 1.00, 1.00),
    "hd01_guowuyuan_anwei_2024_zhiben": (1.00, 1.00, 1.00, 0.89, 0.92, 0.94, 1.00),
    "hd02_nea_2021_dongchun_huozai": (1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00),
    "hd05_shandong_2024_luanfa1_xiaofang": (1.00, 1.00, 1.00, 0.97, 1.00, 1.00, 1.00),
    "hd06_taian_lvkaiqu_2024_yinhuan": (1.00, 1.00, 1.00, 0.96, 1.00, 1.00, 1.00),
    "hd07_nhc_2024_weijian_zhiben": (1.00, 1.00, 1.00, 0.96, 1.00, 1.00, 1.00),
    "hd12_guobanfa_2019_3_youeryuan_zhili": (1.00, 1.00, 1.00, 0.95, 1.00, 0.97, 1.00),
    "hd14_guobanfa_1996_2_dizhenju_fangzhen_jianzai": (1.00, 0.95, 1.00, 0.91, 1.00, 0.82, 1.00),
    "hd15_guobanfa_1997_2_dizhenju_fangzhen_jianzai": (1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00),
    "jinshan_2021_safety_resources_points": (1.00, 1.00, 1.00, 0.95, 1.00, 1.00, 1.00),
    "qingpu_2025_safety_plan": (1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00),
}  # fmt: skip


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    out = tmp_path_factory.mktemp("records")
    for path in [*GOLD_TEXTS, DISTRICT / "dongjiang_2024_food_safety_points.txt"]:
        write_json(notice_of(path), out)
    docs: dict[str, Any] = {**score(out, GOLD)["docs"], **score(out, DISTRICT)["docs"]}
    return docs


def test_every_notice_with_answers_has_a_floor() -> None:
    assert {p.stem for p in GOLD.glob("*.json")} | {"dongjiang_2024_food_safety_points"} == set(FLOORS)


@pytest.mark.parametrize("notice", sorted(FLOORS))
def test_no_notice_falls_below_its_floor(notice: str, scores: dict[str, dict[str, float]]) -> None:
    got = scores[notice]
    below = {f: (got[f], floor) for f, floor in zip(FIELDS, FLOORS[notice], strict=True) if got[f] < floor}
    assert below == {}
