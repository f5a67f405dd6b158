"""Record tables: per-kind columns, sorting, filters, claim-resolved values."""

from __future__ import annotations

from datetime import date

import pytest
from query_kb import build_kb
from sqlalchemy.orm import Session

from tracker.errors import UsageError
from tracker.models import Incident, IncidentFigure, Measure, MeasureAction
from tracker.query.tables import figure_label, list_records


@pytest.fixture
def s(engine):
    with Session(engine, expire_on_commit=False) as s:
        build_kb(s)
        s.add(
            Incident(
                slug="moonshot-campaign",
                title="Moonshot campaign",
                status="alleged",
                incident_kind="distillation",
                disclosed_on=date(2026, 5, 2),
                disclosed_on_precision="day",
                figures=[
                    IncidentFigure(metric="exchanges", value=3_400_000, qualifier="more_than"),
                    IncidentFigure(metric="accounts", value=25_000, qualifier="about"),
                ],
            )
        )
        s.add(
            Incident(
                slug="undated", title="Undated incident", status="disputed", incident_kind="other"
            )
        )
        s.add(
            Measure(
                slug="house-bill",
                title="House chip bill",
                status="introduced",
                measure_type="bill",
                chamber="house",
                introduced_on=date(2026, 5, 1),
                introduced_on_precision="day",
                actions=[
                    MeasureAction(
                        position=1,
                        acted_on=date(2026, 6, 20),
                        action_type="referred",
                        text="Referred to committee",
                    )
                ],
            )
        )
        s.commit()
        yield s


def test_incidents_sort_by_exchanges_and_date(s):
    by_exchanges = list_records(s, "incident", sort="exchanges")
    assert [r.slug for r in by_exchanges.rows] == [
        "deepseek-distillation",
        "moonshot-campaign",
        "undated",
    ]
    assert by_exchanges.rows[0].fields["figures"]["exchanges"]["label"] == "nearly 28.8M"
    assert by_exchanges.rows[1].fields["figures"]["accounts"]["label"] == "about 25,000"
    assert [r.slug for r in list_records(s, "incident", sort="exchanges", reverse=True).rows] == [
        "moonshot-campaign", "deepseek-distillation", "undated"]  # fmt: skip
    assert [r.slug for r in list_records(s, "incident").rows] == [
        "deepseek-distillation", "moonshot-campaign", "undated"]  # fmt: skip
    assert [r.slug for r in list_records(s, "incident", sort="title").rows] == [
        "deepseek-distillation", "moonshot-campaign", "undated"]  # fmt: skip


def test_measures_sort_by_last_action(s):
    rows = list_records(s, "measure").rows
    assert [r.slug for r in rows] == ["house-bill", "hagerty-kim-amendment"]
    assert rows[0].fields["last_action"] == {
        "date": "2026-06-20",
        "type": "referred",
        "text": "Referred to committee",
    }
    assert rows[1].fields["actions"] == 2
    assert [r.slug for r in list_records(s, "measure", sort="introduced").rows] == [
        "hagerty-kim-amendment", "house-bill"]  # fmt: skip


def test_designations_show_conflicts_subject_and_challenges(s):
    (row,) = list_records(s, "designation").rows
    assert row.conflicting == ("added_on",)
    assert ("subject", "Alibaba Group") in row.actors and (
        "authority",
        "Department of Defense",
    ) in row.actors
    assert row.fields["challenges"] == 1 and row.fields["added"] == "2026-06-08"
    assert row.sources == 2 and row.tags == ("china",)


def test_filters(s):
    assert [r.slug for r in list_records(s, "letter", actor="Hagerty").rows] == ["senators-letter"]
    assert list_records(s, "letter", actor="alibaba").rows == ()
    assert [r.slug for r in list_records(s, "designation", actor="alibaba").rows] == [
        "alibaba-1260h"
    ]
    assert [r.slug for r in list_records(s, "incident", status="disputed").rows] == ["undated"]
    assert [r.slug for r in list_records(s, "incident", since=date(2026, 6, 1)).rows] == [
        "deepseek-distillation"
    ]
    assert [r.slug for r in list_records(s, "designation", tag="china").rows] == ["alibaba-1260h"]
    limited = list_records(s, "incident", limit=1)
    assert len(limited.rows) == 1 and limited.total == 3


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "bogus"},
        {"kind": "incident", "sort": "asks"},
        {"kind": "incident", "status": "adopted"},
    ],
)
def test_bad_options_are_usage_errors(s, kwargs):
    kwargs = dict(kwargs)
    kind = kwargs.pop("kind")
    with pytest.raises(UsageError):
        list_records(s, kind, **kwargs)


def test_figure_label():
    assert figure_label(28_800_000, "nearly") == "nearly 28.8M"
    assert figure_label(25_000, "exactly") == "25,000"
    assert figure_label(2.5, "up_to", "TB") == "up to 2.5 TB"
