"""Write the 1.0.0 sample responses, the bulk CSV and the README table: `python sample_responses/v1/make_samples.py`.

Deterministic: the same code always writes the same bytes (each agency's small variations come
from a `random.Random` seeded with its id), so the committed files are this script's output.
Every file is read back through `scoring.parse_response` and scored with the standard rubric
before anything is written; the README table is filled from that score.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring import (  # noqa: E402
    agency_result,
    load_bundle,
    parse_response,
    response_to_yaml,
    responses_frame,
    score,
)
from scoring.schemas.response import Response  # noqa: E402

BULK_CSV = HERE / "bulk" / "bulk.csv"
README = HERE / "README.md"
DIMENSIONS = [
    "governance",
    "architecture",
    "quality",
    "sharing",
    "open_data",
    "security",
    "records",
    "analytics",
    "people",
    "platforms",
]

# Where a percentage sits inside each level's band of the standard rubric (low, high), so that a
# numeric answer always tells the same story as the level answers of its dimension.
GENERIC_RANGES = {1: (6, 20), 2: (30, 45), 3: (55, 75), 4: (82, 93), 5: (96, 100)}
RANGES_BY_QUESTION = {
    "records.satisfaction_share": {1: (45, 55), 2: (62, 76), 3: (81, 88), 4: (91, 96), 5: (97, 99)},
    "people.leaders_expertise_share": {1: (0, 4), 2: (5, 9), 3: (12, 22), 4: (26, 36), 5: (40, 50)},
}


@dataclass
class Round:
    base: dict[str, int]  # level of each dimension before the agency's small variations
    overrides: dict[str, object] = field(default_factory=dict)  # exact answers for named questions
    notes: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Sample:
    id: str
    name: str
    type: str
    province: str | None
    rounds: dict[str, Round]
    demonstrates: str
    lift: float = 0.25  # chance that a level question sits one level above its dimension's base
    steady: tuple[str, ...] = ()  # dimensions kept exactly at their base (no variation)


def base(default: int, **levels: int) -> dict[str, int]:
    return {d: levels.get(d, default) for d in DIMENSIONS}


NO_OWN_SYSTEMS = (
    "Xã không có hệ thống thông tin riêng; dùng Hệ thống thông tin giải quyết thủ tục hành chính "
    "và các nền tảng dùng chung của tỉnh / The commune runs no information system of its own."
)

SAMPLES: list[Sample] = [
    # --- ministries ---------------------------------------------------------------------------
    Sample(
        id="bo_tai_chinh",
        name="Bộ Tài chính",
        type="ministry",
        province=None,
        demonstrates="Meets the 2030 target: level 4 in every dimension, level 5 in four.",
        rounds={
            "2026": Round(
                base=base(4, sharing=5, security=5, records=5, platforms=5),
                overrides={
                    "records.online_services_share": 100,
                    "records.e_signature_share": 100,
                    "records.digitised_share": 100,
                    "records.reused_share": 96,
                    "sharing.collect_once_share": 100,
                    "sharing.connected_systems_share": 100,
                    "platforms.shared_platforms_share": 100,
                    "governance.reporting_connected_share": 100,
                    "records.satisfaction_share": 97.5,
                },
                notes={
                    "governance.strategy": {
                        "evidence": "Quyết định số 1150/QĐ-BTC ngày 25/4/2025 ban hành Chiến lược dữ liệu "
                        "ngành Tài chính đến năm 2030"
                    },
                    "security.system_levels": {
                        "evidence": "100% hệ thống có hồ sơ cấp độ được phê duyệt; "
                        "danh mục tại Công văn số 4021/BTC-CĐS"
                    },
                    "open_data.portal": {"evidence": "https://data.gov.vn"},
                },
            )
        },
    ),
    Sample(
        id="bo_y_te",
        name="Bộ Y tế",
        type="ministry",
        province=None,
        demonstrates=(
            "Weakest-dimension rule: level 4 or 5 everywhere except security at 2, so the "
            "agency is level 2; its continuous score is above 4."
        ),
        steady=("security",),
        rounds={
            "2026": Round(
                base=base(4, sharing=5, records=5, analytics=5, security=2),
                overrides={
                    "records.online_services_share": 100,
                    "records.digitised_share": 98,
                    "sharing.connected_systems_share": 100,
                    "security.cyber_plans_share": 36,
                },
                notes={
                    "security.system_levels": {
                        "evidence": "Mới có 4/11 hệ thống được phê duyệt hồ sơ cấp độ "
                        "(Báo cáo số 210/BC-CNTT ngày 10/01/2026)"
                    },
                    "security.incident_response": {
                        "evidence": "Phương án ứng cứu sự cố chưa được diễn tập từ năm 2023"
                    },
                    "sharing.platform_connection": {
                        "evidence": "Kết nối NDXP: Cơ sở dữ liệu tiêm chủng, Hồ sơ sức khỏe điện tử"
                    },
                },
            )
        },
    ),
    Sample(
        id="bo_tu_phap",
        name="Bộ Tư pháp",
        type="ministry",
        province=None,
        demonstrates="Meets the 2027 target (level 3 everywhere) but not 2030; evidence notes with document numbers.",
        rounds={
            "2026": Round(
                base=base(3, governance=4, records=4),
                overrides={"records.online_services_share": 100, "records.e_signature_share": 100},
                notes={
                    "governance.strategy": {
                        "evidence": "Quyết định số 512/QĐ-BTP ngày 20/3/2025 ban hành Kế hoạch quản trị dữ liệu"
                    },
                    "governance.data_owners": {
                        "evidence": "Quyết định số 1327/QĐ-BTP phân công chủ quản từng cơ sở dữ liệu "
                        "(hộ tịch, lý lịch tư pháp, ...)"
                    },
                    "architecture.data_catalogue": {"evidence": "Danh mục cơ sở dữ liệu của Bộ, cập nhật 12/2025"},
                    "records.online_services": {"evidence": "https://dichvucong.gov.vn"},
                },
            )
        },
    ),
    Sample(
        id="bo_khoa_hoc_va_cong_nghe",
        name="Bộ Khoa học và Công nghệ",
        type="ministry",
        province=None,
        demonstrates=(
            "Level 5 in analytics and platforms, yet level 3 overall: strengths elsewhere do "
            "not lift the weakest dimension. Meets 2027, not 2030."
        ),
        rounds={
            "2026": Round(
                base=base(3, analytics=5, platforms=5, architecture=4, people=4),
                overrides={"analytics.proactive_ai_services_share": 96, "analytics.ai_units_share": 100},
                notes={
                    "analytics.ai_operations": {
                        "evidence": "Trợ lý ảo AI hỗ trợ chỉ đạo, điều hành triển khai tại 100% đơn vị"
                    },
                },
            )
        },
    ),
    Sample(
        id="bo_giao_duc_va_dao_tao",
        name="Bộ Giáo dục và Đào tạo",
        type="ministry",
        province=None,
        demonstrates=(
            "Two readings differ: continuous score above 3 (continuous level 3, and level 3 "
            "with the lenient rubric) but gated level 2, because single answers at 1 cap four "
            "dimensions at 2."
        ),
        rounds={
            "2026": Round(
                base=base(4, governance=3, open_data=3, people=3, analytics=3),
                overrides={
                    "quality.measurement": 1,
                    "open_data.licence": 1,
                    "security.logging_monitoring": 1,
                    "platforms.disaster_recovery": 1,
                },
                notes={
                    "platforms.disaster_recovery": {
                        "evidence": "Chưa có phương án dự phòng thảm họa cho Cơ sở dữ liệu ngành giáo dục"
                    },
                },
            )
        },
    ),
    Sample(
        id="bo_nong_nghiep_va_moi_truong",
        name="Bộ Nông nghiệp và Môi trường",
        type="ministry",
        province=None,
        demonstrates=(
            'Many "don\'t know" answers in analytics: fewer than half answered, so analytics '
            "is not rated and neither is the agency (no overall level)."
        ),
        rounds={
            "2026": Round(
                base=base(3),
                overrides={
                    "analytics.operations_centre": "dont_know",
                    "analytics.real_time_data": "dont_know",
                    "analytics.ai_operations": "dont_know",
                    "analytics.proactive_services": "dont_know",
                    "analytics.ai_governance": "dont_know",
                    "analytics.proactive_ai_services_share": "dont_know",
                    "analytics.ai_units_share": "dont_know",
                    "open_data.reuse": "dont_know",
                },
                notes={
                    "analytics.ai_units_share": {
                        "evidence": "Chưa tổng hợp được số liệu từ các cục, vụ sau khi hợp nhất hai bộ (2025)"
                    },
                    "governance.governance_body": {
                        "evidence": "Quyết định số 88/QĐ-BNNMT thành lập Ban chỉ đạo chuyển đổi số"
                    },
                },
            )
        },
    ),
    # --- provinces and centrally-run cities ---------------------------------------------------------
    Sample(
        id="tinh_da_nang",
        name="UBND thành phố Đà Nẵng",
        type="province",
        province=None,
        demonstrates="Meets the 2030 target: level 4 everywhere and level 5 in records, sharing and platforms.",
        rounds={
            "2026": Round(
                base=base(4, records=5, sharing=5, platforms=5),
                overrides={
                    "records.online_services_share": 100,
                    "records.digitised_share": 100,
                    "records.e_signature_share": 100,
                    "sharing.connected_systems_share": 100,
                    "platforms.shared_platforms_share": 100,
                },
                notes={
                    "analytics.operations_centre": {
                        "evidence": "Trung tâm Giám sát, điều hành đô thị thông minh (IOC) vận hành từ 2019"
                    },
                    "open_data.portal": {"evidence": "https://opendata.danang.gov.vn"},
                },
            )
        },
    ),
    Sample(
        id="tinh_ha_noi",
        name="UBND thành phố Hà Nội",
        type="province",
        province=None,
        demonstrates="Meets 2027 (level 3 everywhere), level 4 in four dimensions: one level short of 2030 elsewhere.",
        rounds={
            "2026": Round(
                base=base(3, governance=4, sharing=4, records=4, platforms=4),
                notes={
                    "sharing.platform_connection": {
                        "evidence": "LGSP thành phố kết nối NDXP; 38 hệ thống chia sẻ dữ liệu"
                    },
                },
            )
        },
    ),
    Sample(
        id="tinh_lam_dong",
        name="UBND tỉnh Lâm Đồng",
        type="province",
        province=None,
        demonstrates="Two rounds: level 2 in 2025, level 3 in 2026 (meets 2027 after one year of work).",
        rounds={
            "2025": Round(base=base(2, governance=3, records=3)),
            "2026": Round(
                base=base(3, governance=4, records=4),
                notes={
                    "governance.strategy": {
                        "evidence": "Kế hoạch số 45/KH-UBND ngày 15/02/2026 về quản trị dữ liệu của tỉnh sau sắp xếp"
                    },
                },
            ),
        },
    ),
    Sample(
        id="tinh_quang_ngai",
        name="UBND tỉnh Quảng Ngãi",
        type="province",
        province=None,
        demonstrates="Level 2: below the 2027 target by one level (YELLOW), stronger in records and governance.",
        rounds={"2026": Round(base=base(2, governance=3, records=3, sharing=3))},
    ),
    Sample(
        id="tinh_dien_bien",
        name="UBND tỉnh Điện Biên",
        type="province",
        province=None,
        demonstrates="Level 1: open data and analytics at 1 keep it two levels below 2027 (RED).",
        rounds={"2026": Round(base=base(2, open_data=1, analytics=1))},
    ),
    # --- communes and wards -------------------------------------------------------------------
    Sample(
        id="phuong_ben_thanh",
        name="UBND phường Bến Thành",
        type="commune",
        province="tinh_ho_chi_minh",
        demonstrates="A ward meeting 2027 (level 3 everywhere); N/A with reasons for what the city runs.",
        rounds={
            "2026": Round(
                base=base(3, records=4),
                overrides={"sharing.connected_systems_share": "na", "analytics.operations_centre": "na"},
                notes={
                    "sharing.connected_systems_share": {"na_reason": NO_OWN_SYSTEMS},
                    "analytics.operations_centre": {
                        "na_reason": "Phường dùng Trung tâm điều hành thông minh (IOC) của Thành phố / "
                        "The ward uses the city's IOC.",
                    },
                    "records.online_services": {"evidence": "https://dichvucong.hochiminhcity.gov.vn"},
                },
            )
        },
    ),
    Sample(
        id="phuong_hoa_khanh",
        name="UBND phường Hòa Khánh",
        type="commune",
        province="tinh_da_nang",
        demonstrates="Two rounds: level 1 in 2025 (open data and analytics at 1), level 2 in 2026.",
        rounds={
            "2025": Round(
                base=base(2, open_data=1, analytics=1),
                overrides={"sharing.connected_systems_share": "na", "platforms.hosting": "na"},
                notes={
                    "sharing.connected_systems_share": {"na_reason": NO_OWN_SYSTEMS},
                    "platforms.hosting": {"na_reason": "Hạ tầng do thành phố quản lý / Hosting is run by the city."},
                },
            ),
            "2026": Round(
                base=base(2, governance=3, records=3),
                overrides={"sharing.connected_systems_share": "na", "platforms.hosting": "na"},
                notes={
                    "sharing.connected_systems_share": {"na_reason": NO_OWN_SYSTEMS},
                    "platforms.hosting": {"na_reason": "Hạ tầng do thành phố quản lý / Hosting is run by the city."},
                    "open_data.plan": {"evidence": "Kế hoạch số 12/KH-UBND ngày 05/3/2026 về dữ liệu mở của phường"},
                },
            ),
        },
    ),
    Sample(
        id="phuong_hong_gai",
        name="UBND phường Hồng Gai",
        type="commune",
        province="tinh_quang_ninh",
        demonstrates="A ward at level 2, one level below 2027 (YELLOW).",
        rounds={"2026": Round(base=base(2, records=3, people=3))},
    ),
    Sample(
        id="xa_dak_ha",
        name="UBND xã Đắk Hà",
        type="commune",
        province="tinh_quang_ngai",
        demonstrates="Level 1: mostly level 2 but quality and open data at 1; no own information systems (N/A).",
        rounds={
            "2026": Round(
                base=base(2, quality=1, open_data=1),
                overrides={"sharing.connected_systems_share": "na"},
                notes={"sharing.connected_systems_share": {"na_reason": NO_OWN_SYSTEMS}},
            )
        },
    ),
    Sample(
        id="xa_muong_nhe",
        name="UBND xã Mường Nhé",
        type="commune",
        province="tinh_dien_bien",
        demonstrates="A remote commune mostly at level 1, with N/A (and reasons) for systems it does not run.",
        lift=0.15,
        rounds={
            "2026": Round(
                base=base(1, records=2),
                overrides={
                    "sharing.connected_systems_share": "na",
                    "security.cyber_plans_share": "na",
                    "platforms.hosting": "na",
                    "people.basic_skills_share": 35,
                },
                notes={
                    "sharing.connected_systems_share": {"na_reason": NO_OWN_SYSTEMS},
                    "security.cyber_plans_share": {"na_reason": NO_OWN_SYSTEMS},
                    "platforms.hosting": {
                        "na_reason": "Xã không quản lý máy chủ, trung tâm dữ liệu / No servers of its own."
                    },
                    "records.digitisation": {
                        "evidence": "Số hóa hồ sơ trên Hệ thống thông tin giải quyết TTHC tỉnh Điện Biên"
                    },
                },
            )
        },
    ),
]


def numeric_value(question_id: str, level: int, position: float) -> int:
    low, high = RANGES_BY_QUESTION.get(question_id, GENERIC_RANGES)[level]
    return round(low + (high - low) * position)


def build_answers(bundle, sample: Sample, round_: Round) -> dict[str, object]:
    """Each dimension's base level, with a seeded lift on some level questions, then the overrides.

    The same seed for every round of an agency: a question lifted in 2025 is lifted in 2026 too,
    so a later round with higher bases never goes backwards on any question.
    """
    rng = random.Random(sample.id)
    answers: dict[str, object] = {}
    for dimension in bundle.questionnaire.dimensions:
        level = round_.base[dimension.id]
        for question in dimension.questions:
            lift_draw, position = rng.random(), rng.random()
            if question.kind == "numeric":
                answers[question.id] = numeric_value(question.id, level, position)
            elif dimension.id in sample.steady:
                answers[question.id] = level
            else:
                answers[question.id] = min(5, level + (lift_draw < sample.lift))
    for question_id, value in round_.overrides.items():
        if question_id not in answers:
            raise KeyError(f"{sample.id}: unknown question {question_id}")
        answers[question_id] = value
    return answers


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
                "# Generated by sample_responses/v1/make_samples.py; edit that script, not this file.\n"
            )
            name = f"{sample.id}_{round_id}.yaml"
            response = parse_response((header + text).encode("utf-8"), name, bundle)  # raises when invalid
            built.append((sample, response, header + text))
    return built


def _level_text(value) -> str:
    return "not rated" if value is None else str(value)


def readme_text(bundle, lenient, built) -> str:
    responses = [response for _, response, _ in built]
    frame = responses_frame(responses)
    result = score(frame, bundle)
    lenient_result = score(frame, lenient)
    rows = []
    level_rows = []
    for sample, response, _ in built:
        r = agency_result(result, sample.id, response.round)
        lr = agency_result(lenient_result, sample.id, response.round)
        targets = " / ".join(
            f"{year}: {'met' if r.targets[year].met else 'not met'} ({r.targets[year].light})" for year in bundle.years
        )
        score_text = "—" if r.overall_score is None else f"{r.overall_score:.2f}"
        rows.append(
            f"| `{sample.id}_{response.round}.yaml` | {sample.name} | {sample.type} | {response.round} "
            f"| **{_level_text(r.overall_level)}** | {score_text} | {_level_text(r.overall_continuous_level)} "
            f"| {_level_text(lr.overall_level)} | {targets} | {sample.demonstrates} |"
        )
        cells = " | ".join(_level_text(r.dimensions[d].level) for d in DIMENSIONS)
        level_rows.append(f"| {sample.id} | {response.round} | {cells} |")
    dim_header = " | ".join(DIMENSIONS)
    return f"""# Sample agency responses / Phiếu tự đánh giá mẫu

Fictional self-assessments of Vietnamese public agencies for training and demos (the document
numbers in the evidence notes are illustrative). Each file is one agency and one round, in the
format of `python -m scoring template`; `bulk/bulk.csv` holds exactly the same answers as one long
CSV for coordinators (columns `agency_id,agency_name,agency_type,province,round,question_id,answer,na_reason,evidence`).

Dữ liệu mẫu (hư cấu) dùng cho tập huấn: mỗi tệp là phiếu tự đánh giá của một cơ quan trong một đợt;
`bulk/bulk.csv` chứa cùng dữ liệu ở dạng CSV dài dành cho cán bộ điều phối.

```
python -m scoring validate sample_responses/v1/         # the YAML files
python -m scoring validate sample_responses/v1/bulk/bulk.csv
python -m scoring score sample_responses/v1/ --format table
python -m scoring --rubric lenient score sample_responses/v1/ --format table
python -m scoring score sample_responses/v1/bulk/bulk.csv --format json
```

The CSV sits in its own folder because loading a folder that holds both the YAML files and the CSV
would read every assessment twice (the loader then reports "given more than once").
Regenerate everything with `python sample_responses/v1/make_samples.py` (deterministic).

## Agencies and results (standard rubric)

*Overall level* is the official (gated) level of the standard rubric: a dimension reaches level N
when at least 80 % of its question weight is at N or above and no answer is more than one level
below N; the agency's level is its weakest dimension. *Score* is the weighted mean of the answer
points (1–5) and *continuous level* the level that score reaches (2.0 / 3.0 / 4.0 / 4.75).
*Lenient* is the official level under `--rubric lenient` (average-based). Targets are those of
Decision 2629/QĐ-TTg: 2027 needs level 3 in every dimension, 2030 level 4.

| File | Agency / Cơ quan | Type | Round | Overall level | Score | Continuous level | Lenient | Targets | Demonstrates |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## Level of each dimension (standard rubric)

| Agency | Round | {dim_header} |
|---|---|{"---|" * len(DIMENSIONS)}
{chr(10).join(level_rows)}

## Points for trainers

- **Weakest dimension** — `bo_y_te` (Bộ Y tế) is level 4 or 5 in nine dimensions, but security is
  at 2, so the agency is level 2 and misses 2027. Compare `bo_khoa_hoc_va_cong_nghe`: level 5 in
  analytics and platforms does not make up for dimensions at 3.
- **Gated versus continuous** — `bo_giao_duc_va_dao_tao` averages above 3 (continuous level 3, and
  level 3 with the lenient rubric), but one answer at 1 in quality, open data, security and
  platforms is two levels below 3, which caps those dimensions at 2: gated level 2.
- **Not rated** — `bo_nong_nghiep_va_moi_truong` answered "don't know" to 7 of the 9 analytics
  questions; the rubric rates a dimension only when at least half of its applicable questions are
  answered, so analytics has no level and the agency has no overall level until it answers.
- **N/A with a reason** — communes that run no information system of their own mark
  `sharing.connected_systems_share` (and for `xa_muong_nhe` also `security.cyber_plans_share` and
  `platforms.hosting`) as `na`; an N/A answer leaves the question out of the denominator.
- **Progress** — `tinh_lam_dong` (2 → 3) and `phuong_hoa_khanh` (1 → 2) answered in 2025 and 2026.
- **Another rubric, same answers** — under `--rubric lenient` (average-based, lower percentage
  bands) `bo_y_te` is level 4, `bo_tai_chinh` level 5, and every level-1 agency except `xa_muong_nhe`
  reaches level 2.
"""


def main() -> None:
    bundle = load_bundle()
    lenient = load_bundle(rubric="lenient")
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
