"""Name lookup: slug, name/alias (case- and accent-insensitive), fuzzy, ambiguity, merges."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.errors import Ambiguous, NotFound, UsageError
from tracker.models import Actor, ActorAlias, Event
from tracker.records.lookup import find_actor, find_any, find_record, normalize_name


@pytest.fixture
def people(session):
    def actor(slug, name, kind="person", aliases=()):
        a = Actor(slug=slug, name=name, kind=kind)
        a.aliases = [ActorAlias(alias=x, normalized=normalize_name(x)) for x in aliases]
        session.add(a)
        return a

    out = {
        "dod": actor("dod", "Department of Defense", "agency", ["Pentagon", "DoD"]),
        "warren": actor("elizabeth-warren", "Elizabeth Warren"),
        "tim": actor("tim-scott", "Tim Scott"),
        "rick": actor("rick-scott", "Rick Scott"),
        "kd": actor("sydney-kamlager-dove", "Sydney Kamlager-Dove"),
        "jose": actor("jose-marti", "José Martí"),
    }
    session.add(
        Event(slug="white-house-memo", title="White House memo on distillation",
              event_type="memo", occurred_on=date(2026, 4, 23),
              occurred_on_precision="day")
    )  # fmt: skip
    session.flush()
    return out


def test_exact_slug_and_alias_ignore_case_and_accents(session, people):
    assert find_actor(session, "dod") is people["dod"]
    assert find_actor(session, "PENTAGON") is people["dod"]
    assert find_actor(session, "jose marti") is people["jose"]
    assert find_actor(session, "Sydney Kamlager Dove") is people["kd"]
    assert find_actor(session, "Elizabeth Warren") is people["warren"]


def test_fuzzy_typo_finds_a_clear_winner(session, people):
    assert find_actor(session, "Elizabeth Waren") is people["warren"]
    assert find_actor(session, "warren") is people["warren"]
    assert find_actor(session, "Kamlager") is people["kd"]


def test_short_name_typo_with_no_rival_is_found(session, people):
    hagerty = Actor(slug="bill-hagerty", name="Bill Hagerty", kind="person")
    session.add(hagerty)
    session.flush()
    # one wrong letter in a seven-letter surname scores under the general threshold, but
    # nothing else comes close, so the typo still finds him
    assert find_actor(session, "Hagarty") is hagerty
    assert find_any(session, "hagarty") is hagerty


def test_near_tie_is_ambiguous_with_choices(session, people):
    with pytest.raises(Ambiguous) as exc:
        find_actor(session, "Scott")
    assert set(exc.value.choices) == {"tim-scott (Tim Scott)", "rick-scott (Rick Scott)"}
    assert exc.value.exit_code == 2


def test_nothing_close_is_not_found_with_suggestions(session, people):
    with pytest.raises(NotFound) as exc:
        find_actor(session, "Departmnt of Defence Logistics")
    assert exc.value.suggestions[:1] == ["dod"]
    assert len(exc.value.suggestions) <= 3
    with pytest.raises(NotFound) as exc:
        find_actor(session, "qqqqqq")
    assert exc.value.suggestions == []
    with pytest.raises(UsageError):
        find_actor(session, "   ")


def test_merged_actor_resolves_to_survivor(session, people):
    dup = Actor(slug="us-dod", name="U.S. Department of Defense", kind="agency")
    session.add(dup)
    session.flush()
    dup.merged_into_id = people["dod"].id
    session.flush()
    assert find_actor(session, "us-dod") is people["dod"]
    assert find_actor(session, "U.S. Department of Defense") is people["dod"]


def test_records_and_find_any(session, people):
    memo = find_record(session, "white-house-memo")
    assert memo.slug == "white-house-memo"
    assert find_record(session, "white house memo on distilation") is memo
    assert find_any(session, "white-house-memo") is memo
    assert find_any(session, "Pentagon") is people["dod"]
    with pytest.raises(NotFound):
        find_record(session, "Pentagon")


def test_a_typo_of_a_parent_name_prefers_the_parent_to_a_longer_child_name(session):
    """'alibba' is a typo of the company's one-word alias; the lab whose alias merely
    contains that word ('Alibaba Qwen') is a weaker match, not a tie."""
    parent = Actor(slug="alibaba", name="Alibaba Group", kind="company")
    parent.aliases = [ActorAlias(alias="Alibaba", normalized="alibaba")]
    lab = Actor(slug="alibaba-qwen", name="Qwen lab (Alibaba)", kind="ai_lab")
    lab.aliases = [ActorAlias(alias="Alibaba Qwen", normalized="alibaba qwen")]
    session.add_all([parent, lab])
    session.flush()
    assert find_actor(session, "alibba") is parent
    assert find_actor(session, "alibaba qwen") is lab
    assert find_actor(session, "alibba qwen") is lab
