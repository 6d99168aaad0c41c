"""Event data that others can read: schema.org Event JSON-LD on every activity page (read with extruct, as search
engines and referral tools do), a meta description and Open Graph on every page, and the JSON-LD passes the
page's Content-Security-Policy in Chromium (it is data, never run). The checks of every page run on each site of
the repository (conftest.SITES)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import extruct
import pytest

from calendar_support import Model
from halsolots.generators.eventdata import MAX_EVENTS, json_ld
from halsolots.site.site import public_base
from site_pages import html_pages, page_url

SCHEMA = "https://schema.org/"
BASE = "https://halsolots.goteborg.example"  # the fixture site's (and Gothenburg's) public base


def extract(path: Path, base: str = BASE) -> dict:
    return extruct.extract(path.read_text(encoding="utf-8"), base_url=base + "/", syntaxes=["json-ld", "opengraph"],
                           uniform=True)


def events_of(path: Path, base: str = BASE) -> list[dict]:
    found = []
    for item in extract(path, base)["json-ld"]:
        for node in item.get("@graph", [item]):
            found.append(node)
    return found


def activity_pages(output: Path, model: Model):
    """(page, activity, language) of every activity page of a site (the model's), in each of its languages."""
    for activity in model.all:
        for lang in model.site.languages:
            yield output / model.site.url(lang, "activity", slug=activity.slug) / "index.html", activity, lang


def test_every_published_activity_page_has_events_with_googles_required_and_recommended_fields(each_site, each_model):
    base = public_base(each_model.settings)
    checked = 0
    for path, activity, lang in activity_pages(each_site, each_model):
        events = events_of(path, base)
        if activity.draft:
            assert events == [], path  # a draft is never an event
            continue
        assert events, path
        upcoming = activity.upcoming(each_model.site.today)
        expected = (upcoming[:MAX_EVENTS] or activity.occurrences[-1:])
        assert [(e["startDate"], e["endDate"]) for e in events] == \
               [(o.start.isoformat(), o.end.isoformat()) for o in expected], path
        for event, occ in zip(events, expected):
            assert event["@type"] == "Event"
            # Google's required fields, everywhere.
            assert event["name"] == activity.text(lang).title
            assert datetime.fromisoformat(event["startDate"]).utcoffset() is not None
            location = event["location"]
            if activity.online:
                assert location["@type"] == "VirtualLocation" and location["url"].startswith(base)
                assert event["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
            else:
                assert location["@type"] == "Place" and location["name"]
                address = location["address"]
                assert address["@type"] == "PostalAddress"
                assert {"streetAddress", "addressLocality", "addressCountry"} <= set(address), path
                # A park or a beach has no postcode (venues.yaml may leave it out): there, none is made up.
                assert address.get("postalCode") == (str(activity.venue["postcode"])
                                                     if activity.venue.get("postcode") else None), path
                assert event["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
                if activity.venue.get("geo"):
                    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": activity.venue["geo"][0],
                                               "longitude": activity.venue["geo"][1]}
                else:
                    assert "geo" not in location
            # The recommended ones, where the data exists.
            assert event["eventStatus"] == SCHEMA + ("EventCancelled" if occ.cancelled else "EventScheduled")
            assert datetime.fromisoformat(event["endDate"]) > datetime.fromisoformat(event["startDate"])
            assert event["organizer"]["name"] == activity.organiser
            assert event["organizer"]["email"] == activity.organiser_email != ""
            assert event["isAccessibleForFree"] is True
            assert event["offers"]["price"] == 0 and event["offers"]["priceCurrency"] == "SEK"
            assert event["offers"]["url"] == event["url"]
            assert event["inLanguage"] == list(activity.languages)
            assert event["url"] == f"{base}/{each_model.site.url(lang, 'activity', slug=activity.slug)}"
            assert bool(event.get("description")) == bool(activity.text(lang).summary), path
            assert "image" not in event  # activities have no image: none is made up
        checked += 1
    # every published activity (another site's listed here through Also-in too) in every language
    assert len(each_model.published) >= 10
    assert checked == len(each_model.published) * len(each_model.site.languages)


def test_a_cancelled_date_and_a_cancelled_activity_are_event_cancelled(fixture_site):
    series = events_of(fixture_site / "aktivitet" / "stolgympa" / "index.html")
    statuses = {e["startDate"][:10]: e["eventStatus"].removeprefix(SCHEMA) for e in series}
    assert "EventCancelled" in statuses.values() and "EventScheduled" in statuses.values()
    cancelled = events_of(fixture_site / "aktivitet" / "installd-promenad" / "index.html")
    assert cancelled and {e["eventStatus"] for e in cancelled} == {SCHEMA + "EventCancelled"}


def test_the_json_ld_cannot_be_ended_by_its_text():
    element = json_ld([{"@type": "Event", "name": "</script><script>alert(1)</script> & more"}])
    body = element.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["@graph"][0]["name"] == "</script><script>alert(1)</script> & more"


def test_every_page_has_a_description_and_open_graph_basics(each_site, each_model):
    base = public_base(each_model.settings)
    for path in html_pages(each_site):
        found = extract(path, base)
        graph = found["opengraph"][0] if found["opengraph"] else {}
        text = path.read_text(encoding="utf-8")
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        description = soup.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), path
        for key in ("og:title", "og:description", "og:url", "og:locale"):
            assert graph.get(key), (path, key)
        assert graph["@type"] in ("website", "article"), path
        assert graph["og:url"].startswith(base + "/"), path
        assert graph["og:description"] == description["content"]
        assert "og:image" not in graph  # no page has a real image to show
        lang = soup.html["lang"]
        assert graph["og:locale"] == {"sv": "sv_SE", "en": "en_US"}[lang], path
        alternates = {link["hreflang"] for link in soup.find_all("link", rel="alternate")} - {"x-default", lang}
        others = soup.find_all("meta", property="og:locale:alternate")
        assert len(others) == len(alternates), path


def test_an_activity_page_describes_itself_by_its_summary(fixture_site):
    path = fixture_site / "en" / "aktivitet" / "stolgympa" / "index.html"
    graph = extract(path)["opengraph"][0]
    assert graph["og:url"] == f"{BASE}/en/aktivitet/stolgympa/"
    assert graph["og:title"] and graph["og:title"] in path.read_text(encoding="utf-8")
    assert graph["og:locale"] == "en_US" and graph["og:locale:alternate"] == "sv_SE"


@pytest.mark.browser
def test_chromium_reports_no_csp_violation_for_the_event_data(chromium, each_server, each_site):
    """The JSON-LD is inline but not script: the CSP (script-src 'self', no 'unsafe-inline') lets it be. A page
    with a real inline script shows the same check would catch a violation."""
    context = chromium.new_context()
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    paths = [p for p in html_pages(each_site) if "/aktivitet/" in p.as_posix()][:6]
    for path in paths:
        page.goto(each_server + page_url(each_site, path))
        assert page.locator('script[type="application/ld+json"]').count() == 1 or "utkast" in path.as_posix()
    assert not [m for m in messages if "Content Security Policy" in m], messages

    def bad_page(route):
        html = (each_site / "aktivitet").glob("*/index.html").__next__().read_text(encoding="utf-8")
        route.fulfill(body=html.replace("</body>", "<script>document.title='ran'</script></body>"),
                      content_type="text/html")

    page.route("**/inline-script-check/", bad_page)
    page.goto(each_server + "/inline-script-check/")
    assert page.title() != "ran"
    assert [m for m in messages if "Content Security Policy" in m]
    context.close()
