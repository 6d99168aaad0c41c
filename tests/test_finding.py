"""Issue 17: finding the right activity fast — English addresses in English, the former addresses redirecting,
calendar feeds where they always were, language names in their own language."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote_plus, urljoin, urlparse

import pytest
import yaml

from conftest import REPO, html
from site_pages import html_pages, page_url

DATA = REPO / "content" / "data"
ENGLISH_PATHS = ["/en/programme/", "/en/calendars/", "/en/health/", "/en/films/", "/en/search/"]


def served(site: Path, url: str) -> Path:
    """The file a site-absolute folder URL is served from."""
    return site / url.lstrip("/") / "index.html" if url.endswith("/") else site / url.lstrip("/")


def refresh_target(soup) -> str | None:
    """Where a page's meta refresh sends the browser at once (None: it is no redirect page)."""
    meta = soup.find("meta", attrs={"http-equiv": "refresh"})
    if meta is None:
        return None
    delay, _, rest = meta["content"].partition(";")
    assert delay.strip() == "0", meta
    return rest.strip().removeprefix("url=")


def ids(name: str) -> list[str]:
    return [entry["id"] for entry in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))]


def test_every_english_address_of_the_list_answers_in_english(demo_site):
    paths = [*ENGLISH_PATHS, *(f"/en/district/{i}/" for i in ids("districts.yaml")),
             *(f"/en/group/{i}/" for i in ids("target-groups.yaml")),
             *(f"/en/category/{i}/" for i in ids("categories.yaml"))]
    for url in paths:
        page = served(demo_site, url)
        assert page.is_file(), url
        soup = html(page)
        assert soup.html["lang"] == "en" and refresh_target(soup) is None, url
        # The page names itself by its new address, and its Swedish version by the Swedish one.
        assert soup.find("link", hreflang="en")["href"] == url
        assert not soup.find("link", hreflang="sv")["href"].startswith("/en/")


def test_menu_and_links_on_english_pages_use_the_english_addresses(demo_site):
    soup = html(demo_site / "en" / "index.html")
    menu = {a.get_text(strip=True): a["href"] for a in soup.select(".site-nav a")}
    assert menu["Programme"] == "/en/programme/" and menu["Search"] == "/en/search/"
    assert menu["Health information"] == "/en/health/" and menu["Films"] == "/en/films/"
    assert menu["Calendars"] == "/en/calendars/"
    formerly = ("/en/program/", "/en/omrade/", "/en/malgrupp/", "/en/kategori/", "/en/halsa/", "/en/filmer/",
                "/en/sok/", "/en/sprak/", "/en/tema/")
    for path in html_pages(demo_site / "en"):
        soup = html(path)
        if refresh_target(soup) is not None:
            continue
        for a in soup.find_all("a", href=True):
            assert not a["href"].startswith(formerly), (page_url(demo_site, path), a["href"])


# Pages that had English addresses from the start (printed matter, referral sheets) or are new with them.
NEW_IN_ENGLISH = ("/en/for-healthcare-staff/", "/en/print/", "/en/venues/", "/en/programme/find/", "/en/films/language/",
                  "/en/films/captions/", "/en/films/sign-language/")


def test_every_former_english_address_redirects_to_the_page_now(each_site):
    """For every Swedish page whose English version got English words, /en/<Swedish path> is a redirect page
    to that English version (read from the Swedish page's own hreflang link)."""
    moved = 0
    for path in html_pages(each_site):
        url = page_url(each_site, path)
        if url.startswith("/en/"):
            continue
        soup = html(path)
        english = soup.find("link", rel="alternate", hreflang="en")
        if english is None or refresh_target(soup) is not None:
            continue
        former = "/en" + url
        if english["href"] == former or english["href"].startswith(NEW_IN_ENGLISH):
            continue
        moved += 1
        page = served(each_site, former)
        assert page.is_file(), f"{former} (now {english['href']}) does not answer"
        redirect = html(page)
        assert refresh_target(redirect) == english["href"], former
        assert redirect.find("a", href=english["href"]), former  # without the refresh too
        assert redirect.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert redirect.main.get("data-pagefind-body") is None  # never in the search index
        assert urljoin("https://x.example/", redirect.find("link", rel="canonical")["href"]).endswith(english["href"])
    assert moved > 40  # programme, weeks, districts, groups, categories, languages, health, films, themes…
    assert refresh_target(html(each_site / "en/program/index.html")) == "/en/programme/"
    assert refresh_target(html(each_site / "en/kalender/index.html")) == "/en/calendars/"
    assert refresh_target(html(each_site / "en/sok/index.html")) == "/en/search/"


def test_calendar_feeds_keep_their_addresses_in_english(demo_site):
    """Subscribed feeds never move: the English subscribe page (at its new address) offers the same files."""
    soup = html(demo_site / "en/calendars/index.html")
    links = [urlparse(a["href"]) for a in soup.find_all("a", href=True)]
    feeds = {link.path for link in links if link.scheme in ("", "https", "webcal") and link.path.endswith(".ics")}
    assert "/en/kalender/alla.ics" in feeds
    assert all(href.startswith("/en/kalender/") for href in feeds), feeds
    for href in feeds:
        assert served(demo_site, href).is_file(), href
    for district in ids("districts.yaml"):
        assert (demo_site / f"en/kalender/omrade/{district}.ics").is_file()


def test_languages_are_named_in_their_own_language_and_script(demo_site):
    expected = {"ar": "العربية", "so": "Soomaali", "fa": "فارسی", "ti": "ትግርኛ", "en": "English", "sv": "Svenska"}
    for home, prefix in ((demo_site / "index.html", "/sprak/"), (demo_site / "en/index.html", "/en/language/")):
        links = {a["lang"]: a for a in html(home).select("main a[lang]") if a["href"].startswith(prefix)}
        for code, name in expected.items():
            assert links[code].get_text(strip=True) == name, (home, code)
            assert links[code]["dir"] == ("rtl" if code in ("ar", "fa") else "ltr")
            assert links[code]["href"] == f"{prefix}{code}/"


def test_another_language_gets_its_own_words_as_data():
    """HALSOLOTS_PATHS adds a language's words to a kind without repeating the others'."""
    from halsolots.site.site import Site

    site = Site({"LANGUAGES": ["sv", "en", "ar"], "PATH": str(REPO / "content"), "TODAY": "2026-12-01",
                 "HALSOLOTS_PATHS": {"programme": {"ar": "barnamaj/"}}})
    assert site.url("ar", "programme") == "ar/barnamaj/"
    assert site.url("en", "programme") == "en/programme/"
    assert site.url("sv", "programme") == "program/"
    assert site.former_url("ar", "programme") == "ar/program/"
    assert site.url("ar", "district", id="centrum") == "ar/omrade/centrum/"  # no words of its own yet
    assert site.former_url("ar", "district", id="centrum") is None
    assert site.url("en", "calendar_all") == "en/kalender/alla.ics"


# --- venues, contacts, the activity page -------------------------------------------------------------------

def venues() -> list[dict]:
    return yaml.safe_load((DATA / "venues.yaml").read_text(encoding="utf-8"))


def activity_pages(site: Path, prefix: str = "") -> list[Path]:
    return sorted((site / prefix / "aktivitet").glob("*/index.html"))


def test_every_venue_has_a_page_in_both_languages_with_address_directions_facts_and_links(demo_site):
    labels = {e["id"]: e for e in yaml.safe_load((DATA / "accessibility-features.yaml").read_text(encoding="utf-8"))}
    for venue in venues():
        for lang, url in (("sv", f"/plats/{venue['id']}/"), ("en", f"/en/venues/{venue['id']}/")):
            page = html(served(demo_site, url))
            name = venue["name"][lang] if isinstance(venue["name"], dict) else venue["name"]
            assert page.h1.get_text(strip=True) == name, url
            address = page.select_one(".venue__address").get_text(" ", strip=True)
            assert venue["address"] in address and venue["postcode"] in address, url
            directions = venue["directions"][lang] if isinstance(venue.get("directions"), dict) else venue.get("directions")
            if directions:
                assert page.find("p", string=directions), url
            facts = [li.get_text(strip=True) for li in page.select(".venue__facts li")]
            assert facts == [labels[f]["label"][lang] for f in venue.get("accessibility") or []], url
            links = [a["href"] for a in page.select(".venue__links a")]
            osm = urlparse(links[0])
            assert osm.netloc == "www.openstreetmap.org"
            if venue.get("geo"):
                assert f"mlat={venue['geo'][0]:.5f}" in osm.query and f"mlon={venue['geo'][1]:.5f}" in osm.query
            else:
                assert venue["address"].split()[0] in unquote_plus(osm.query)
            journey = urlparse(links[1])
            assert journey.netloc == "www.vasttrafik.se" and venue["address"] in unquote_plus(journey.query)
            # Links only: nothing on the page is loaded from another site.
            assert not page.select("iframe, img[src^='http'], script[src^='http'], link[href^='http'][rel=stylesheet]")


def test_every_activity_links_to_its_venue_and_the_venue_lists_it(demo_site):
    listed = {}
    for venue in venues():
        page = html(served(demo_site, f"/plats/{venue['id']}/"))
        listed[venue["id"]] = {a["href"] for a in page.select(".activity-summary__title a")}
    checked = 0
    for path in activity_pages(demo_site):
        page = html(path)
        where = page.select_one(".key-facts a[href^='/plats/']")
        if where is None:  # online
            assert "/plats/" not in str(page.select_one(".facts"))
            continue
        venue_id = where["href"].split("/")[2]
        assert page.select_one(f".facts__venue a[href='/plats/{venue_id}/']")
        url = page_url(demo_site, path)
        if page.select_one(".key-facts time"):  # upcoming
            assert url in listed[venue_id], (url, venue_id)
        checked += 1
    assert checked > 20


def test_phone_numbers_and_email_addresses_are_tappable(demo_site):
    from halsolots.site.contacts import tel_uri

    page = html(demo_site / "aktivitet/samtal-om-livet-frolunda/index.html")
    registration = page.select_one(".key-facts")
    assert registration.find("a", href="tel:+46313650030").get_text() == "031-365 00 30"
    assert registration.find("a", href="mailto:halsoteket.vaster@example.se")
    assert tel_uri("+46 31 365 00 00") == tel_uri("031-365 00 00") == "tel:+46313650000"
    # Every number or address written in a page's text is a link (outside links nothing is left bare).
    import re
    bare = re.compile(r"\b0\d{1,3}-\d{2,3}(?: \d{2}){1,3}\b|[\w.]+@[\w.]+\.se\b")
    for path in [*activity_pages(demo_site), *sorted((demo_site / "halsa").glob("*/index.html"))]:
        main = html(path).main
        for a in main.find_all("a"):
            a.decompose()
        for field in main.find_all(["input", "script"]):
            field.decompose()
        assert not bare.findall(main.get_text(" ")), (path, bare.findall(main.get_text(" ")))


def test_activity_page_puts_the_next_date_first_and_all_dates_behind_a_disclosure(demo_site):
    from datetime import date

    today = date(2026, 12, 1)
    weekly = 0
    for path in activity_pages(demo_site):
        page = html(path)
        article = page.select_one("article.activity")
        order = [child for child in article.find_all(recursive=False)]
        classes = [" ".join(c.get("class", [])) or c.name for c in order]
        assert classes.index("key-facts") < classes.index("body"), path
        next_time = page.select_one(".key-facts time")
        if next_time is not None:
            assert date.fromisoformat(next_time["datetime"][:10]) >= today
        dates = page.select_one("section.dates")
        if dates is None:
            continue
        weekly += 1
        assert classes.index("body") < classes.index("dates"), path
        listed = [date.fromisoformat(t["datetime"][:10]) for t in dates.select("details.dates__all li time")]
        assert listed == sorted(listed) and all(day >= today for day in listed), path
        if next_time is not None:
            first_open = [li for li in dates.select("details li") if "dates__cancelled" not in li.get("class", [])]
            assert first_open[0].time["datetime"] == next_time["datetime"], path
        for li in dates.select("details li.dates__cancelled"):
            assert li.select_one(".status-tag--cancelled"), path
    assert weekly > 10
    # "När" never starts with a past date: a series that has begun says until when it runs.
    for path, said in (("aktivitet/mindfulnesspromenad-slottsskogen/index.html", "Varje tisdag, kl. 10.00–11.00, till och med 25 maj 2027"),
                       ("en/aktivitet/mindfulnesspromenad-slottsskogen/index.html", "Every Tuesday, 10:00–11:00, until 25 May 2027")):
        assert html(demo_site / path).select_one(".facts__row dd").get_text(" ", strip=True) == said


def test_activity_page_offers_its_link_to_copy(demo_site):
    page = html(demo_site / "en/aktivitet/mindfulnesspromenad-slottsskogen/index.html")
    field = page.select_one(".share-link input")
    assert field["readonly"] is not None
    assert field["value"] == "https://halsolots.goteborg.example/en/aktivitet/mindfulnesspromenad-slottsskogen/"
    assert page.find("label", attrs={"for": field["id"]})
    assert page.select_one(".share-link button")["hidden"] is not None  # shown by the script only


# --- the home page answers first; targets and focus (WCAG 2.2) ---------------------------------------------

def test_home_page_offers_districts_then_today_then_this_week_before_the_long_lists(demo_site):
    for home, today_word in ((demo_site / "index.html", "I dag"), (demo_site / "en/index.html", "Today")):
        main = html(home).main
        headings = [h.get("id") for h in main.find_all("h2")]
        assert headings[:3] == ["districts-heading", "today-heading", "week-heading"], (home, headings)
        assert headings.index("find-heading") > headings.index("week-heading")
        assert main.find(id="today-heading").get_text(strip=True) == today_word
        districts = [a["href"] for a in main.select(".home-districts a")]
        assert len(districts) == len(ids("districts.yaml"))
        # Today's activities are those of 1 December (the tests' today), the rest of the week after them.
        today = main.find(id="today-heading").find_parent("section")
        days = [t["datetime"] for t in today.select(".occurrence-list__day time")]
        assert days in ([], ["2026-12-01"])
        later = main.find(id="week-heading").find_parent("section")
        later_days = [t["datetime"] for t in later.select(".occurrence-list__day time")]
        assert later_days and all("2026-12-02" <= d <= "2026-12-07" for d in later_days)


BOXES = """() => [...document.querySelectorAll('a[href], button:not([hidden]), input:not([type=hidden]), select, summary')]
  .filter(e => e.getClientRects().length && e.checkVisibility({visibilityProperty: true})
               && !e.closest('.visually-hidden, .skip-link'))
  .map(e => { const r = e.getBoundingClientRect(); const block = e.closest('p, li, dd, td');
    // In a sentence (WCAG 2.5.8's inline exception): the block around it has text outside the target.
    const own = (e.textContent || '').trim().length, around = block ? block.textContent.trim().length : own;
    return {html: e.outerHTML.slice(0, 90), x: r.x, y: r.y, w: r.width, h: r.height,
            inline: getComputedStyle(e).display === 'inline' && around > own + 1}; })"""


def _too_small(boxes):
    """Targets under 24 × 24 px that are neither inline in text nor spaced (a 24 px circle on each one's centre
    touches no other target: 2.5.8's spacing exception)."""
    small = []
    for box in boxes:
        if box["w"] >= 24 and box["h"] >= 24 or box["inline"]:
            continue
        cx, cy = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
        for other in boxes:
            if other is box:
                continue
            nx = min(max(cx, other["x"]), other["x"] + other["w"])
            ny = min(max(cy, other["y"]), other["y"] + other["h"])
            if (nx - cx) ** 2 + (ny - cy) ** 2 < 12 ** 2:
                small.append(box["html"])
                break
    return small


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
def test_every_target_is_24_px_or_spaced_and_buttons_use_the_text_size(chromium, demo_site, demo_server, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = {}
    for url in ("/", "/en/", "/program/", "/en/programme/", "/aktivitet/samtal-om-livet-frolunda/",
                "/plats/stadsbiblioteket/", "/sok/", "/en/calendars/"):
        page.goto(demo_server + url)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")  # their targets too
        small = _too_small(page.evaluate(BOXES))
        if small:
            problems[url] = small
        sizes = page.evaluate("() => [...document.querySelectorAll('main button')].map(b => parseFloat(getComputedStyle(b).fontSize))")
        assert all(size >= 16 for size in sizes), (url, sizes)
    context.close()
    assert not problems, problems


@pytest.mark.browser
def test_focus_is_never_hidden_under_other_content(chromium, demo_server):
    """WCAG 2.4.11: tabbing through the home page and an activity page, each focused element is on top where it is."""
    context = chromium.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    for url in ("/", "/aktivitet/samtal-om-livet-frolunda/"):
        page.goto(demo_server + url)
        for _ in range(60):
            page.keyboard.press("Tab")
            covered = page.evaluate("""() => { const e = document.activeElement; if (!e || e === document.body) return null;
                const r = e.getBoundingClientRect(); if (!r.width) return null;
                const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
                const top = document.elementFromPoint(x, y);
                return top && (top === e || e.contains(top) || top.contains(e)) ? null : e.outerHTML.slice(0, 90); }""")
            assert covered is None, (url, covered)
    context.close()


@pytest.mark.browser
def test_today_and_this_week_start_near_the_top_on_a_phone(chromium, demo_server):
    context = chromium.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(demo_server + "/")
    top = page.evaluate("() => document.getElementById('today-heading').getBoundingClientRect().top + scrollY")
    context.close()
    assert top < 1000, f"today starts {top} px down"


@pytest.mark.browser
def test_the_target_size_check_finds_small_crowded_targets(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.set_content("""<ul style="list-style:none;margin:0;padding:0;font-size:12px;line-height:14px">
      <li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul><p>Text with <a href="/c">a link</a> in it.</p>""")
    small = _too_small(page.evaluate(BOXES))
    context.close()
    assert len(small) == 2 and all("/c" not in s for s in small)


# --- the programme finder ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_model():
    from calendar_support import Model
    from conftest import TODAY

    return Model(REPO / "content", TODAY)


def expected_matches(model, query: dict) -> set[tuple[str, str]]:
    """(day, activity page) of every occasion the finder should list for `query`, from the model's facts:
    the 13 weeks from this Monday (drafts too: the tests build a preview)."""
    from datetime import date, timedelta

    today = date.fromisoformat(model.settings["TODAY"])
    monday = today - timedelta(days=today.weekday())
    end = monday + timedelta(weeks=13)
    spans = {"": (today, end), "today": (today, today + timedelta(days=1)), "week": (today, monday + timedelta(days=7)),
             "next": (monday + timedelta(days=7), monday + timedelta(days=14))}
    first, last = spans[query.get("when", "")]
    found = set()
    for activity in model.all:
        venue = activity.venue
        facts = venue.get("accessibility") or [] if venue is not None else []
        if query.get("district") and query["district"] not in [d.id for d in activity.districts]:
            continue
        if query.get("group") and query["group"] not in [g.id for g in activity.target_groups]:
            continue
        if query.get("category") and query["category"] != activity.category.id:
            continue
        if query.get("language") and query["language"] not in activity.languages:
            continue
        if query.get("registration") and query["registration"] != activity.registration:
            continue
        if query.get("sign") and not activity.sign_language:
            continue
        if not all(feature in facts for feature in query.get("access", [])):
            continue
        for occ in activity.occurrences:
            hour = occ.start.hour
            part = "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"
            if not first <= occ.day < last or query.get("day") and str(occ.day.isoweekday()) not in query["day"]:
                continue
            if query.get("time") and part not in query["time"]:
                continue
            found.add((occ.day.isoformat(), f"/aktivitet/{activity.slug}/"))
    return found


def shown_matches(page) -> set[tuple[str, str]]:
    return set(map(tuple, page.evaluate("""() => [...document.querySelectorAll('[data-finder-results] ul')].flatMap(ul => {
        const day = ul.previousElementSibling.querySelector('time').getAttribute('datetime');
        return [...ul.querySelectorAll('a')].map(a => [day, a.getAttribute('href')]); })""")))


def wait_for_results(page):
    page.wait_for_function("() => { const r = document.querySelector('[data-finder-results]');"
                           " return r && !r.hidden && document.querySelector('.finder__count').textContent; }")


QUERIES = [
    {"district": "hisingen", "time": ["morning"]},
    {"group": "seniorer", "day": ["2"]},
    {"category": "rorelse", "registration": "drop-in", "when": "week"},
    {"language": "ar"},
    {"access": ["hearing-loop", "lift"], "when": "next"},
    {"sign": "1"},
    {"district": "nordost", "day": ["1", "3"], "time": ["afternoon", "evening"]},
    {"district": "centrum", "group": "studenter", "time": ["evening"], "when": "today"},
]


def query_string(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])])


def test_finder_data_holds_exactly_the_coming_weeks_of_the_model(demo_site, demo_model):
    import json

    data = json.loads((demo_site / "program/hitta/aktiviteter.json").read_text(encoding="utf-8"))
    listed = {(day[0], data["activities"][o[0]]["u"]) for day in data["days"] for o in day[3]}
    assert {(day, "/" + url) for day, url in listed} == expected_matches(demo_model, {})
    english = json.loads((demo_site / "en/programme/find/activities.json").read_text(encoding="utf-8"))
    assert len(english["activities"]) == len(data["activities"])
    assert english["messages"]["count"]["one"] == "{count} occasion matches"


@pytest.mark.browser
def test_finder_combinations_give_the_models_activities_and_the_address_restores_them(chromium, demo_server,
                                                                                      demo_model):
    context = chromium.new_context()
    page = context.new_page()
    checked_empty = checked_full = 0
    for query in QUERIES:
        expected = expected_matches(demo_model, query)
        page.goto(f"{demo_server}/program/?{query_string(query)}")
        wait_for_results(page)
        assert shown_matches(page) == expected, query
        assert page.locator(".finder__count").text_content().split()[0] == str(len(expected)), query
        # The form shows the choice the address holds.
        for name, values in query.items():
            for value in values if isinstance(values, list) else [values]:
                field = page.locator(f"form.finder [name={name}]").first
                if field.get_attribute("type") in ("checkbox", "radio"):
                    assert page.locator(f"form.finder [name={name}][value='{value}']").is_checked(), (query, name)
                else:
                    assert field.input_value() == value, (query, name)
        assert page.locator("[data-finder-static]").first.is_hidden()
        checked_empty += not expected
        checked_full += bool(expected)
    context.close()
    assert checked_full >= 5 and checked_empty >= 1


@pytest.mark.browser
def test_finder_choices_go_into_the_address_and_back_restores_them(chromium, demo_server, demo_model):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{demo_server}/en/programme/")
    assert page.locator("[data-finder-results]").is_hidden()
    page.select_option("#finder-district", "hisingen")
    page.wait_for_url("**/en/programme/?district=hisingen")
    wait_for_results(page)
    assert shown_matches(page) == {(d, "/en" + u) for d, u in expected_matches(demo_model, {"district": "hisingen"})}
    page.locator(".finder__more summary").click()
    page.check("form.finder [name=time][value=morning]")
    page.wait_for_url("**/en/programme/?district=hisingen&time=morning")
    wait_for_results(page)
    morning = expected_matches(demo_model, {"district": "hisingen", "time": ["morning"]})
    assert shown_matches(page) == {(d, "/en" + u) for d, u in morning}
    status = page.locator("form.finder [role=status]")
    assert status.text_content() == f"{len(morning)} occasion{'s' if len(morning) != 1 else ''} match{'es' if len(morning) == 1 else ''}"
    page.go_back()
    page.wait_for_url("**/en/programme/?district=hisingen")
    assert not page.is_checked("form.finder [name=time][value=morning]")
    assert page.input_value("#finder-district") == "hisingen"
    page.wait_for_function("() => document.querySelector('.finder__count').textContent.startsWith('%d ')"
                           % len(expected_matches(demo_model, {"district": "hisingen"})))
    page.go_back()
    page.wait_for_url("**/en/programme/")
    page.wait_for_function("() => document.querySelector('[data-finder-results]').hidden")
    assert page.input_value("#finder-district") == ""
    assert page.locator("[data-finder-static]").first.is_visible()
    context.close()


@pytest.mark.browser
def test_finder_on_a_district_page_starts_from_its_district(chromium, demo_server, demo_model):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{demo_server}/omrade/centrum/")
    assert page.input_value("#finder-district") == "centrum"
    page.check("form.finder [name=when][value=week]")
    page.wait_for_url("**/omrade/centrum/?district=centrum&when=week")
    wait_for_results(page)
    assert shown_matches(page) == expected_matches(demo_model, {"district": "centrum", "when": "week"})
    context.close()


@pytest.mark.browser
def test_finder_without_javascript_answers_with_a_page(chromium, demo_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_server}/program/")
    assert page.locator("[data-finder-static]").first.is_visible()  # the static programme
    page.select_option("#finder-district", "hisingen")
    with page.expect_navigation():
        page.click("form.finder button[type=submit]")
    # The server answers with the district's own page (a 303, generators/finder.py); no note, the choice is whole.
    assert page.url == f"{demo_server}/omrade/hisingen/"
    assert page.locator("h1").text_content() == "Hisingen"
    assert page.locator("#finder-note").is_hidden()
    page.check("form.finder [name=when][value=today]")
    with page.expect_navigation():
        page.click("form.finder button[type=submit]")
    assert page.url == f"{demo_server}/omrade/hisingen/#finder-note"  # part of the choice: the note says so
    assert page.locator("#finder-note").is_visible()
    context.close()


def test_month_overview_is_a_table_of_the_days_with_their_activities(demo_site, demo_model):
    from datetime import date

    page = html(demo_site / "program/index.html")
    tables = page.select("section.months table.month")
    assert [t.caption.get_text(strip=True) for t in tables] == ["December 2026", "Januari 2027"]
    counts = {}
    for activity in demo_model.all:
        for occ in activity.occurrences:
            if not occ.cancelled and occ.day >= date(2026, 12, 1):
                counts[occ.day] = counts.get(occ.day, 0) + 1
    for table, month in zip(tables, (12, 1)):
        headers = table.select("thead th")
        assert [th["scope"] for th in headers] == ["col"] * 7
        assert headers[0].select_one(".visually-hidden").get_text() == "måndag"
        year = 2026 if month == 12 else 2027
        for td in table.select("tbody td"):
            number = td.select_one(".month__date")
            if number is None:
                continue
            day = date(year, month, int(number.get_text()))
            link = td.find("a")
            expected = counts.get(day, 0) if day >= date(2026, 12, 1) else 0
            if not expected or day >= date(2027, 1, 31):
                continue
            if link is None:  # beyond the programme's week pages
                continue
            assert link.select_one("[aria-hidden]").get_text() == str(expected), day
            target = html(served(demo_site, link["href"]))
            assert target.find("time", datetime=day.isoformat()), (day, link["href"])
        assert "month__today" in str(table) if month == 12 else True


# --- English that is English ---------------------------------------------------------------------------------

def swedish_phrases() -> set[str]:
    """Swedish words the demo content and data hold that are not also English: every vocabulary label and venue
    text in Swedish, and the Swedish originals' titles, summaries, registration and cancellation texts and organiser
    descriptions."""
    from halsolots.content.source import read_header

    swedish, english = set(), set()
    for data in DATA.glob("*.yaml"):
        for entry in yaml.safe_load(data.read_text(encoding="utf-8")) or []:
            for key, value in entry.items():
                if isinstance(value, dict) and "sv" in value:
                    swedish.add(str(value["sv"]).strip())
                    english.update(str(v).strip() for k, v in value.items() if k != "sv")
    for folder in ("aktiviteter", "halsa", "filmer"):
        for path in (REPO / "content" / folder).glob("*.md"):
            header = read_header(str(path))[0]
            target = english if header.text("lang") == "en" else swedish
            for field in ("title", "summary", "how-to-register", "cancellation-note", "organiser-description"):
                if header.text(field):
                    target.add(header.text(field))
    return {phrase for phrase in swedish - english if len(phrase) >= 5}


def proper_names() -> list[str]:
    """Names that are the same in every language (a venue's or service's name, an organiser): a Swedish word in
    one of them ("Hälsoteket i Nordost") is a name, not untranslated text."""
    from halsolots.content.source import read_header

    names = set()
    for data in DATA.glob("*.yaml"):
        for entry in yaml.safe_load(data.read_text(encoding="utf-8")) or []:
            names.update(str(entry[key]) for key in ("name", "service") if isinstance(entry.get(key), str))
    for path in (REPO / "content" / "aktiviteter").glob("*.md"):
        header = read_header(str(path))[0]
        names.update(filter(None, [header.text("organiser"), *header.items_list("partners")]))
    return sorted(names, key=len, reverse=True)


def _phrase_finder(phrases):
    import re

    pattern = re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in sorted(phrases, key=len, reverse=True)))
    names = re.compile("|".join(re.escape(name) for name in proper_names()))
    return lambda text: pattern.findall(names.sub(" ", text))


def swedish_leaks(soup, phrases) -> list[str]:
    """Swedish phrases in the body's text or in attributes people hear, outside an element with lang="sv"."""
    leaks = []
    find = _phrase_finder(phrases)
    for node in soup.body.find_all(string=True):
        if node.parent.name in ("script", "style") or not node.strip():
            continue
        holder = node.parent if node.parent.get("lang") is not None else node.find_parent(attrs={"lang": True})
        if holder is not None and holder["lang"] == "sv":
            continue
        leaks += [f"{phrase!r} in <{node.parent.name}>" for phrase in find(str(node))]
    for element in soup.body.find_all(attrs={"aria-label": True}):
        holder = element if element.get("lang") else element.find_parent(attrs={"lang": True})
        if holder is None or holder["lang"] != "sv":
            leaks += [f"{phrase!r} in aria-label" for phrase in find(element["aria-label"])]
    return leaks


def test_no_swedish_on_english_pages_outside_lang_sv(demo_site):
    phrases = swedish_phrases()
    assert {"Seniorer", "Rörelse och träning"} <= phrases  # the check knows Swedish when it sees it
    found = {}
    for path in html_pages(demo_site / "en"):
        leaks = swedish_leaks(html(path), phrases)
        if leaks:
            found[page_url(demo_site, path)] = leaks[:5]
    assert not found, f"{len(found)} English pages with Swedish outside lang=sv: {dict(list(found.items())[:10])}"


def test_untranslated_text_says_so_visibly(demo_site):
    checked = 0
    for folder in ("aktivitet", "health", "films"):
        for path in sorted((demo_site / "en" / folder).glob("*/index.html")):
            soup = html(path)
            article = soup.find("article")
            if article is None or refresh_target(soup) is not None:
                continue
            note = soup.select_one(".notice--language")
            if article.get("lang") == "sv":
                assert note is not None and note.get_text(strip=True) == "This text is only available in Swedish.", path
                assert note["lang"] == "en"
                checked += 1
            else:
                assert note is None, path
    assert checked >= 5


# --- films: filters, caption files, captions on from the start ------------------------------------------------

def test_film_archive_filters_by_spoken_language_captions_and_sign_language(demo_site):
    from halsolots.content.source import read_header

    films = {}
    for path in (REPO / "content" / "filmer").glob("*.md"):
        header = read_header(str(path))[0]
        if header.text("lang") in ("", "sv") and header.text("status") != "draft":
            captions = [item.split(":")[0].strip() for item in header.items_list("captions")]
            films[f"/filmer/{header.text('slug') or path.stem}/"] = (
                header.items_list("languages"), captions, header.text("sign-language").lower() in ("yes", "ja"))

    def listed(url):
        return {a["href"] for a in html(served(demo_site, url)).select(".film-card__title a")}

    assert listed("/filmer/sprak/sv/") == {u for u, (langs, _, _) in films.items() if "sv" in langs}
    assert listed("/filmer/textning/en/") == {u for u, (_, caps, _) in films.items() if "en" in caps}
    assert listed("/filmer/teckensprak/") == {u for u, (_, _, signed) in films.items() if signed}
    archive = html(demo_site / "en/films/index.html")
    links = {a["href"] for a in archive.select(".film-filters a")}
    assert {"/en/films/language/sv/", "/en/films/captions/en/", "/en/films/sign-language/"} <= links


def test_a_film_on_a_provider_offers_its_caption_files_and_text_and_asks_for_captions(demo_site):
    page = html(demo_site / "en/films/barns-somn-och-skarmar/index.html")
    files = [a["href"] for a in page.select(".film__captions a[download]")]
    assert files == ["/media/filmer/textning/barns-somn-och-skarmar.sv.vtt"]
    assert (demo_site / files[0].lstrip("/")).is_file()
    cues = (REPO / "content/media/filmer/textning/barns-somn-och-skarmar.sv.vtt").read_text(encoding="utf-8")
    text = page.select_one(".film__caption-text div[lang=sv]").get_text(" ", strip=True)
    first_cue = [line for line in cues.splitlines() if line and "-->" not in line and line != "WEBVTT"][0]
    assert text.startswith(first_cue)
    embed = urlparse(page.select_one(".video-embed")["data-embed-src"])
    assert embed.netloc == "www.youtube-nocookie.com"
    assert "cc_load_policy=1" in embed.query and "cc_lang_pref=sv" in embed.query and "hl=en" in embed.query


@pytest.mark.browser
@pytest.mark.checkers  # axe-core from node_modules
@pytest.mark.parametrize("width", [320, 1280])
def test_axe_finds_nothing_on_the_new_pages_and_states_at_both_widths(chromium, demo_server, width):
    """WCAG 2.0–2.2 A and AA (test_axe's rules) on the home page, the programme with the finder's results and every
    choice open, a district page, an activity, a venue, the finder's page and the English programme."""
    from test_axe import AXE, RUN_AXE, WCAG_TAGS, format_violations

    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    found = {}
    for url in ("/", "/program/?district=hisingen&time=morning", "/en/programme/", "/omrade/centrum/",
                "/aktivitet/samtal-om-livet-frolunda/", "/plats/stadsbiblioteket/", "/en/venues/slottsskogen/",
                "/program/hitta/", "/en/films/barns-somn-och-skarmar/", "/en/programme/?when=today&group=nothing"):
        page.goto(demo_server + url)
        if "?" in url:
            page.wait_for_function("() => !document.querySelector('[data-finder-results]').hidden")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        violations = page.evaluate(RUN_AXE, WCAG_TAGS)
        if violations:
            found[url] = violations
    context.close()
    assert not found, format_violations(found)


@pytest.mark.browser
def test_finder_on_a_district_page_can_choose_every_district(chromium, demo_server, demo_model):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{demo_server}/omrade/centrum/")
    page.select_option("#finder-district", "")
    page.wait_for_url("**/omrade/centrum/?district=")
    wait_for_results(page)
    assert shown_matches(page) == expected_matches(demo_model, {})
    page.reload()
    wait_for_results(page)
    assert page.input_value("#finder-district") == ""
    context.close()


# --- the organiser's description and untranslated titles ------------------------------------------------------


def organiser_row(soup):
    return next(row for row in soup.select(".activity__facts .facts__row")
                if row.dt.get_text(strip=True) in ("Arrangör", "Organiser"))


def test_the_organisers_description_is_in_the_pages_language(demo_site, fixture_site):
    swedish = organiser_row(html(demo_site / "aktivitet/mjuk-yoga-ruddalen/index.html")).select_one(".facts__organiser")
    english = organiser_row(html(demo_site / "en/aktivitet/mjuk-yoga-ruddalen/index.html")).select_one(
        ".facts__organiser")
    assert swedish.get_text().startswith("Hälsoteket i Väster är stadens") and not swedish.has_attr("lang")
    assert english.get_text().startswith("Hälsoteket i Väster is the city's") and not english.has_attr("lang")
    assert english.find_parent(attrs={"lang": True})["lang"] == "en"
    # A translation without it: the Swedish text, marked as Swedish.
    untranslated = organiser_row(html(fixture_site / "en/aktivitet/stolgympa/index.html")).select_one(
        ".facts__organiser")
    assert untranslated["lang"] == "sv" and untranslated.get_text().startswith("Hälsolotsen i Centrum")


def test_a_translation_may_hold_the_organisers_description():
    from halsolots.content.activity import check_translation_header
    from halsolots.content.problems import ProblemCollector
    from halsolots.content.source import parse_header

    header = parse_header("Title: Chair exercise\nSlug: stolgympa\nLang: en\nOrganiser-description: We help.\n")
    collector = ProblemCollector("x.en.md", header)
    check_translation_header(header, collector)
    assert collector.problems == []


@pytest.mark.parametrize("path, title", [
    ("en/aktivitet/babyrytmik-frolunda/index.html", "Babyrytmik för föräldralediga (in Swedish) – Hälsolots Gothenburg"),
    ("en/health/lustgas/index.html", "Lustgas – riskerna du inte ser (in Swedish) – Hälsolots Gothenburg"),
    ("en/aktivitet/mjuk-yoga-ruddalen/index.html", "Gentle yoga – Hälsolots Gothenburg"),
    ("aktivitet/babyrytmik-frolunda/index.html", "Babyrytmik för föräldralediga – Hälsolots Göteborg"),
])
def test_an_untranslated_pages_title_says_it_is_in_swedish(demo_site, path, title):
    soup = html(demo_site / path)
    assert soup.title.get_text() == title
    if "(in Swedish)" in title:  # the words of the page's visible note
        note = soup.select_one(".notice--language").get_text()
        assert note == "This text is only available in Swedish."


def test_the_finders_map_knows_exactly_the_district_group_pages_the_programme_writes(each_model):
    from halsolots.content.programme import Programme
    from halsolots.generators.finder import groups_by_district

    site = each_model.site
    programme = Programme(each_model.all, site.today, 4, site.vocabularies.target_groups)
    expected = {d.id: tuple(g.id for g in programme.groups_in("districts", d.id)) for d in site.vocabularies.districts}
    assert groups_by_district(each_model.all, site) == expected
    assert any(expected.values())
