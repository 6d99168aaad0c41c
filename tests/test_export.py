"""The open-data JSON reads from the same model as the pages: same activities, same occasions."""

from __future__ import annotations

import json

from conftest import html


def test_json_lists_published_upcoming_activities_with_their_occasions(fixture_site):
    data = json.loads((fixture_site / "api" / "activities.json").read_text(encoding="utf-8"))
    assert data["language"] == "sv" and data["today"] == "2026-12-01"
    by_id = {a["id"]: a for a in data["activities"]}
    # Past activities drop out; the draft is left out even in a preview build.
    assert set(by_id) == {"stolgympa", "forelasning-somn", "studentdans", "installd-promenad", "webbinarium-stress"}
    chair = by_id["stolgympa"]
    assert [o["start"] for o in chair["occurrences"]][:5] == [
        "2027-03-02T10:00:00+01:00", "2027-03-09T10:00:00+01:00", "2027-03-16T10:00:00+01:00",
        "2027-03-23T10:00:00+01:00", "2027-04-06T10:00:00+02:00"]
    assert [o["cancelled"] for o in chair["occurrences"]][2] is True
    assert chair["venue"]["geo"] == [57.6975, 11.9797] and chair["cost"] == "free"
    assert by_id["webbinarium-stress"]["online"] is True and by_id["webbinarium-stress"]["venue"] is None
    # The programme page shows the same occasions as the JSON.
    page = html(fixture_site / "aktivitet" / "stolgympa" / "index.html")
    assert [li.time["datetime"] for li in page.select(".dates__list li")] == [o["start"] for o in chair["occurrences"]]


def test_json_is_per_language_with_labels_in_that_language(fixture_site):
    english = json.loads((fixture_site / "en" / "api" / "activities.json").read_text(encoding="utf-8"))
    chair = {a["id"]: a for a in english["activities"]}["stolgympa"]
    assert chair["title"] == "Chair exercise" and chair["text_language"] == "en"
    assert chair["url"] == "en/aktivitet/stolgympa/"
    assert chair["target_groups"] == [{"id": "seniorer", "label": "Seniors"}]
    lecture = {a["id"]: a for a in english["activities"]}["forelasning-somn"]
    assert lecture["text_language"] == "sv"


def test_the_file_is_assembled_exactly_as_json_dumps_writes_it(model):
    import json

    from halsolots.generators.export import activity_record, export_json, record_text

    site = model.site
    for activities in (model.all, []):
        records = [activity_record(a, "sv", site) for a in activities]
        expected = json.dumps({"language": "sv", "today": "2026-12-01", "activities": records},
                              ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        assert export_json("sv", "2026-12-01", [record_text(r) for r in records]) == expected
