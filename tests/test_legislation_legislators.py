"""Legislators and committees from the congress-legislators YAML: matching, ids, roles,
idempotent re-import, and clear errors."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tracker.errors import ParseError
from tracker.legislation.committees import import_committees, short_name
from tracker.legislation.legislators import import_legislators
from tracker.models import Actor, ActorAlias, ActorExternalId, ActorRole

LEG = Path(__file__).resolve().parent / "fixtures" / "legislation"


def _actor(session, slug):
    return session.scalars(select(Actor).where(Actor.slug == slug)).one()


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_imports_people_with_ids_aliases_and_roles(session):
    report = import_legislators(session, LEG / "legislators.yaml")
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    kim = _actor(session, "andy-kim")
    assert kim.kind == "person" and kim.name == "Andy Kim"
    assert kim.ids()["bioguide"] == "K000394"
    assert kim.ids()["fec"] == "H8NJ03156"  # the first of a list
    roles = sorted((r.title, r.organization.slug, r.party, r.state, r.district) for r in kim.roles)
    assert roles == [
        ("Representative", "us-house", "Democrat", "NJ", "3"),
        ("Senator", "us-senate", "Democrat", "NJ", None),
    ]
    assert all(r.origin == "imported" for r in kim.roles)
    bobby = _actor(session, "bobby-kim")  # nickname wins for the slug
    assert bobby.name == "Robert Kim"
    assert {a.alias for a in bobby.aliases} >= {"Robert Kim", "Bobby Kim"}
    assert all(a.origin == "imported" for a in bobby.aliases)
    assert [r.title for r in bobby.roles] == ["Resident Commissioner"]
    young = _actor(session, "young-kim")
    assert "Young Oak Kim" in {a.alias for a in young.aliases}


def test_existing_actor_is_updated_in_place_by_bioguide(session):
    curated = Actor(slug="sen-andy-kim", name="Sen. Andy Kim", kind="person")
    curated.external_ids.append(ActorExternalId(scheme="bioguide", value="K000394"))
    curated.roles.append(ActorRole(title="Member, Banking Committee", origin="curated"))
    session.add(curated)
    session.flush()
    import_legislators(session, LEG / "legislators.yaml")
    assert _count(session, Actor) == 3 + 2  # two chambers, no duplicate Kim
    session.refresh(curated)
    assert curated.slug == "sen-andy-kim" and curated.name == "Sen. Andy Kim"
    assert curated.ids()["govtrack"] == "412741"
    titles = Counter(r.title for r in curated.roles)
    assert titles == {"Member, Banking Committee": 1, "Senator": 1, "Representative": 1}


def test_person_without_ids_joins_by_unique_name_and_slugs_never_collide(session):
    same_name = Actor(slug="young-kim-x", name="Young Kim", kind="person")
    taken = Actor(slug="andy-kim", name="Andy Kim Holdings", kind="company")
    session.add_all([same_name, taken])
    session.flush()
    import_legislators(session, LEG / "legislators.yaml")
    session.refresh(same_name)
    assert same_name.ids()["bioguide"] == "K000397"
    kim = session.scalars(
        select(Actor).join(ActorExternalId).where(ActorExternalId.value == "K000394")
    ).one()
    assert kim.slug == "andy-kim-nj" and kim.kind == "person"


def test_reimport_is_idempotent_and_reports_changes(session, tmp_path):
    import_legislators(session, LEG / "legislators.yaml")
    before = [_count(session, m) for m in (Actor, ActorAlias, ActorExternalId, ActorRole)]
    again = import_legislators(session, LEG / "legislators.yaml")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert [_count(session, m) for m in (Actor, ActorAlias, ActorExternalId, ActorRole)] == before

    data = yaml.safe_load((LEG / "legislators.yaml").read_text())
    data[1]["terms"][0]["party"] = "Independent"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data))
    report = import_legislators(session, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert report.changes == ("updated young-kim: roles",)
    assert _actor(session, "young-kim").roles[0].party == "Independent"


def test_malformed_files_raise_a_clear_error(session, tmp_path, db_url, cli):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: [unclosed\n")
    with pytest.raises(ParseError, match=r"bad\.yaml: not valid YAML"):
        import_legislators(session, bad)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("- name: {first: A}\n")
    with pytest.raises(ParseError, match=r"entry 1 has no id\.bioguide"):
        import_legislators(session, wrong)
    result = cli("import", "legislators", str(bad), "--db", db_url)
    assert result.code == 1 and result.err.startswith("error: ") and result.err.count("\n") == 1
    assert cli("import", "legislators", str(tmp_path / "missing.yaml"), "--db", db_url).code == 2


def test_committees_memberships_and_reimport(session):
    import_legislators(session, LEG / "legislators.yaml")
    banking = Actor(slug="senate-banking", name="Senate Banking Committee", kind="committee")
    session.add(banking)
    session.flush()
    report = import_committees(session, LEG / "committees.yaml", LEG / "committee-membership.yaml")
    # banking joined by its short name and gained its chamber as parent
    assert (report.created, report.updated) == (2, 1)
    assert any("unknown committee code NOPE" in w for w in report.warnings)
    session.refresh(banking)
    assert banking.ids() == {"thomas": "SSBK"} and banking.parent.slug == "us-senate"
    sub = session.scalars(
        select(Actor).join(ActorExternalId).where(ActorExternalId.value == "SSBK13")
    ).one()
    assert sub.parent_id == banking.id
    assert sub.name == "Senate Banking Subcommittee on Digital Assets"
    joint = session.scalars(
        select(Actor).join(ActorExternalId).where(ActorExternalId.value == "JSEC")
    ).one()
    assert joint.parent.slug == "us-congress"
    roles = {
        (r.actor.slug, r.title, r.organization.slug)
        for r in session.scalars(
            select(ActorRole).where(ActorRole.organization_id.in_([banking.id, sub.id]))
        )
    }
    assert roles == {
        ("andy-kim", "Member", "senate-banking"),
        ("andy-kim", "Ranking Member", sub.slug),
        ("pat-example", "Chair", "senate-banking"),  # unknown member kept as an actor
    }
    assert _actor(session, "pat-example").ids() == {"bioguide": "X000001"}
    before = _count(session, ActorRole), _count(session, Actor)
    again = import_committees(session, LEG / "committees.yaml", LEG / "committee-membership.yaml")
    assert again.created == 0 and again.updated == 0
    assert (_count(session, ActorRole), _count(session, Actor)) == before


def test_short_committee_names():
    assert short_name("Senate Committee on Banking, Housing, and Urban Affairs") == (
        "Senate Banking Committee"
    )
    assert short_name("House Committee on Armed Services") == "House Armed Services Committee"
    assert short_name("House Permanent Select Committee on Intelligence") == (
        "House Intelligence Committee"
    )
    assert short_name("Joint Economic Committee") is None


def test_current_legislators_file(session, corpus_dir, tmp_path):
    src = corpus_dir / "congress-legislators"
    people = yaml.load((src / "legislators-current.yaml").read_text(), Loader=yaml.CSafeLoader)
    terms = sum(len(p["terms"]) for p in people)
    report = import_legislators(session, src / "legislators-current.yaml")
    assert report.created == len(people) == 537
    persons = session.scalar(select(func.count()).select_from(Actor).where(Actor.kind == "person"))
    assert persons == 537
    assert _count(session, ActorRole) == terms
    scotts = session.scalars(
        select(Actor.slug).where(Actor.slug.in_(["tim-scott", "rick-scott", "austin-scott"]))
    ).all()
    assert sorted(scotts) == ["austin-scott", "rick-scott", "tim-scott"]
    # A copy of the file imports with nothing to change.
    copy = tmp_path / "copy.yaml"
    shutil.copyfile(src / "legislators-current.yaml", copy)
    again = import_legislators(session, copy)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 537)

    committees = yaml.safe_load((src / "committees-current.yaml").read_text())
    membership = yaml.safe_load((src / "committee-membership-current.yaml").read_text())
    expected_members = {(code, m["bioguide"]) for code, rows in membership.items() for m in rows}
    rep = import_committees(
        session, src / "committees-current.yaml", src / "committee-membership-current.yaml"
    )
    subs = sum(len(c.get("subcommittees") or []) for c in committees)
    assert rep.created == len(committees) + subs
    assert rep.count("memberships") == len(expected_members)
    assert not rep.warnings
