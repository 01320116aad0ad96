"""Bad input into every form's service: 收件登记 (validate_case / create_case), 送达地址, 立案审查, 审理程序.

Each submission is either saved — every stored text clean (no control characters) and within its column
(what PostgreSQL enforces) — or refused with Chinese messages naming the fields, and nothing written.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import String, func, select

from baihe_desk.errors import KnownError, PermissionDenied, ValidationErrors
from baihe_desk.models import AuditRecord, Case, PartyKind, PartyRole, Procedure
from baihe_desk.models.review import Answer, ReviewOutcome
from baihe_desk.models.service_address import (
    AddressSource,
    ServedDocument,
    ServiceAddress,
    ServiceAttempt,
    ServiceMethod,
    ServiceResult,
)
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.services.filing import causes, intake
from baihe_desk.services.filing import complaint_review as cr
from baihe_desk.services.filing import service_address as sa
from baihe_desk.services.filing.intake import AgentInput, CaseInput, PartyInput
from baihe_desk.services.filing.procedure import set_procedure
from tests.reliability.factories import COURT_CODE, case_input, make_case
from tests.reliability.form_outcomes import Tally, kept, table_counts
from tests.reliability.nasty import UNSHOWABLE, assert_calm, examples, nasty_text
from tests.reliability.test_bad_input_calculators import amounts

CAUSE_NAMES = [c.name for c in causes.selectable()][:40]
texts = nasty_text(30)
dates = st.one_of(st.none(), st.dates(date(1, 1, 1), date(9999, 12, 31)),
                  st.dates(today_local() - timedelta(days=400), today_local() + timedelta(days=30)))
agents = st.builds(AgentInput, name=texts, agent_type=texts, id_number=texts, phone=texts, organisation=texts,
                   license_number=texts, special_authority=st.booleans(), authority_detail=texts)
parties = st.builds(
    PartyInput, role=st.sampled_from(list(PartyRole)), kind=st.sampled_from(list(PartyKind)), name=texts,
    sex=st.one_of(st.sampled_from(["", "男", "女"]), texts), birth_date=dates, ethnicity=texts, occupation=texts,
    work_unit=texts, id_number=texts, credit_code=texts, legal_rep_name=texts, legal_rep_title=texts,
    legal_rep_is_principal=st.booleans(), domicile=texts, postcode=texts, phone=texts,
    agents=st.lists(agents, max_size=2))
case_inputs = st.builds(
    CaseInput, cause_code=st.one_of(st.just(""), texts, st.sampled_from([c.code for c in causes.selectable()][:40])),
    cause_name=st.one_of(texts, st.sampled_from(CAUSE_NAMES)), procedure=st.one_of(st.none(), st.sampled_from(
        list(Procedure))), claim_amount=amounts, claims=st.one_of(texts, st.just("请求判令被告偿还借款")), facts=texts,
    received_on=dates, parties=st.lists(parties, max_size=4))


PARTY_FIELDS = ["name", "sex", "ethnicity", "occupation", "work_unit", "id_number", "credit_code", "legal_rep_name",
                "legal_rep_title", "domicile", "postcode", "phone"]
AGENT_FIELDS = ["name", "agent_type", "id_number", "phone", "organisation", "license_number", "authority_detail"]


def _mutated(seed: int, changes: list[tuple[str, int, str, str]]) -> CaseInput:
    """A valid complaint with some fields replaced by hostile text (so the save path sees them too)."""
    data = case_input(seed, parties=3)
    data.parties[0].agents = [AgentInput(name="赵喆", phone="13943300000")]
    for where, i, field, text in changes:
        if where == "case":
            setattr(data, {"a": "claims", "b": "facts", "c": "claim_amount", "d": "cause_name"}[field[0]], text)
        elif where == "party":
            setattr(data.parties[i % 3], field, text)
        else:
            setattr(data.parties[0].agents[0], field, text)
    return data


change = st.one_of(
    st.tuples(st.just("case"), st.just(0), st.sampled_from("abcd"), texts),
    st.tuples(st.just("party"), st.integers(0, 2), st.sampled_from(PARTY_FIELDS), texts),
    st.tuples(st.just("agent"), st.just(0), st.sampled_from(AGENT_FIELDS), texts))
mutated_inputs = st.builds(_mutated, st.integers(0, 10**6), st.lists(change, min_size=1, max_size=3))


ADDRESSES = st.sampled_from(["吉林省安图县二道白河镇白山大街8号", "吉林省延边朝鲜族自治州安图县松江镇长白路1号",
                             "长白山保护区池北区美人松路19号 3单元 502室"])


def maybe(hostile, plain: str):  # type: ignore[no-untyped-def]
    """Hostile text or what a clerk would type, half and half (``st.one_of`` would flatten the hostile
    strategy's own branches and make the plain value rare)."""
    return st.booleans().flatmap(lambda plain_one: st.just(plain) if plain_one else hostile)


STORED_BAD = UNSHOWABLE - {"\u202e"}  # what breaks storage, XML and exports (a bidi mark is merely odd)


def assert_stored_clean(obj) -> None:  # type: ignore[no-untyped-def]
    """Every String column of a saved row: no control characters or lone surrogates, not longer than the column."""
    for col in obj.__table__.columns:
        value = getattr(obj, col.key)
        if isinstance(value, str):
            assert not (set(value) & STORED_BAD), f"{obj.__tablename__}.{col.key} stored {value[:40]!r}"
            if isinstance(col.type, String) and col.type.length:
                assert len(value) <= col.type.length, \
                    f"{obj.__tablename__}.{col.key}: {len(value)} characters in a String({col.type.length})"


@examples(500)
@given(data=st.one_of(case_inputs, mutated_inputs))
def test_intake_validation_accepts_or_names_every_bad_field(data, inputs):
    inputs.add("forms")
    try:
        values, party_values = intake.validate_case(data)
    except ValidationErrors as exc:
        assert_calm(exc)
        assert all(e.key for e in exc.errors)  # the form can put each message next to its field
        return
    assert values["claims"] and not (set(values["claims"]) & UNSHOWABLE)
    assert len(party_values) == len(data.parties)


def test_intake_save_stores_clean_data_or_writes_nothing(fast_db, clerk, inputs):
    tally = Tally("收件登记")

    @examples(200)
    @given(data=mutated_inputs)
    @example(data=_mutated(7, [("party", i, f, "汉" * 120) for i in range(3) for f in ("ethnicity", "occupation")]))
    def run(data):  # type: ignore[no-untyped-def]
        inputs.add("forms")
        before = table_counts(fast_db)
        try:
            with fast_db.transaction() as s:
                case_id = intake.create_case(s, clerk, data, court_code=COURT_CODE).id
        except ValidationErrors as exc:
            assert_calm(exc)
            assert table_counts(fast_db) == before  # a refused form writes nothing, anywhere
            tally.refused += 1
            return
        tally.accepted += 1
        with fast_db.session() as s:
            case = s.get(Case, case_id)
            assert_stored_clean(case)
            # what was saved is what was typed: the parties in order, their names and roles, the claims
            assert [(p.role, p.kind) for p in case.parties] == [(p.role, p.kind) for p in data.parties]
            assert all(kept(p.name, d.name) and p.name for p, d in zip(case.parties, data.parties, strict=True))
            assert kept(case.claims, data.claims) and kept(case.facts, data.facts)
            assert [len(p.agents) for p in case.parties] == [len(d.agents) for d in data.parties]
            assert s.scalar(select(func.count()).select_from(AuditRecord).where(
                AuditRecord.entity_id == str(case.id))) or s.scalar(select(func.count()).select_from(AuditRecord))
            for p in case.parties:
                assert_stored_clean(p)
                for row in (*p.agents, *p.addresses):
                    assert_stored_clean(row)

    run()
    tally.check(min_share=0.25)


# -- the other forms of the filing window --------------------------------------------------------------------

def _calm_or_field(exc: KnownError) -> None:
    assert not isinstance(exc, PermissionDenied)
    assert_calm(exc)


def _check_saved(db, model, row_id) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        assert_stored_clean(s.get(model, row_id))


def _address_fields(values: dict, which: str | None, bad: str) -> dict:
    """A plausible 送达地址 form with at most one field replaced by hostile text."""
    return {**values, which: bad} if which else values


PLAIN_ADDRESS = {"text": "吉林省安图县二道白河镇白山大街8号", "postcode": "133613", "phone": "13904330001",
                 "detail": "借款合同第9条", "note": "", "e_mobile": ""}
address_forms = st.builds(_address_fields, st.just(PLAIN_ADDRESS), st.sampled_from([None, *PLAIN_ADDRESS]), texts)


@examples(200)
@given(source=st.sampled_from(list(AddressSource)), form=address_forms,
       source_date=st.one_of(st.none(), st.dates(today_local() - timedelta(days=300), today_local()), dates))
@example(source=AddressSource.CONTRACT, form={**PLAIN_ADDRESS, "note": "\x1b[31m"}, source_date=None)
@example(source=AddressSource.CONTRACT, form={**PLAIN_ADDRESS, "detail": "\ud800"}, source_date=None)
def test_service_address_form(fast_db, clerk, source, form, source_date, inputs):
    inputs.add("forms")
    text, postcode, phone, detail, note, e_mobile = (form[k] for k in PLAIN_ADDRESS)
    case_id = _case_once(fast_db, clerk)
    before = table_counts(fast_db)
    try:
        with fast_db.transaction() as s:
            party = s.get(Case, case_id).parties[1]
            party_id = party.id
            row = sa.add_address(s, clerk, party, source, text, postcode=postcode, phone=phone, source_detail=detail,
                                 note=note, source_date=source_date, e_mobile=e_mobile)
            row_id = row.id
    except KnownError as exc:
        _calm_or_field(exc)
        assert table_counts(fast_db) == before  # a refusal writes nothing
        _TALLIES["送达地址"].refused += 1
        return
    _TALLIES["送达地址"].accepted += 1
    _check_saved(fast_db, ServiceAddress, row_id)
    with fast_db.session() as s:
        row = s.get(ServiceAddress, row_id)
        assert (row.party_id, row.source) == (party_id, source) and kept(row.text, text) and row.text.strip()


PLAIN_CONFIRMATION = {"text": "吉林省安图县二道白河镇白山大街8号", "confirmed_by_name": "王堃", "postcode": "133613",
                      "phone": "13904330001", "recipient_name": "", "recipient_relation": "", "recipient_id_number": "",
                      "recipient_phone": "", "e_mobile": "", "e_email": "", "e_wechat": "", "note": ""}


def _confirmation(which: str | None, bad: str, signed: bool, consent: bool, on: date) -> sa.ConfirmationInput:
    """A signed 送达地址确认书 as a clerk enters it, with at most one field hostile (and sometimes unsigned,
    or with 电子送达 consent and a mobile number)."""
    values = {**PLAIN_CONFIRMATION, **({"e_mobile": "13904330001"} if consent else {})}
    if which:
        values[which] = bad
    return sa.ConfirmationInput(confirmed_on=on, signed=signed, e_service_consent=consent, **values)


confirmations = st.builds(_confirmation, st.sampled_from([None, *PLAIN_CONFIRMATION]), texts,
                          st.integers(0, 5).map(bool), st.booleans(),
                          st.dates(date(2000, 1, 1), today_local() + timedelta(days=5)))


@examples(200)
@given(data=confirmations)
def test_address_confirmation_form(fast_db, clerk, data, inputs):
    inputs.add("forms")
    case_id = _case_once(fast_db, clerk)
    before = table_counts(fast_db)
    try:
        with fast_db.transaction() as s:
            party_id = s.get(Case, case_id).parties[0].id
            row_id = sa.record_confirmation(s, clerk, s.get(Case, case_id).parties[0], data).id
    except KnownError as exc:
        _calm_or_field(exc)
        assert table_counts(fast_db) == before
        _TALLIES["地址确认书"].refused += 1
        return
    _TALLIES["地址确认书"].accepted += 1
    _check_saved(fast_db, ServiceAddress, row_id)
    with fast_db.session() as s:
        row = s.get(ServiceAddress, row_id)
        assert row.party_id == party_id and kept(row.text, data.text) and row.text.strip()


PLAIN_ATTEMPT = {"document_title": "", "signer": "王堃", "tracking_number": "", "witnesses": "", "media_record": "",
                 "entrusted_court": "", "receipt_ref": "", "note": ""}


def _one_bad_attempt(which: str | None, bad: str) -> sa.AttemptInput:
    """直接送达, signed by the party three days ago, with at most one text field hostile."""
    on = today_local() - timedelta(days=3)
    values = {**PLAIN_ATTEMPT, **({which: bad} if which else {})}
    return sa.AttemptInput(method=ServiceMethod.DIRECT, document=ServedDocument.COMPLAINT_COPY, attempted_on=on,
                           result=ServiceResult.SIGNED, signed_on=on, **values)


random_attempts = st.builds(
    sa.AttemptInput, method=st.sampled_from(list(ServiceMethod)), document=st.sampled_from(list(ServedDocument)),
    attempted_on=st.dates(date(2000, 1, 1), today_local() + timedelta(days=5)),
    result=st.sampled_from(list(ServiceResult)), document_title=texts, signed_on=dates, signer=texts,
    returned_on=dates, tracking_number=texts, witnesses=texts, media_record=texts,
    e_channel=st.sampled_from(["", "mobile", "email", "wechat", "x"]), arrival_proved_on=dates,
    entrusted_court=texts, notice_days=st.integers(-5, 100), receipt_ref=texts, note=texts)
# half plausible forms with one hostile field (the save path), half anything at all (the refusals)
attempts = st.booleans().flatmap(lambda plain: st.builds(_one_bad_attempt, st.sampled_from([None, *PLAIN_ATTEMPT]),
                                                          texts) if plain else random_attempts)


@examples(200)
@given(data=attempts)
@example(data=sa.AttemptInput(method=ServiceMethod.DIRECT, document=ServedDocument.COMPLAINT_COPY,
                               attempted_on=today_local(), result=ServiceResult.SIGNED, signer="本人\x00",
                               note="\ud800"))
def test_service_attempt_form(fast_db, clerk, data, inputs):
    inputs.add("forms")
    case_id = _case_once(fast_db, clerk)
    before = table_counts(fast_db)
    try:
        with fast_db.transaction() as s:
            case = s.get(Case, case_id)
            row_id = sa.record_attempt(s, clerk, case, case.parties[1], data).id
    except KnownError as exc:
        _calm_or_field(exc)
        assert table_counts(fast_db) == before
        _TALLIES["送达记录"].refused += 1
        return
    _TALLIES["送达记录"].accepted += 1
    _check_saved(fast_db, ServiceAttempt, row_id)
    with fast_db.session() as s:
        row = s.get(ServiceAttempt, row_id)
        assert (row.method, row.document, row.result, row.attempted_on) == (
            data.method, data.document, data.result, data.attempted_on)


@examples(60)
@given(value=st.one_of(st.sampled_from(list(Answer)), texts), note=texts,
       procedure=st.sampled_from(list(Procedure)),  # a combo box: only members reach the service
       reason=texts, days=st.one_of(st.none(), st.integers(-10**6, 10**6), st.booleans()))
@example(value=Answer.PASS, note="\ud800", procedure=Procedure.ORDINARY, reason="\ud800", days=None)
def test_review_and_procedure_forms(fast_db, clerk, value, note, procedure, reason, days, inputs):
    inputs.add("forms")
    case_id = _case_once(fast_db, clerk)
    for step in ("answer", "procedure", "finish"):
        try:
            with fast_db.transaction() as s:
                case = s.get(Case, case_id)
                review = cr.current_review(s, case) or cr.start_review(s, clerk, case, case.received_on)
                if step == "answer":
                    cr.answer(s, clerk, review, cr.review_sheet(s, review)[0].item.id, value, note)
                elif step == "procedure":
                    set_procedure(s, clerk, case, procedure, reason)
                elif review.outcome is None:
                    cr.finish(s, clerk, review, ReviewOutcome.CORRECTION, note=note, correction_days=days)
        except KnownError as exc:
            _calm_or_field(exc)


_CASES: dict[int, object] = {}
_TALLIES = {name: Tally(name) for name in ("送达地址", "地址确认书", "送达记录")}


def _case_once(db, clerk):  # type: ignore[no-untyped-def]
    """One case per database (the hypothesis examples of a test share it)."""
    key = id(db)
    if key not in _CASES:
        _CASES[key] = make_case(db, clerk, 5, parties=2)
    return _CASES[key]


def test_the_filing_window_forms_saved_enough_inputs():
    """Runs after the three form tests above (file order): each saved a fair share of its inputs, so "saved
    cleanly or refused calmly" was not passed by refusing everything. Run alone, it says so."""
    for tally in _TALLIES.values():
        tally.check(min_share=0.05)
