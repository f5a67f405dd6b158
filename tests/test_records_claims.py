"""Claims: resolution rules, conflicts, as-of reads, append-only supersede/retract."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.models import Actor, Claim, Designation, Source
from tracker.records.claims import (
    Statement,
    add_claim,
    canonical_json,
    claim_key,
    resolve_claims,
    resolve_record,
    retract_claim,
    set_field_claims,
)


@pytest.fixture
def designation(session):
    alibaba = Actor(slug="alibaba", name="Alibaba Group", kind="company")
    session.add(alibaba)
    session.flush()
    rec = Designation(slug="d", title="Listing", list_name="1260H", subject_id=alibaba.id)
    session.add(rec)
    session.flush()
    return rec


def _source(session, slug: str) -> Source:
    src = Source(slug=slug, title=f"Title {slug}", outlet=f"Outlet {slug}")
    session.add(src)
    session.flush()
    return src


def test_most_sources_wins_and_conflict_is_flagged(session, designation):
    a, b, c = (_source(session, s) for s in "abc")
    add_claim(session, record=designation, field="status", value="active", source=a,
              recorded_at=datetime(2026, 6, 1))  # fmt: skip
    add_claim(session, record=designation, field="status", value="challenged", source=b,
              recorded_at=datetime(2026, 6, 2))  # fmt: skip
    add_claim(session, record=designation, field="status", value="challenged", source=c,
              recorded_at=datetime(2026, 6, 3))  # fmt: skip
    f = resolve_record(session, designation)["status"]
    assert f.value == "challenged"
    assert f.conflicting
    assert {cv.source_slug for cv in f.active_claims} == {"a", "b", "c"}
    assert f.values() == ["challenged", "active"]


def test_tie_goes_to_the_earliest_recorded(session, designation):
    a, b = _source(session, "a"), _source(session, "b")
    add_claim(session, record=designation, field="added_on", value="2026-06-09", source=b,
              recorded_at=datetime(2026, 6, 20))  # fmt: skip
    add_claim(session, record=designation, field="added_on", value="2026-06-08", source=a,
              recorded_at=datetime(2026, 6, 10))  # fmt: skip
    f = resolve_record(session, designation)["added_on"]
    assert f.value == "2026-06-08"
    assert f.conflicting


def test_as_of_sees_only_claims_recorded_by_then(session, designation):
    a, b = _source(session, "a"), _source(session, "b")
    add_claim(session, record=designation, field="added_on", value="2026-06-08", source=a,
              recorded_at=datetime(2026, 6, 10))  # fmt: skip
    add_claim(session, record=designation, field="added_on", value="2026-06-09", source=b,
              recorded_at=datetime(2026, 6, 20))  # fmt: skip
    assert resolve_record(session, designation, as_of=date(2026, 6, 1)) == {}
    early = resolve_record(session, designation, as_of=date(2026, 6, 15))["added_on"]
    assert (early.value, early.conflicting, len(early.claims)) == ("2026-06-08", False, 1)
    late = resolve_record(session, designation, as_of=date(2026, 6, 20))["added_on"]
    assert late.conflicting  # a date means the end of that day


def test_partial_dates_nest_instead_of_conflicting(session, designation):
    a, b, c = (_source(session, s) for s in "abc")
    add_claim(session, record=designation, field="added_on", value="2026-06", source=a)
    add_claim(session, record=designation, field="added_on", value="2026-06-08", source=b)
    f = resolve_record(session, designation)["added_on"]
    assert (f.value, f.conflicting) == ("2026-06-08", False)
    add_claim(session, record=designation, field="added_on", value="2026-07", source=c)
    assert resolve_record(session, designation)["added_on"].conflicting


def test_adding_the_same_statement_twice_is_one_claim(session, designation):
    a = _source(session, "a")
    first = add_claim(session, record=designation, field="status", value="active", source=a)
    again = add_claim(session, record=designation, field="status", value="active", source=a)
    assert first.id == again.id
    assert len(session.query(Claim).all()) == 1


def test_set_field_claims_supersedes_and_keeps_history(session, designation):
    a = _source(session, "a")
    t1, t2 = datetime(2026, 6, 10), datetime(2026, 6, 20)
    ch = set_field_claims(session, record=designation, field="added_on", source=a,
                          statements=[Statement("2026-06-09", recorded_at=t1)])  # fmt: skip
    assert (ch.added, ch.superseded) == (1, 0)
    same = set_field_claims(session, record=designation, field="added_on", source=a,
                            statements=[Statement("2026-06-09", recorded_at=t1)])  # fmt: skip
    assert not same.changed
    ch = set_field_claims(session, record=designation, field="added_on", source=a,
                          statements=[Statement("2026-06-08", recorded_at=t2)])  # fmt: skip
    assert (ch.added, ch.superseded, ch.retracted) == (1, 1, 0)
    rows = session.query(Claim).order_by(Claim.id).all()
    assert [r.value for r in rows] == ['"2026-06-09"', '"2026-06-08"']
    assert rows[0].superseded_at == t2 and rows[0].superseded_by_id == rows[1].id
    assert resolve_record(session, designation)["added_on"].value == "2026-06-08"
    assert (
        resolve_record(session, designation, as_of=date(2026, 6, 15))["added_on"].value
        == "2026-06-09"
    )
    ch = set_field_claims(session, record=designation, field="added_on", source=a, statements=[])
    assert ch.retracted == 1
    assert "added_on" not in resolve_record(session, designation)
    assert len(session.query(Claim).all()) == 2  # nothing deleted


def test_retracted_claim_stops_counting_from_its_retraction(session, designation):
    a = _source(session, "a")
    claim = add_claim(session, record=designation, field="status", value="active", source=a,
                      recorded_at=datetime(2026, 6, 1))  # fmt: skip
    retract_claim(session, claim, at=datetime(2026, 6, 5))
    assert resolve_record(session, designation, as_of=date(2026, 6, 3))["status"].value == "active"
    assert "status" not in resolve_record(session, designation, as_of=date(2026, 6, 5))


def test_claim_key_uses_canonical_values():
    assert canonical_json({"b": 1.0, "a": date(2026, 6, 8)}) == '{"a":"2026-06-08","b":1}'
    k1 = claim_key("record:1", "figure.x", {"value": 25000.0, "qualifier": "about"}, 3, None)
    k2 = claim_key("record:1", "figure.x", {"qualifier": "about", "value": 25000}, 3, "")
    assert k1 == k2 and len(k1) == 64
    assert k1 != claim_key("record:1", "figure.x", {"value": 25000, "qualifier": "about"}, 3, "p2")


_values = st.sampled_from(["alleged", "disputed", "confirmed"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), _values, st.integers(0, 30)), min_size=1, max_size=12))
def test_resolution_picks_a_best_supported_value(statements):
    """Property: the shown value has the most distinct sources; conflicting iff values differ."""
    claims = []
    for i, (src, value, day) in enumerate(statements):
        source = Source(id=src, slug=f"s{src}", title=f"s{src}")
        claims.append(
            Claim(id=i + 1, field="status", value=canonical_json(value), source_id=src,
                  source=source, claim_key=str(i), recorded_at=datetime(2026, 6, 1 + day % 28))
        )  # fmt: skip
    resolved = resolve_claims("status", claims)
    assert resolved is not None
    support = {v: len({s for s, vv, _ in statements if vv == v}) for _, v, _ in statements}
    assert support[resolved.value] == max(support.values())
    assert resolved.conflicting == (len(support) > 1)
    assert len(resolved.claims) == len(statements)
