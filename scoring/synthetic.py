"""A synthetic national population of agencies and their answers, for demos and benchmarks.

Shaped like Vietnam's two-level government: about 30 ministries and central agencies, 34
provinces and 3,321 communes and wards, answered over several rounds with realistic progress and
spread. Vectorised with numpy: 100,000 agencies take a few seconds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring.content import Bundle
from scoring.schemas.base import AGENCY_TYPES
from scoring.schemas.questionnaire import Question

PROVINCES = [
    ("ha_noi", "Thành phố Hà Nội"),
    ("hue", "Thành phố Huế"),
    ("lai_chau", "Tỉnh Lai Châu"),
    ("dien_bien", "Tỉnh Điện Biên"),
    ("son_la", "Tỉnh Sơn La"),
    ("lang_son", "Tỉnh Lạng Sơn"),
    ("quang_ninh", "Tỉnh Quảng Ninh"),
    ("thanh_hoa", "Tỉnh Thanh Hóa"),
    ("nghe_an", "Tỉnh Nghệ An"),
    ("ha_tinh", "Tỉnh Hà Tĩnh"),
    ("cao_bang", "Tỉnh Cao Bằng"),
    ("tuyen_quang", "Tỉnh Tuyên Quang"),
    ("lao_cai", "Tỉnh Lào Cai"),
    ("thai_nguyen", "Tỉnh Thái Nguyên"),
    ("phu_tho", "Tỉnh Phú Thọ"),
    ("bac_ninh", "Tỉnh Bắc Ninh"),
    ("hung_yen", "Tỉnh Hưng Yên"),
    ("hai_phong", "Thành phố Hải Phòng"),
    ("ninh_binh", "Tỉnh Ninh Bình"),
    ("quang_tri", "Tỉnh Quảng Trị"),
    ("da_nang", "Thành phố Đà Nẵng"),
    ("quang_ngai", "Tỉnh Quảng Ngãi"),
    ("gia_lai", "Tỉnh Gia Lai"),
    ("khanh_hoa", "Tỉnh Khánh Hòa"),
    ("lam_dong", "Tỉnh Lâm Đồng"),
    ("dak_lak", "Tỉnh Đắk Lắk"),
    ("ho_chi_minh", "Thành phố Hồ Chí Minh"),
    ("dong_nai", "Tỉnh Đồng Nai"),
    ("tay_ninh", "Tỉnh Tây Ninh"),
    ("can_tho", "Thành phố Cần Thơ"),
    ("vinh_long", "Tỉnh Vĩnh Long"),
    ("dong_thap", "Tỉnh Đồng Tháp"),
    ("ca_mau", "Tỉnh Cà Mau"),
    ("an_giang", "Tỉnh An Giang"),
]
MINISTRIES = [
    "Bộ Công an",
    "Bộ Quốc phòng",
    "Bộ Ngoại giao",
    "Bộ Nội vụ",
    "Bộ Tư pháp",
    "Bộ Tài chính",
    "Bộ Công Thương",
    "Bộ Nông nghiệp và Môi trường",
    "Bộ Xây dựng",
    "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Khoa học và Công nghệ",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Y tế",
    "Bộ Dân tộc và Tôn giáo",
    "Ngân hàng Nhà nước Việt Nam",
    "Thanh tra Chính phủ",
    "Văn phòng Chính phủ",
    "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao",
    "Kiểm toán nhà nước",
    "Văn phòng Quốc hội",
    "Văn phòng Chủ tịch nước",
    "Đài Truyền hình Việt Nam",
    "Đài Tiếng nói Việt Nam",
    "Thông tấn xã Việt Nam",
    "Viện Hàn lâm Khoa học xã hội Việt Nam",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    "Bảo hiểm xã hội Việt Nam",
    "Đại học Quốc gia Hà Nội",
    "Đại học Quốc gia Thành phố Hồ Chí Minh",
]
NATIONAL_COMMUNES = 3321
PROVIDED_SHARE = 0.6  # communes whose province's shared platform does what a providable question asks
# A level-3 statement that demands "every/all" right after a level-2 "at least one" (model 1.0's calibration).
_ALL = re.compile(r"\b(every|all)\b", re.IGNORECASE)
_SOME = re.compile(r"\b(at least one|some|one or more|individual)\b", re.IGNORECASE)
TYPE_BASE = {"ministry": 2.9, "province": 2.6, "commune": 1.9}
ROUND_PROGRESS = 0.45  # levels gained per round on average


def _short_province_name(name: str) -> str:
    """'Thành phố Hồ Chí Minh' -> 'Hồ Chí Minh', 'Tỉnh Lâm Đồng' -> 'Lâm Đồng'."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def national_population(total: int | None = None, seed: int = 2629) -> pd.DataFrame:
    """Agencies (agency_id, agency_name, agency_type, province): the national shape, or scaled to `total`."""
    communes = NATIONAL_COMMUNES if total is None else max(total - len(MINISTRIES) - len(PROVINCES), 0)
    rng = np.random.default_rng(seed)
    province_ids = np.array([p for p, _ in PROVINCES], dtype=object)
    province_names = dict(PROVINCES)
    # Larger provinces have more communes: weights from a fixed random draw keep it repeatable.
    weights = rng.uniform(0.5, 1.5, len(PROVINCES))
    commune_province = rng.choice(province_ids, size=communes, p=weights / weights.sum())
    number = np.arange(1, communes + 1)
    kind = np.where(number % 5 == 0, "Phường", "Xã")
    commune_names = [
        f"{k} số {n} ({_short_province_name(province_names[p])})"
        for k, n, p in zip(kind, number, commune_province, strict=True)
    ]
    frames = [
        pd.DataFrame(
            {
                "agency_id": [f"bo_{i:02d}" for i in range(1, len(MINISTRIES) + 1)],
                "agency_name": MINISTRIES,
                "agency_type": "ministry",
                "province": None,
            }
        ),
        pd.DataFrame(
            {
                "agency_id": [f"tinh_{p}" for p, _ in PROVINCES],
                "agency_name": [f"UBND {name}" for _, name in PROVINCES],
                "agency_type": "province",
                "province": None,
            }
        ),
        pd.DataFrame(
            {
                "agency_id": [f"xa_{n:06d}" for n in number],
                "agency_name": commune_names,
                "agency_type": "commune",
                "province": [f"tinh_{p}" for p in commune_province],
            }
        ),
    ]
    population = pd.concat(frames, ignore_index=True)
    return population.head(total) if total is not None else population


def strict_level_three(question: Question) -> bool:
    """True when the level-3 statement asks for every/all right after a level-2 'at least one' (no level for
    partial coverage): an agency with partial coverage then answers 2."""
    if question.kind != "level":
        return False
    return bool(_ALL.search(question.option(3).statement.en) and _SOME.search(question.option(2).statement.en))


def synthetic_answers(
    agencies: pd.DataFrame,
    bundle: Bundle,
    rounds: int = 1,
    seed: int = 2629,
    first_round: int = 2025,
    statement_strictness: bool = False,
) -> pd.DataFrame:
    """A long answer frame: every agency answers every question asked of its type, in each round, with progress.

    The same agencies and seed give the same underlying maturity (agency base, dimension offsets, pace) whatever
    the questionnaire version, so versions can be compared fairly. A commune answers `provided` on a providable
    question when its province's platform does the work (PROVIDED_SHARE of communes, fixed per commune and
    question). With `statement_strictness`, a question whose level 3 demands every/all (see strict_level_three)
    needs half a level more maturity: what the wording asks, not what the agency does, moves the answer.
    """
    rng = np.random.default_rng(seed)
    table = bundle.question_table
    n_agencies, n_questions, n_dims = len(agencies), len(table), len(bundle.dimension_ids)
    base = agencies["agency_type"].map(TYPE_BASE).to_numpy(dtype=float) + rng.normal(0, 0.6, n_agencies)
    dim_offset = rng.normal(0, 0.45, (n_agencies, n_dims))
    pace = np.clip(rng.normal(ROUND_PROGRESS, 0.25, n_agencies), 0, None)
    question_dim = table["dimension_index"].to_numpy()
    numeric = (table["kind"] == "numeric").to_numpy()
    questions = bundle.questionnaire.questions
    strictness = np.array([0.5 * strict_level_three(q) for q in questions]) if statement_strictness else 0.0
    types = agencies["agency_type"].to_numpy()
    asked = np.ones((n_agencies, n_questions), dtype=bool)
    for t in AGENCY_TYPES:
        asked[types == t] = table[f"asked_{t}"].to_numpy(dtype=bool)
    extra = np.random.default_rng(seed + 1)  # its own stream: the draws above stay as they were
    provided = (
        (types == "commune")[:, None]
        & table["providable"].to_numpy(dtype=bool)[None, :]
        & (extra.random((n_agencies, n_questions)) < PROVIDED_SHARE)
    )
    ids = agencies["agency_id"].to_numpy()
    question_ids = table.index.to_numpy()
    frames = []
    for r in range(rounds):
        latent = (
            (base + pace * r)[:, None] + dim_offset[:, question_dim] + rng.normal(0, 0.55, (n_agencies, n_questions))
        )
        levels = np.clip(np.rint(latent - strictness), 1, 5).astype(int)
        percent = np.clip(np.rint(100 / (1 + np.exp(-(latent - 2.8) * 1.4))), 0, 100).astype(int)
        # Answers as codes into a small vocabulary: "1".."100" (levels share "1".."5"), then na, dont_know.
        codes = np.where(numeric[None, :], percent, levels)
        special = rng.random((n_agencies, n_questions))
        codes[special < 0.01] = 101
        codes[(special >= 0.01) & (special < 0.03)] = 102
        codes[provided] = 103
        keep = asked.ravel()  # a question not asked of the agency's type has no row
        frames.append(
            pd.DataFrame(
                {
                    "agency_position": np.repeat(np.arange(n_agencies), n_questions)[keep],
                    "round": r,
                    "question_position": np.tile(np.arange(n_questions), n_agencies)[keep],
                    "answer_code": codes.ravel()[keep],
                }
            )
        )
    long = pd.concat(frames, ignore_index=True)
    # Categoricals: a national long frame repeats the same few strings millions of times.
    vocabulary = [str(v) for v in range(0, 101)] + ["na", "dont_know", "provided"]
    position = long["agency_position"].to_numpy()
    answer = pd.Categorical.from_codes(long["answer_code"].to_numpy(), vocabulary)
    round_names = [str(first_round + r) for r in range(rounds)]  # sorted, as pd.Categorical would sort them

    def per_agency(column: str) -> pd.Categorical:
        """An agency column spread to the answer rows by codes (not 750,000 strings hashed again)."""
        codes, categories = pd.factorize(agencies[column].to_numpy(), sort=True)
        return pd.Categorical.from_codes(codes[position], categories)

    return pd.DataFrame(
        {
            "agency_id": pd.Categorical.from_codes(position, ids),
            "agency_name": per_agency("agency_name"),
            "agency_type": per_agency("agency_type"),
            "province": per_agency("province"),
            "round": pd.Categorical.from_codes(long["round"].to_numpy(), round_names),
            "question_id": pd.Categorical.from_codes(long["question_position"].to_numpy(), question_ids),
            "answer": answer,
            "na_reason": pd.Categorical.from_codes(
                np.where(long["answer_code"].to_numpy() == 101, 0, -1), ["Không thuộc phạm vi quản lý"]
            ),
        }
    )
