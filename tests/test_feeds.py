"""Calendar feeds: the VCALENDARs built from the activity model (unit) and the built fixture site (integration):
identity and sequence, series, cancellations, text, determinism, the subscribe page and links, `make serve`."""

from __future__ import annotations

import copy
import filecmp
import functools
import http.server
import os
import threading
import urllib.request
from urllib.parse import quote
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from calendar_support import rfc5545_problems, unfold
from conftest import FIXTURE_CONTENT, build_site, copy_content, html, replace_text
from halsolots.site import i18n
from halsolots.content.activity import TIMEZONE, ActivityText
from halsolots.commands.serve import SiteRequestHandler
from halsolots.generators.feeds import Calendars, sequence, to_bytes, vtimezone

DOMAIN = "halsolots.goteborg.example"


def calendar_of(calendars, kind="all", lang="sv", **values):
    with i18n.language(lang):
        if kind == "activity":
            return icalendar.Calendar.from_ical(to_bytes(calendars.activity_calendar(values["activity"], lang)))
        feed = calendars.everything if kind == "all" else calendars.feed_for(kind, values["id"])
        return icalendar.Calendar.from_ical(to_bytes(calendars.calendar(feed, lang)))


def events_by_uid(calendar) -> dict[str, list]:
    found: dict[str, list] = {}
    for event in calendar.walk("VEVENT"):
        found.setdefault(str(event["UID"]), []).append(event)
    return found


# --- unit: the model → VCALENDAR ------------------------------------------------------------------------

def test_sequence_rises_with_every_change_and_never_goes_below_zero():
    assert sequence(None) == 0
    assert sequence(date(2026, 11, 2)) == sequence(date(2026, 11, 1)) + 24 * 60  # minutes: two edits in a day count
    assert sequence(datetime(2026, 11, 2, 0, 1, tzinfo=timezone.utc)) == sequence(date(2026, 11, 2)) + 1
    assert sequence(date(2010, 1, 1)) == 0


def test_uid_is_the_activity_identity_at_the_site_domain(calendars, model):
    uids = events_by_uid(calendar_of(calendars))
    assert f"stolgympa@{DOMAIN}" in uids
    assert set(uids) == {f"{a.slug}@{DOMAIN}" for a in model.published if model.in_feeds(a)}


def test_a_weekly_series_is_one_event_with_rrule_exdate_and_a_cancelled_override(calendars):
    series, override = events_by_uid(calendar_of(calendars))[f"stolgympa@{DOMAIN}"]
    assert series["DTSTART"].to_ical() == b"20270302T100000" and series["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert series["RRULE"]["FREQ"] == ["WEEKLY"]
    # UNTIL in UTC (RFC 5545 with a TZID start): the end of the last day, Stockholm time.
    assert b"UNTIL=20270413T215959Z" in series["RRULE"].to_ical()
    assert [d.dt for d in series["EXDATE"].dts] == [datetime(2027, 3, 30, 10, tzinfo=TIMEZONE)]
    assert series["STATUS"] == "CONFIRMED"
    # The cancelled date of the series: an override, so the other dates stay.
    assert override["RECURRENCE-ID"].dt == datetime(2027, 3, 16, 10, tzinfo=TIMEZONE)
    assert override["STATUS"] == "CANCELLED"
    assert override["SUMMARY"] == "Inställd: Stolgympa"
    assert override["SEQUENCE"] == series["SEQUENCE"]


def test_expanding_the_feed_gives_the_sites_occurrences_across_the_dst_change(calendars, model):
    calendar = calendar_of(calendars, "districts", id="centrum")
    found = [(e.start, e.end, e["STATUS"] == "CANCELLED") for e in recurring_ical_events.of(calendar).all()
             if str(e["UID"]) == f"stolgympa@{DOMAIN}"]
    expected = model.occurrences("stolgympa")
    assert found == expected
    # Same wall-clock time on both sides of 2027-03-28, exceptions left out, cancelled date kept and marked.
    assert {(s.hour, s.minute) for s, _e, _c in found} == {(10, 0)}
    assert {s.utcoffset() for s, _e, _c in found} == {timedelta(hours=1), timedelta(hours=2)}
    assert date(2027, 3, 30) not in {s.date() for s, _e, _c in found}
    assert [s.date() for s, _e, c in found if c] == [date(2027, 3, 16)]


def test_a_cancelled_activity_stays_in_the_feed_as_cancelled(calendars):
    (event,) = events_by_uid(calendar_of(calendars, "districts", id="nordost"))[f"installd-promenad@{DOMAIN}"]
    assert event["STATUS"] == "CANCELLED"
    assert event["SUMMARY"] == "Inställd: Inställd promenad"
    assert "Ledaren är sjuk." in event["DESCRIPTION"]


def test_drafts_and_long_past_activities_stay_out_of_subscription_feeds(calendars, model):
    uids = events_by_uid(calendar_of(calendars))
    assert f"hemlig-aktivitet@{DOMAIN}" not in uids
    assert calendars.activity_url(model.by_slug["hemlig-aktivitet"], "sv") is None
    # Last year's course ended more than CALENDAR_PAST_DAYS ago: not in the feeds, still in its own file.
    assert f"forra-arets-kurs@{DOMAIN}" not in uids
    own = calendar_of(calendars, "activity", activity=model.by_slug["forra-arets-kurs"])
    assert [str(e["UID"]) for e in own.walk("VEVENT")] == [f"forra-arets-kurs@{DOMAIN}"]


def test_event_text_location_geo_and_url(calendars):
    events = events_by_uid(calendar_of(calendars, lang="en"))
    (lecture,) = events[f"forelasning-somn@{DOMAIN}"]
    assert lecture["LOCATION"] == "Stadsbiblioteket, Götaplatsen 3, 412 56 Göteborg"
    assert (lecture["GEO"].latitude, lecture["GEO"].longitude) == (57.6975, 11.9797)
    assert lecture["URL"] == f"https://{DOMAIN}/en/aktivitet/forelasning-somn/"
    assert lecture["DESCRIPTION"].endswith(f"More information: https://{DOMAIN}/en/aktivitet/forelasning-somn/")
    assert "<" not in lecture["DESCRIPTION"]
    # Not translated: the Swedish title, marked as Swedish.
    assert lecture["SUMMARY"].params["LANGUAGE"] == "sv"
    (webinar,) = events[f"webbinarium-stress@{DOMAIN}"]
    assert webinar["LOCATION"] == "Online" and "GEO" not in webinar
    assert "Registration required: Anmäl dig på example.se/anmalan." in webinar["DESCRIPTION"]
    series = events[f"stolgympa@{DOMAIN}"][0]
    assert series["SUMMARY"] == "Chair exercise" and "LANGUAGE" not in series["SUMMARY"].params


def test_stamps_come_from_modified_never_from_the_build(calendars):
    events = events_by_uid(calendar_of(calendars))
    (lecture,) = events[f"forelasning-somn@{DOMAIN}"]  # Modified: 2026-11-10
    assert lecture["DTSTAMP"].to_ical() == b"20261110T000000Z"
    assert lecture["LAST-MODIFIED"].to_ical() == b"20261110T000000Z"
    assert lecture["SEQUENCE"] == sequence(date(2026, 11, 10))


def test_feed_properties_name_description_refresh(calendars):
    calendar = calendar_of(calendars, "target_groups", id="seniorer", lang="en")
    assert calendar["X-WR-CALNAME"] == calendar["NAME"] == "Hälsolots – Target group: Seniors"
    assert "Seniors" in calendar["X-WR-CALDESC"] and calendar["DESCRIPTION"] == calendar["X-WR-CALDESC"]
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=12)
    assert calendar["SOURCE"] == f"https://{DOMAIN}/en/kalender/malgrupp/seniorer.ics"
    assert calendar["URL"] == f"https://{DOMAIN}/en/group/seniorer/"
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    sv = calendar_of(calendars, "all")
    assert sv["X-WR-CALNAME"] == "Hälsolots – alla aktiviteter"


def test_absolute_urls_follow_siteurl_then_feed_siteurl_then_the_domain(model):
    def calendars_with(**settings):
        site = copy.copy(model.site)
        site.settings = {**model.settings, **settings}
        return Calendars(site, {})

    assert calendars_with().base_url == f"https://{DOMAIN}"  # a local build (SITEURL '') still gets absolute URLs
    assert calendars_with(FEED_SITEURL="https://preview.example/").base_url == "https://preview.example"
    calendars = calendars_with(SITEURL="https://www.example.se")
    assert calendars.webcal("kalender/alla.ics") == "webcal://www.example.se/kalender/alla.ics"
    assert calendars.absolute("kalender/alla.ics") == "https://www.example.se/kalender/alla.ics"


def test_vtimezone_matches_tzdata_and_refuses_a_changed_rule():
    zone = vtimezone(2026, 2028)
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    calendar = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + zone.to_ical() + b"END:VCALENDAR\r\n")
    tz = calendar.timezones[0].to_tz()
    for moment in (datetime(2027, 3, 28, 1, 59), datetime(2027, 3, 28, 3, 0), datetime(2027, 10, 31, 2, 30),
                   datetime(2027, 10, 31, 3, 0), datetime(2028, 7, 1, 12)):
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=TIMEZONE).utcoffset(), moment
    with pytest.raises(ValueError, match="EU summer-time rule"):
        vtimezone(1979, 1980)  # Sweden had no summer time in 1979


@settings(max_examples=60, deadline=None)
@given(title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(str.strip))
def test_any_title_folds_into_valid_lines_and_reads_back_unchanged(calendars, model, title):
    """Folding at 75 octets never splits a UTF-8 character, whatever the script (Swedish, Arabic, emoji…)."""
    activity = model.by_slug["studentdans"]
    original = activity.texts["sv"]
    activity.texts["sv"] = ActivityText(lang="sv", title=title.strip(), summary=title, body="")
    try:
        with i18n.language("sv"):
            data = to_bytes(calendars.activity_calendar(activity, "sv"))
    finally:
        activity.texts["sv"] = original
    assert rfc5545_problems(data) == []
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == title.strip().lstrip("\ufeff")  # a leading BOM is never sent (parsers drop it)


# --- integration: the built fixture site ----------------------------------------------------------------

def test_feeds_and_single_activity_files_are_written_in_every_language(fixture_site, model):
    for path in model.feed_contents():
        assert (fixture_site / path).is_file(), path
    assert not list(fixture_site.rglob("hemlig-aktivitet*.ics"))
    english = icalendar.Calendar.from_ical((fixture_site / "en/kalender/kategori/rorelse.ics").read_bytes())
    assert english["X-WR-CALNAME"] == "Hälsolots – Category: Movement and exercise"
    assert unfold((fixture_site / "en/kalender/kategori/rorelse.ics").read_bytes())[0] == "BEGIN:VCALENDAR"


def test_a_rebuild_of_unchanged_content_gives_byte_identical_feeds(fixture_site, tmp_path):
    again = tmp_path / "again"
    assert build_site(again, FIXTURE_CONTENT) == 0
    feeds = sorted(p.relative_to(fixture_site) for p in fixture_site.rglob("*.ics"))
    assert feeds == sorted(p.relative_to(again) for p in again.rglob("*.ics"))
    match, mismatch, errors = filecmp.cmpfiles(fixture_site, again, [str(p) for p in feeds], shallow=False)
    assert (mismatch, errors) == ([], [])


def _event(output, uid_slug="stolgympa"):
    calendar = icalendar.Calendar.from_ical((output / "kalender/alla.ics").read_bytes())
    return next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(uid_slug + "@")
                and "RECURRENCE-ID" not in e)


def test_an_edit_raises_the_sequence_without_modified_and_keeps_the_uid(fixture_site, tmp_path):
    """Subscribers' calendars take an update when SEQUENCE or LAST-MODIFIED moves on: any edit does that now
    (the file's last change: its commit, or its own time when not committed), Modified can only move it on."""
    before = _event(fixture_site)
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    source = content / "aktiviteter" / "stolgympa.md"
    replace_text(source, "Title: Stolgympa", "Title: Stolgympa för alla")  # Modified: left as it was
    os.utime(source, (2_000_000_000, 2_000_000_000))  # edited in 2033
    assert build_site(tmp_path / "renamed", content) == 0
    renamed = _event(tmp_path / "renamed")
    assert renamed["UID"] == before["UID"] and renamed["SUMMARY"] == "Stolgympa för alla"
    assert renamed["SEQUENCE"] > before["SEQUENCE"]
    assert renamed["LAST-MODIFIED"].dt == datetime.fromtimestamp(2_000_000_000, timezone.utc)

    replace_text(source, "Start: 2027-03-02 10:00", "Start: 2027-03-02 13:00")
    replace_text(source, "End: 11:00", "End: 14:00")
    replace_text(source, "Modified: 2026-11-01", "Modified: 2034-01-02")  # a later Modified moves it on
    os.utime(source, (2_000_000_000, 2_000_000_000))
    assert build_site(tmp_path / "redated", content) == 0
    redated = _event(tmp_path / "redated")
    assert redated["UID"] == before["UID"]
    assert redated["SEQUENCE"] > renamed["SEQUENCE"]
    assert redated["LAST-MODIFIED"].dt.date() == date(2034, 1, 2)
    assert redated["DTSTART"].dt == datetime(2027, 3, 2, 13, tzinfo=TIMEZONE)


def test_feed_names_never_collide(calendars, model):
    """'Hälsolots – all activities' is not the target group 'All' ('Alla'): every feed says what it holds."""
    for lang in model.site.languages:
        with i18n.language(lang):
            names = [feed.name(lang) for feed in calendars.feeds]
        assert len(names) == len(set(names)), lang
    with i18n.language("sv"):
        assert calendars.everything.name("sv") == "Hälsolots – alla aktiviteter"
        assert calendars.feed_for("target_groups", "alla").name("sv") == "Hälsolots – Målgrupp: Alla"
        assert calendars.feed_for("districts", "centrum", "seniorer").name("sv") == "Hälsolots – Seniorer i Centrum"


def test_a_district_and_group_feed_holds_exactly_that_combination(calendars, model):
    feed = calendars.feed_for("districts", "centrum", "seniorer")
    assert calendars.url(feed, "en") == "en/kalender/omrade/centrum/seniorer.ics"
    with i18n.language("sv"):
        calendar = icalendar.Calendar.from_ical(to_bytes(calendars.calendar(feed, "sv")))
    assert {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")} == {
        a.slug for a in model.published if model.in_feeds(a) and "centrum" in a.term_ids["districts"]
        and "seniorer" in a.term_ids["target_groups"]} == {"stolgympa"}
    assert calendar["URL"] == f"https://{DOMAIN}/omrade/centrum/"  # the district's page always exists


def _apps(container) -> dict[str, str]:
    """A feed's or an activity's links by service, from their link texts."""
    found = {}
    for link in container.select("ul.calendar-apps a"):
        text = link.get_text(" ", strip=True)
        for service, words in (("google", "Google"), ("outlook", "Outlook.com"), ("office", "Microsoft 365"),
                               ("apple", "Apple")):
            if text.startswith(words):
                found[service] = link["href"]
    return found


def _feed_of(links: dict[str, str]) -> str:
    """The site-relative .ics every link of a feed's set subscribes to (all must agree)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    webcal = links["apple"]
    assert links["google"] == "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
    https = "https://" + webcal.removeprefix("webcal://")
    for service in ("outlook", "office"):
        assert parse_qs(urlsplit(links[service]).query)["url"] == [https], service
    return unquote(https.split(DOMAIN + "/", 1)[1])


def test_subscribe_page_offers_every_app_for_every_feed_grouped(fixture_site, model):
    for lang in model.site.languages:
        page = html(fixture_site / model.site.url(lang, "calendars") / "index.html")
        assert page.html["lang"] == lang
        sets = page.select("div.calendar-subscribe")
        offered = []
        for links in sets:
            apps = _apps(links)
            assert set(apps) == {"google", "outlook", "office", "apple"}
            url = _feed_of(apps)
            assert links.select_one("input.calendar-subscribe__url")["value"] == f"https://{DOMAIN}/{url}"
            offered.append(url)
        assert len(offered) == len(set(offered))
        prefix = model.site.prefix(lang)
        contents = model.feed_contents()
        # Every district, group and category feed, and each district × group feed with activities to come.
        singles = [p for p in contents if p.startswith(prefix + "kalender/") and p.count("/") <= 2 + bool(prefix)]
        pairs = [p for p in contents if p.startswith(prefix + "kalender/omrade/") and p.count("/") == 3 + bool(prefix)
                 and any(not model.by_slug[slug].is_past(model.site.today) for slug in contents[p])]
        assert sorted(offered) == sorted(singles + pairs)
        assert f"{prefix}kalender/omrade/centrum/seniorer.ics" in offered
        # A chooser: everything open, every other feed folded under its label, pairs inside their district.
        assert page.select_one("section[aria-labelledby=feeds-all-heading] > div.calendar-subscribe")
        district = page.select_one("section[aria-labelledby=feeds-districts-heading] > details.calendar-feed")
        assert district.select_one("details.calendar-feed") is not None
        assert page.select_one("script[src='/theme/js/calendar-copy.js']")
        text = page.get_text(" ", strip=True)
        assert ("två gånger" if lang == "sv" else "shows up twice") in text
        assert "ICSx⁵" in text
        headings = [h.get_text(strip=True) for h in page.select("h3")]
        assert "iPhone och iPad" in headings if lang == "sv" else "iPhone and iPad" in headings
        assert len(headings) == 5
        nav = page.select_one("nav.site-nav")
        assert nav.find("a", href=f"/{model.site.url(lang, 'calendars')}")


def test_activity_page_adds_to_google_and_outlook_and_links_its_calendar_file(fixture_site, model):
    for lang in model.site.languages:
        page = html(fixture_site / model.site.url(lang, "activity", slug="stolgympa") / "index.html")
        link = page.select_one(".calendar-links a[href$='.ics']")
        assert link["href"] == f"/{model.site.url(lang, 'calendar_activity', slug='stolgympa')}"
        assert (fixture_site / link["href"].lstrip("/")).is_file()
        assert page.select_one(f".calendar-links a[href='/{model.site.url(lang, 'calendars')}']")
        apps = _apps(page.select_one(".calendar-links"))
        assert apps["google"].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
        assert apps["outlook"].startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
        assert apps["office"].startswith("https://outlook.office.com/calendar/0/deeplink/compose?")
    draft = html(fixture_site / "aktivitet/hemlig-aktivitet/index.html")
    assert draft.select_one(".calendar-links") is None


def test_a_series_without_skipped_dates_goes_to_google_as_a_series(calendars, model):
    from urllib.parse import parse_qs, urlsplit

    series = model.by_slug["stolgympa"]  # Cancelled 2027-03-16, no meeting 2027-03-30: a series from April
    with i18n.language("en"):
        now = calendars.add_links(series, "en", model.site.today)
        later = calendars.add_links(series, "en", date(2027, 3, 31))
    assert not now["series"] and "recur" not in parse_qs(urlsplit(now["google"]).query)
    query = parse_qs(urlsplit(later["google"]).query)
    assert later["series"] and query["recur"] == ["RRULE:FREQ=WEEKLY;UNTIL=20270413T215959Z"]
    assert query["dates"] == ["20270406T100000/20270406T110000"]  # the next date, local time with ctz
    with i18n.language("sv"):
        assert calendars.add_links(model.by_slug["installd-promenad"], "sv", model.site.today) is None


@pytest.mark.parametrize("kind, facet, term_id, group", [("district", "districts", "nordost", None),
                                                         ("target_group", "target_groups", "studenter", None),
                                                         ("category", "categories", "forelasning", None),
                                                         ("district_group", "districts", "centrum", "seniorer")])
def test_listing_pages_offer_every_app_for_their_own_feed(fixture_site, model, kind, facet, term_id, group):
    feed_kind = {"districts": "calendar_district", "target_groups": "calendar_target_group",
                 "categories": "calendar_category"}[facet] if group is None else "calendar_district_group"
    values = {"id": term_id} if group is None else {"id": term_id, "group": group}
    for lang in model.site.languages:
        page = html(fixture_site / model.site.url(lang, kind, **values) / "index.html")
        apps = _apps(page.select_one("div.calendar-links"))
        assert set(apps) == {"google", "outlook", "office", "apple"}
        assert _feed_of(apps) == model.site.url(lang, feed_kind, **values)
        assert (fixture_site / model.site.url(lang, feed_kind, **values)).is_file()


def test_serve_sends_calendars_as_text_calendar_utf8(fixture_site):
    handler = functools.partial(SiteRequestHandler, directory=str(fixture_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/kalender/alla.ics"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert response.read() == (fixture_site / "kalender/alla.ics").read_bytes()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
