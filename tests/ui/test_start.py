"""Start page: agencies, rounds, opening an assessment and importing a response file."""

from __future__ import annotations

from scoring.response_frame import response_to_yaml
from storage import Store
from tests.ui.conftest import AGENCY, NATIONAL, create_draft, open_page, sample_response, texts
from ui import journey

START = "app_pages/start.py"


def test_slug_is_ascii_and_readable() -> None:
    assert journey.slugify("Ủy ban nhân dân xã Đắk Hà") == "uy_ban_nhan_dan_xa_dak_ha"
    assert journey.slugify("Sở Thông tin & Truyền thông — Đà Nẵng") == "so_thong_tin_truyen_thong_da_nang"
    assert len(journey.slugify("x" * 200)) == 64


def test_province_choices_are_the_34_provinces() -> None:
    choices = journey.province_choices()
    assert len(choices) == 34
    assert ("tinh_dak_lak", "Tỉnh Đắk Lắk") in choices
    assert all(pid.startswith("tinh_") for pid, _ in choices)


def test_build_agency_checks_the_form() -> None:
    assert journey.build_agency("", "ministry", None, None).problems == ["name_required"]
    assert journey.build_agency("Xã A", "commune", None, None).problems == ["province_required"]
    assert journey.build_agency("Xã A", "commune", "tinh_hue", "có dấu").problems == ["id_invalid"]
    province = journey.build_agency("UBND Tỉnh Gia Lai", "province", "tinh_gia_lai", "ignored").agency
    assert province is not None and province.id == "tinh_gia_lai" and province.province is None
    taken = {AGENCY.id: AGENCY}
    assert journey.build_agency("Xã khác", "commune", "tinh_hue", AGENCY.id, taken).problems == ["id_taken"]


def test_create_an_agency_and_start_a_round(store: Store, bundle) -> None:
    at = open_page(START)
    assert at.segmented_control(key="start_agency_mode").value == "new"  # no agencies yet
    at.text_input(key="start_new_name").set_value("Ủy ban nhân dân xã Đắk Hà")
    at.radio(key="start_new_type").set_value("commune").run()
    at.selectbox(key="start_new_province").set_value("tinh_dak_lak")
    at.button(key="start_add_agency").click().run()
    assert not at.exception
    agency = store.get_agency("uy_ban_nhan_dan_xa_dak_ha", NATIONAL)
    assert agency is not None
    assert (agency.name, agency.type, agency.province) == ("Ủy ban nhân dân xã Đắk Hà", "commune", "tinh_dak_lak")
    assert "Ủy ban nhân dân xã Đắk Hà" in texts(at)
    assert at.selectbox(key="start_agency").value == agency.id

    assert at.text_input(key="start_round").value == journey.default_round()
    at.button(key="start_new_round").click().run()
    assert not at.exception
    [info] = store.list_assessments(NATIONAL, agency_id=agency.id)
    assert (info.round, info.status, info.questionnaire_version) == (
        journey.default_round(), "draft", bundle.questionnaire.version)
    # The wizard opened on the new assessment.
    assert at.title[0].value == "Ủy ban nhân dân xã Đắk Hà"
    assert at.query_params["a"] in (str(info.id), [str(info.id)])


def test_a_commune_needs_its_province(store: Store) -> None:
    at = open_page(START)
    at.text_input(key="start_new_name").set_value("Xã Hòa Bình")
    at.button(key="start_add_agency").click().run()
    assert "Hãy chọn tỉnh, thành phố." in texts(at)
    assert store.list_agencies(NATIONAL) == []


def test_lists_assessments_with_progress_and_opens_one(store: Store, bundle) -> None:
    old = store.import_response(sample_response(bundle, round_="2025"), NATIONAL, "t", status="submitted")
    draft = create_draft(store, bundle, round_="2026")
    store.save_answer(draft, bundle.questionnaire.questions[0].id, 2, NATIONAL, "t")
    at = open_page(START)
    at.selectbox(key="start_agency").set_value(AGENCY.id).run()
    total = len(bundle.questionnaire.questions)
    progress_texts = [p.proto.text for p in at.get("progress")]
    assert f"Đã trả lời 1/{total} câu" in progress_texts
    assert f"Đã trả lời {old.answered_count}/{total} câu" in progress_texts
    at.button(key=f"start_open_{draft}").click().run()
    assert not at.exception
    assert at.title[0].value == AGENCY.name
    assert "Kỳ đánh giá 2026" in texts(at)


def test_new_round_can_be_prefilled_from_the_previous_round(store: Store, bundle) -> None:
    response = sample_response(bundle, round_="2025")
    store.import_response(response, NATIONAL, "t", status="submitted")
    at = open_page(START)
    at.selectbox(key="start_agency").set_value(AGENCY.id).run()
    at.text_input(key="start_round").set_value("2026").run()
    assert at.checkbox(key="start_prefill").value is True
    at.button(key="start_new_round").click().run()
    assert not at.exception
    [new] = store.list_assessments(NATIONAL, agency_id=AGENCY.id, round="2026")
    assert new.status == "draft"
    assert store.to_response(new.id, NATIONAL).answers == response.answers


def test_import_of_a_bad_file_reports_file_and_line_and_changes_nothing(store: Store, bundle) -> None:
    draft = create_draft(store, bundle)
    qid = bundle.questionnaire.questions[0].id
    store.save_answer(draft, qid, 2, NATIONAL, "t")
    before = store.load_answers(draft, NATIONAL)
    good = response_to_yaml(sample_response(bundle))
    broken_syntax = good.replace("answers:", "answers: [", 1).encode()
    outcome = journey.import_response_bytes(broken_syntax, "dak_ha.yaml", bundle, store, NATIONAL, "t")
    assert not outcome.ok and outcome.problems
    assert outcome.problems[0].startswith("dak_ha.yaml:")

    lines = good.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{qid}:"))
    lines[index] = f"  {qid}: 7"
    bad_value = ("\n".join(lines) + "\n").encode()
    outcome = journey.import_response_bytes(bad_value, "dak_ha.yaml", bundle, store, NATIONAL, "t")
    assert not outcome.ok
    assert any(p.startswith(f"dak_ha.yaml:{index + 1}:") and qid in p for p in outcome.problems), outcome.problems

    for raw in (b"\xff\xfe not utf-8", b"", b"- just\n- a list\n"):
        assert not journey.import_response_bytes(raw, "x.yaml", bundle, store, NATIONAL, "t").ok
    assert store.load_answers(draft, NATIONAL) == before
    assert len(store.list_assessments(NATIONAL)) == 1


def test_import_of_a_good_file_starts_or_continues_a_draft(store: Store, bundle) -> None:
    response = sample_response(bundle)
    outcome = journey.import_response_bytes(response_to_yaml(response).encode(), "a.yaml", bundle, store,
                                            NATIONAL, "t")
    assert outcome.ok and outcome.info is not None and outcome.info.status == "draft"
    assert store.to_response(outcome.info.id, NATIONAL).answers == response.answers

    # Continuing: a partial file updates its questions and keeps the others.
    first, second = bundle.questionnaire.questions[1].id, bundle.questionnaire.questions[2].id
    partial = response.model_copy(update={"answers": {first: 5}, "notes": {}})
    again = journey.import_response_bytes(response_to_yaml(partial).encode(), "b.yaml", bundle, store,
                                          NATIONAL, "t")
    assert again.ok and again.merged and again.info is not None and again.info.id == outcome.info.id
    answers = store.to_response(outcome.info.id, NATIONAL).answers
    assert answers[first] == 5 and answers[second] == response.answers[second]
    assert len(answers) == len(response.answers)

    # A submitted assessment is never overwritten.
    store.submit(outcome.info.id, NATIONAL, "t")
    refused = journey.import_response_bytes(response_to_yaml(partial).encode(), "c.yaml", bundle, store,
                                            NATIONAL, "t")
    assert not refused.ok and refused.refusal == "submitted"
    assert store.to_response(outcome.info.id, NATIONAL).answers == answers


def test_upload_widget_shows_problems_and_opens_a_good_file(store: Store, bundle) -> None:
    at = open_page(START)
    at.file_uploader(key="start_import").set_value(("bad.yaml", b"questionnaire: dmm-vn\nanswers: [\n",
                                                     "application/x-yaml")).run()
    assert not at.exception
    assert "Tệp không hợp lệ" in texts(at)
    assert any("bad.yaml:" in c.value for c in at.code)
    assert store.list_agencies(NATIONAL) == []

    good = response_to_yaml(sample_response(bundle)).encode()
    at.file_uploader(key="start_import").set_value(("dak_ha.yaml", good, "application/x-yaml")).run()
    assert not at.exception
    [info] = store.list_assessments(NATIONAL)
    assert info.status == "draft"
    assert at.title[0].value == AGENCY.name  # the imported draft is open in the wizard
    assert "Đã nhập tệp dak_ha.yaml" in texts(at)
