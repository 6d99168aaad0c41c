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


# --- version 1: api/v1/, with its JSON Schema ---------------------------------------------------------------

BASE = "https://halsolots.goteborg.example"


def _v1(output, lang="sv"):
    prefix = "" if lang == "sv" else f"{lang}/"
    return json.loads((output / f"{prefix}api/v1/activities.json").read_text(encoding="utf-8"))


def assert_v1_files_validate(output, base: str, languages=("sv", "en")):
    """Every v1 file of a build validates against the schema the build ships, which names the site's base."""
    import jsonschema

    schema = json.loads((output / "api" / "v1" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"{base}/api/v1/schema.json"
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for lang in languages:
        data = _v1(output, lang)
        errors = sorted(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data))
        assert errors == [], (output, lang, errors[:5])
        assert data["activities"] and data["schema"] == schema["$id"] and data["language"] == lang
        # The first format stays where it was, with the same activities.
        old = json.loads((output / ("" if lang == "sv" else f"{lang}/") / "api" / "activities.json").read_text())
        assert [a["id"] for a in old["activities"]] == [a["id"] for a in data["activities"]]


def test_every_v1_file_of_the_fixture_build_validates_against_the_shipped_schema(fixture_site):
    assert_v1_files_validate(fixture_site, BASE)


def test_every_v1_file_of_each_site_validates_against_the_shipped_schema(each_site, each_model):
    from halsolots.site.site import public_base

    assert_v1_files_validate(each_site, public_base(each_model.settings), each_model.site.languages)


def test_v1_has_absolute_urls_the_ics_the_licence_and_when_each_changed(fixture_site):
    data = _v1(fixture_site, "en")
    assert data["licence"] == {"name": "CC0-1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
    assert data["version"] == 1 and data["today"] == "2026-12-01"
    chair = {a["id"]: a for a in data["activities"]}["stolgympa"]
    assert chair["url"] == f"{BASE}/en/aktivitet/stolgympa/"
    assert chair["ics"] == f"{BASE}/en/aktivitet/stolgympa/stolgympa.ics"
    for record in data["activities"]:
        for key in ("url", "ics"):
            assert record[key].startswith(BASE + "/")
            path = record[key].removeprefix(BASE + "/")
            assert (fixture_site / path / ("index.html" if path.endswith("/") else "")).is_file(), record[key]
    assert chair["description"] == "Exercise sitting on a chair."  # the summary, as plain text
    assert chair["organiser"] == {"name": "Hälsolots Centrum", "email": "centrum@halsolots.goteborg.example"}
    # As the feed's LAST-MODIFIED (the file's last commit, a later Modified moving it on).
    import icalendar

    event = next(e for e in icalendar.Calendar.from_ical(
        (fixture_site / "en/aktivitet/stolgympa/stolgympa.ics").read_bytes()).walk("VEVENT") if "RECURRENCE-ID" not in e)
    assert chair["modified"] == event["LAST-MODIFIED"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_v1_file_is_assembled_exactly_as_json_dumps_writes_it(model):
    from halsolots.generators.export import LICENCE, activity_record_v1, export_json_v1, record_text

    site = model.site
    for activities in ([a for a in model.all if not a.draft], []):
        records = [activity_record_v1(a, "sv", site) for a in activities]
        expected = json.dumps({"version": 1, "language": "sv", "today": "2026-12-01", "licence": LICENCE,
                               "schema": "https://x.example/api/v1/schema.json", "activities": records},
                              ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        assert export_json_v1("sv", "2026-12-01", [record_text(r) for r in records],
                              "https://x.example/api/v1/schema.json") == expected
