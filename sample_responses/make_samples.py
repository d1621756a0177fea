"""Write the 2.x sample responses, the bulk CSV and the README: `python sample_responses/make_samples.py`.

Written from the statements, not from bands: each agency's story sets a level per dimension; a level question is
answered with the level whose statement fits (with a seeded lift on some questions), and each percentage is the
number the statement of the level question it belongs to names (`STATEMENT_OF`: the rubric's per-question band
uses exactly the stated number, see scoring/rubrics/dmm-vn-2/standard.yaml). A commune whose province runs a
platform for it answers `provided` on the providable questions instead of N/A. Each story's claims (level,
targets met, indicators) are data (`Claims`), written into the README and checked by tests/core/test_samples_v2.py
against the computed results. Deterministic: the same code always writes the same bytes.
The 1.0.0 samples stay in v1/ for rounds answered on 1.0.0.
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring import agency_result, load_bundle, parse_response, response_to_yaml, responses_frame, score  # noqa: E402
from scoring.answers import PROVIDED  # noqa: E402
from scoring.schemas.response import Response  # noqa: E402

VERSION = "2.0.0"
BULK_CSV = HERE / "bulk" / "bulk.csv"
README = HERE / "README.md"
DIMENSIONS = [
    "governance", "architecture", "quality", "sharing", "open_data",
    "security", "records", "analytics", "people", "platforms",
]  # fmt: skip

# Each percentage and the level question whose statements name its number (the rubric's band for the percentage
# uses the stated numbers). A percentage without an entry follows its dimension's level through the rubric's band.
STATEMENT_OF = {
    "records.digitised_share": "records.digitisation",
    "records.e_signature_share": "records.document_workflow",
    "records.online_services_share": "records.online_services",
    "records.satisfaction_share": "records.user_feedback",
    "governance.reporting_connected_share": "analytics.reporting_and_tasks",
    "analytics.tasks_monitored_share": "analytics.reporting_and_tasks",
    "analytics.ai_units_share": "analytics.ai_operations",
    "analytics.proactive_ai_services_share": "analytics.proactive_services",
    "people.basic_skills_share": "people.digital_skills",
    "people.advanced_skills_share": "people.digital_skills",
    "people.data_certificate_share": "people.data_certificates",
    "people.leaders_expertise_share": "people.leadership",
    "platforms.shared_platforms_share": "platforms.shared_platforms",
    "open_data.published_share": "open_data.publication",
}
# A percentage that must be 0 while a level question is below a level (open data: no approved list, nothing counts).
ZERO_BELOW = {"open_data.published_share": ("open_data.plan", 3)}


@dataclass(frozen=True)
class Claims:
    """What a story says about its computed result (None: says nothing)."""

    level: int | None  # official overall level; None = not rated
    met: dict[str, bool] = field(default_factory=dict)  # per target year
    light: dict[str, str] = field(default_factory=dict)
    indicators_all_met: dict[str, bool] = field(default_factory=dict)  # per year: every indicator of that year met
    dimensions: dict[str, int] = field(default_factory=dict)  # levels of the dimensions the story names


@dataclass
class Round:
    base: dict[str, int]
    claims: Claims
    overrides: dict[str, object] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Sample:
    id: str
    name: str
    type: str
    province: str | None
    rounds: dict[str, Round]
    demonstrates: str
    lift: float = 0.25
    steady: tuple[str, ...] = ()
    provided: tuple[str, ...] = ()  # providable questions the province provides ("*": all of them)


def base(default: int, **levels: int) -> dict[str, int]:
    return {d: levels.get(d, default) for d in DIMENSIONS}


PROVINCE_RUNS_IT = "*"

SAMPLES: list[Sample] = [
    # --- ministries ---------------------------------------------------------------------------------------
    Sample(
        id="bo_tai_chinh", name="Bộ Tài chính", type="ministry", province=None,
        demonstrates="Meets 2027 and 2030: level 4 everywhere, level 5 in four dimensions; every indicator met.",
        rounds={"2026": Round(
            base=base(4, sharing=5, security=5, records=5, platforms=5),
            claims=Claims(4, {"2027": True, "2030": True}, {"2030": "GREEN"}, {"2027": True, "2030": True}),
            notes={"governance.strategy": {"evidence": "Quyết định số 1150/QĐ-BTC ngày 25/4/2025 ban hành Chiến lược "
                                                        "dữ liệu ngành Tài chính đến năm 2030"}},
        )},
    ),
    Sample(
        id="bo_y_te", name="Bộ Y tế", type="ministry", province=None,
        demonstrates="Weakest dimension: level 4 or 5 everywhere except security at 2, so the agency is level 2.",
        steady=("security",),
        rounds={"2026": Round(
            base=base(4, sharing=5, records=5, analytics=5, security=2),
            claims=Claims(2, {"2027": False, "2030": False}, {"2027": "YELLOW", "2030": "RED"}, {}, {"security": 2}),
            notes={"security.system_levels": {"evidence": "Mới có 4/11 hệ thống được phê duyệt cấp độ an toàn hệ "
                                                          "thống thông tin (Báo cáo số 210/BC-CNTT ngày 10/01/2026)"}},
        )},
    ),
    Sample(
        id="bo_tu_phap", name="Bộ Tư pháp", type="ministry", province=None,
        demonstrates="Meets the 2027 level (3 everywhere), not 2030; some 2027 indicators are still short of 100 %.",
        rounds={"2026": Round(
            base=base(3, governance=4, records=4),
            claims=Claims(3, {"2027": True, "2030": False}, {"2027": "GREEN"}, {"2027": False}),
            notes={"governance.data_roles": {"evidence": "Quyết định số 1327/QĐ-BTP phân công chủ quản từng cơ sở "
                                                         "dữ liệu (hộ tịch, lý lịch tư pháp, ...)"}},
        )},
    ),
    Sample(
        id="bo_khoa_hoc_va_cong_nghe", name="Bộ Khoa học và Công nghệ", type="ministry", province=None,
        demonstrates="Level 5 in analytics and platforms, yet level 3: strengths do not lift the weakest dimension.",
        rounds={"2026": Round(
            base=base(3, analytics=5, platforms=5, architecture=4, people=4),
            claims=Claims(3, {"2027": True, "2030": False}, {}, {}, {"analytics": 5, "platforms": 5}),
        )},
    ),
    Sample(
        id="bo_giao_duc_va_dao_tao", name="Bộ Giáo dục và Đào tạo", type="ministry", province=None,
        demonstrates="Two readings differ: average above 3 but gated level 2, because single answers at 1 cap four "
        "dimensions at 2.",
        rounds={"2026": Round(
            base=base(4, governance=3, open_data=3, people=3, analytics=3),
            claims=Claims(2, {"2027": False}, {"2027": "YELLOW"}),
            overrides={"quality.measurement": 1, "open_data.licence": 1, "security.logging_monitoring": 1,
                       "architecture.metadata": 1},
        )},
    ),
    Sample(
        id="bo_nong_nghiep_va_moi_truong", name="Bộ Nông nghiệp và Môi trường", type="ministry", province=None,
        demonstrates="\"Don't know\" on three of the five analytics questions: analytics is not rated, nor the agency.",
        rounds={"2026": Round(
            base=base(3),
            claims=Claims(None, {"2027": False}, {"2027": "RED"}),
            overrides={"analytics.dashboards": "dont_know", "analytics.ai_operations": "dont_know",
                       "analytics.ai_governance": "dont_know", "analytics.ai_units_share": "dont_know"},
            notes={"analytics.ai_units_share": {"evidence": "Chưa tổng hợp được số liệu từ các cục, vụ sau khi hợp "
                                                            "nhất hai bộ (2025)"}},
        )},
    ),
    # --- provinces ----------------------------------------------------------------------------------------
    Sample(
        id="tinh_da_nang", name="UBND thành phố Đà Nẵng", type="province", province=None,
        demonstrates="Meets 2027 and 2030: level 4 everywhere, 5 in records, sharing and platforms; indicators met.",
        rounds={"2026": Round(
            base=base(4, records=5, sharing=5, platforms=5),
            claims=Claims(4, {"2027": True, "2030": True}, {}, {"2027": True, "2030": True}),
            notes={"analytics.operations_centre": {"evidence": "Trung tâm Giám sát, điều hành đô thị thông minh "
                                                               "(IOC) vận hành từ 2019"}},
        )},
    ),
    Sample(
        id="tinh_ha_noi", name="UBND thành phố Hà Nội", type="province", province=None,
        demonstrates="Meets the 2027 level, level 4 in four dimensions: one level short of 2030 elsewhere.",
        rounds={"2026": Round(
            base=base(3, governance=4, sharing=4, records=4, platforms=4),
            claims=Claims(3, {"2027": True, "2030": False}, {"2030": "YELLOW"}),
        )},
    ),
    Sample(
        id="tinh_lam_dong", name="UBND tỉnh Lâm Đồng", type="province", province=None,
        demonstrates="Two rounds: level 2 in 2025, level 3 in 2026 (meets the 2027 level after one year of work).",
        rounds={
            "2025": Round(base=base(2, governance=3, records=3), claims=Claims(2, {"2027": False}, {"2027": "YELLOW"})),
            "2026": Round(base=base(3, governance=4, records=4), claims=Claims(3, {"2027": True})),
        },
    ),
    Sample(
        id="tinh_quang_ngai", name="UBND tỉnh Quảng Ngãi", type="province", province=None,
        demonstrates="Level 2: one level below 2027 (YELLOW), stronger in records, governance and sharing.",
        rounds={"2026": Round(base=base(2, governance=3, records=3, sharing=3),
                              claims=Claims(2, {"2027": False}, {"2027": "YELLOW"}))},
    ),
    Sample(
        id="tinh_dien_bien", name="UBND tỉnh Điện Biên", type="province", province=None,
        demonstrates="Level 1: open data and analytics at 1 keep it two levels below 2027 (RED).",
        rounds={"2026": Round(base=base(2, open_data=1, analytics=1),
                              claims=Claims(1, {"2027": False}, {"2027": "RED"}, {},
                                            {"open_data": 1, "analytics": 1}))},
    ),
    # --- communes and wards -------------------------------------------------------------------------------
    Sample(
        id="phuong_ben_thanh", name="UBND phường Bến Thành", type="commune", province="tinh_ho_chi_minh",
        demonstrates="A ward meeting the 2027 level; what the city runs for it (IOC, hosting, operations, the "
        "data-sharing platform) is answered \"provided\", not N/A.",
        provided=("analytics.operations_centre", "platforms.hosting", "platforms.operations",
                  "sharing.platform_connection"),
        rounds={"2026": Round(base=base(3, records=4),
                              claims=Claims(3, {"2027": True, "2030": False}, {"2027": "GREEN"}))},
    ),
    Sample(
        id="phuong_hoa_khanh", name="UBND phường Hòa Khánh", type="commune", province="tinh_da_nang",
        demonstrates="Two rounds: level 1 in 2025 (open data and analytics at 1), level 2 in 2026.",
        provided=("platforms.hosting",),
        rounds={
            "2025": Round(base=base(2, open_data=1, analytics=1),
                          claims=Claims(1, {"2027": False}, {"2027": "RED"}, {}, {"open_data": 1, "analytics": 1})),
            "2026": Round(base=base(2, governance=3, records=3), claims=Claims(2, {"2027": False}, {"2027": "YELLOW"})),
        },
    ),
    Sample(
        id="phuong_hong_gai", name="UBND phường Hồng Gai", type="commune", province="tinh_quang_ninh",
        demonstrates="A ward at level 2, one level below 2027 (YELLOW).",
        rounds={"2026": Round(base=base(2, records=3, people=3),
                              claims=Claims(2, {"2027": False}, {"2027": "YELLOW"}))},
    ),
    Sample(
        id="xa_dak_ha", name="UBND xã Đắk Hà", type="commune", province="tinh_quang_ngai",
        demonstrates="Level 1: quality at 1. No own systems: every providable question is answered \"provided\" "
        "(the province's platforms count as level 3), and questions on own systems are not asked of a commune.",
        provided=(PROVINCE_RUNS_IT,),
        rounds={"2026": Round(base=base(2, quality=1),
                              claims=Claims(1, {"2027": False}, {"2027": "RED"}, {}, {"quality": 1}))},
    ),
    Sample(
        id="xa_muong_nhe", name="UBND xã Mường Nhé", type="commune", province="tinh_dien_bien",
        demonstrates="A remote commune mostly at level 1; the province provides its platforms (\"provided\").",
        lift=0.15,
        provided=(PROVINCE_RUNS_IT,),
        rounds={"2026": Round(base=base(1, records=2), claims=Claims(1, {"2027": False}, {"2027": "RED"}))},
    ),
]  # fmt: skip


def band_range(bundle, question_id: str, level: int) -> tuple[float, float]:
    """The percentages the statement of `level` names: the rubric's band for that level (the top band for a level
    no percentage can show)."""
    question = bundle.questionnaire.question(question_id)
    rubric = bundle.rubric
    bands = sorted(rubric.numeric_bands_by_question.get(question_id, rubric.numeric_bands), key=lambda b: b.min)
    usable = [b for b in bands if b.level <= level] or bands[:1]
    band = usable[-1]
    following = [b.min for b in bands if b.min > band.min]
    high = following[0] - 1 if following else question.high
    return band.min, max(band.min, high)


def number_for(bundle, question_id: str, level: int, position: float) -> int:
    low, high = band_range(bundle, question_id, level)
    return math.floor(low + (high - low) * position + 0.5)


def claimed_level(value: object, provided_level: int) -> int | None:
    if value == PROVIDED:
        return provided_level
    return value if isinstance(value, int) else None


def build_answers(bundle, sample: Sample, round_: Round) -> dict[str, object]:
    rng = random.Random(sample.id)
    answers: dict[str, object] = {}
    positions: dict[str, float] = {}
    for dimension in bundle.questionnaire.dimensions:
        level = round_.base[dimension.id]
        for question in dimension.questions:
            lift_draw, positions[question.id] = rng.random(), rng.random()
            if not question.applies(sample.type) or question.kind == "numeric":
                continue
            if question.providable and sample.type == "commune" and (
                PROVINCE_RUNS_IT in sample.provided or question.id in sample.provided
            ):
                answers[question.id] = PROVIDED
            elif dimension.id in sample.steady:
                answers[question.id] = level
            else:
                answers[question.id] = min(5, level + (lift_draw < sample.lift))
    answers.update({k: v for k, v in round_.overrides.items() if not k.endswith("_share")})
    provided_level = bundle.rubric.provided_level or 3
    for dimension in bundle.questionnaire.dimensions:
        for question in dimension.questions:
            if question.kind != "numeric" or not question.applies(sample.type):
                continue
            linked = STATEMENT_OF.get(question.id)
            level = claimed_level(answers.get(linked), provided_level) if linked else round_.base[dimension.id]
            if level is None:  # the statement it belongs to is not known: neither is the number
                answers[question.id] = "dont_know"
                continue
            answers[question.id] = number_for(bundle, question.id, level, positions[question.id])
            zero = ZERO_BELOW.get(question.id)
            if zero and (claimed_level(answers.get(zero[0]), provided_level) or 0) < zero[1]:
                answers[question.id] = 0
    answers.update({k: v for k, v in round_.overrides.items() if k.endswith("_share")})
    return {q.id: answers[q.id] for q in bundle.questionnaire.questions if q.id in answers}


def build_responses(bundle) -> list[tuple[Sample, Response, str]]:
    built = []
    for sample in SAMPLES:
        for round_id, round_ in sample.rounds.items():
            agency = {"id": sample.id, "name": sample.name, "type": sample.type}
            if sample.province:
                agency["province"] = sample.province
            data = {
                "questionnaire": bundle.questionnaire.id,
                "version": bundle.questionnaire.version,
                "agency": agency,
                "round": round_id,
                "answers": build_answers(bundle, sample, round_),
                "notes": round_.notes,
            }
            text = response_to_yaml(Response.model_validate(data))
            header = (
                f"# Sample response (fictional data for training): {sample.name}, round {round_id}.\n"
                f"# {sample.demonstrates}\n"
                "# Generated by sample_responses/make_samples.py; edit that script, not this file.\n"
            )
            name = f"{sample.id}_{round_id}.yaml"
            response = parse_response((header + text).encode("utf-8"), name, bundle)  # raises when invalid
            built.append((sample, response, header + text))
    return built


def _level_text(value) -> str:
    return "not rated" if value is None else str(value)


def claims_text(claims: Claims) -> str:
    parts = [f"level {_level_text(claims.level)}"]
    parts += [f"{year} {'met' if met else 'not met'}" for year, met in claims.met.items()]
    parts += [f"{year} {light}" for year, light in claims.light.items()]
    parts += [
        f"{year} indicators {'all met' if ok else 'not all met'}" for year, ok in claims.indicators_all_met.items()
    ]
    parts += [f"{dimension} at {level}" for dimension, level in claims.dimensions.items()]
    return "; ".join(parts)


def readme_text(bundle, lenient, built) -> str:
    responses = [response for _, response, _ in built]
    frame = responses_frame(responses)
    result = score(frame, bundle)
    lenient_result = score(frame, lenient)
    rows, level_rows = [], []
    for sample, response, _ in built:
        r = agency_result(result, sample.id, response.round)
        lr = agency_result(lenient_result, sample.id, response.round)
        targets = " / ".join(
            f"{y}: {'met' if r.targets[y].met else 'not met'} ({r.targets[y].light}), indicators "
            f"{sum(i.met for i in r.targets[y].indicators)}/{len(r.targets[y].indicators)}"
            for y in bundle.years
        )
        score_text = "—" if r.overall_score is None else f"{r.overall_score:.2f}"
        claims = claims_text(sample.rounds[response.round].claims)
        rows.append(
            f"| `{sample.id}_{response.round}.yaml` | {sample.name} | {sample.type} | {response.round} "
            f"| **{_level_text(r.overall_level)}** | {score_text} | {_level_text(r.overall_continuous_level)} "
            f"| {_level_text(lr.overall_level)} | {targets} | {sample.demonstrates} (Claims: {claims}.) |"
        )
        cells = " | ".join(_level_text(r.dimensions[d].level) for d in DIMENSIONS)
        level_rows.append(f"| {sample.id} | {response.round} | {cells} |")
    dim_header = " | ".join(DIMENSIONS)
    return f"""# Sample agency responses, questionnaire {bundle.questionnaire.version} / Phiếu tự đánh giá mẫu

Fictional self-assessments of Vietnamese public agencies for training and demos (document numbers in
the evidence notes are illustrative). Each file is one agency and one round; `bulk/bulk.csv` holds the
same answers as one long CSV for coordinators. The 1.0.0 samples are in `v1/` (rounds answered on 1.0.0).

Dữ liệu mẫu (hư cấu) dùng cho tập huấn; các phiếu theo phiên bản 1.0.0 nằm trong thư mục `v1/`.

```
python -m scoring validate sample_responses/
python -m scoring --questionnaire-version 2.0.0 validate sample_responses/bulk/bulk.csv   # a CSV does not say its version
python -m scoring score sample_responses/ --format table
python -m scoring --rubric lenient score sample_responses/ --format table
```

How they are written: every level answer is the level whose statement fits the agency's story, and each
percentage is the number named by the statement of the level question it belongs to (for example
`records.digitised_share` is at least 80 % exactly when `records.digitisation` is at level 3 or above).
Communes answer "provided" where the province's shared platform does the work. In questionnaire 2.0.0
the percentages are indicators reported beside the level (compared with their own 2027/2030 targets);
they do not enter the level. Each story's *claims* are checked against the computed result by
`tests/core/test_samples_v2.py`. Regenerate with `python sample_responses/make_samples.py`.

## Agencies and results (standard rubric)

| File | Agency / Cơ quan | Type | Round | Overall level | Score | Continuous level | Lenient | Targets | Demonstrates |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## Level of each dimension (standard rubric)

| Agency | Round | {dim_header} |
|---|---|{"---|" * len(DIMENSIONS)}
{chr(10).join(level_rows)}
"""


def main() -> None:
    bundle = load_bundle("dmm-vn", VERSION)
    lenient = load_bundle("dmm-vn", VERSION, rubric="lenient")
    built = build_responses(bundle)
    for old in HERE.glob("*.yaml"):
        old.unlink()
    for sample, response, text in built:
        (HERE / f"{sample.id}_{response.round}.yaml").write_text(text, encoding="utf-8")
    BULK_CSV.parent.mkdir(exist_ok=True)
    frame = responses_frame([response for _, response, _ in built])
    BULK_CSV.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    README.write_text(readme_text(bundle, lenient, built), encoding="utf-8")
    print(f"wrote {len(built)} responses, {BULK_CSV.relative_to(ROOT)} ({len(frame)} rows) and README.md")


if __name__ == "__main__":
    main()
