"""For healthcare staff: the FaR field, the referral page and its sheets (one per district × need), their links
from every district page and footer, the weekday choice (in the #fragment; CSS :target, so it works without
JavaScript too), a sheet on one printed A4 page with a QR code per activity, and print styles on every page. axe
and the Nu checker cover these pages with every other page of the demo site (test_axe.py, test_a11y_static.py)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from calendar_support import Model
from conftest import FIXTURE_CONTENT, REPO, TODAY, html
from halsolots.content.activity import ActivityParser
from halsolots.content.problems import ProblemCollector
from halsolots.content.source import parse_header
from halsolots.content.vocabulary import Vocabularies

BASE = "https://halsolots.goteborg.example"
DISTRICTS = ["centrum", "hisingen", "nordost", "sydvast"]
NEEDS = ["far", "stress-och-somn", "ensamhet", "foraldrar", "annat-sprak", "tillganglighet"]
FOLDER = {"sv": "for-vardpersonal", "en": "en/for-healthcare-staff"}


@pytest.fixture(scope="module")
def demo():
    return Model(REPO / "content", TODAY)


def parse(extra: str):
    text = ("Title: Stolgympa\nStart: 2027-03-02 10:00\nEnd: 11:00\nVenue: biblioteket\nDistricts: centrum\n"
            "Groups: seniorer\nCategory: rorelse\nOrganiser: Hälsolots\nRegistration: drop-in\nLanguages: sv\n"
            + extra + "\nText.\n")
    header = parse_header(text)
    collector = ProblemCollector("aktiviteter/x.md", header)
    activity = ActivityParser(Vocabularies(str(FIXTURE_CONTENT / "data")), ["sv", "en"]).parse(
        "x", "aktiviteter/x.md", header, collector)
    return activity, collector


# --- the FaR field ------------------------------------------------------------------------------------


def test_far_marks_an_activity_and_is_optional():
    activity, collector = parse("Repeat: weekly\nUntil: 2027-04-13\nFaR: yes\n")
    assert activity.far and not collector.problems
    activity, collector = parse("")
    assert activity.far is False and not collector.problems


def test_a_wrong_far_value_is_a_plain_problem_in_swedish():
    activity, collector = parse("FaR: kanske\n")
    assert activity is None
    [problem] = collector.problems
    assert problem.format(lang="sv") == "aktiviteter/x.md:11: FaR: 'kanske' är varken yes eller no (yes eller no)"


def test_far_on_a_single_occasion_is_a_warning():
    activity, collector = parse("FaR: yes\n")
    assert activity is not None and activity.far
    [problem] = collector.problems
    assert problem.severity == "warning"
    assert problem.format(lang="sv") == ("aktiviteter/x.md:11: FaR: är yes men aktiviteten är ett enstaka tillfälle "
                                         "(en veckoserie (Repeat: weekly) som man kan fortsätta gå på, eller inget "
                                         "FaR-fält)")
    assert "is yes but the activity is a single occasion" in problem.format(lang="en")


def test_demo_activities_suit_far(demo):
    far = {a.slug for a in demo.all if a.far}
    assert len(far) >= 5 and {"qigong-angered", "far-introduktion-gym-lundby"} <= far
    assert all(demo.by_slug[slug].schedule.weekly for slug in far)


def test_the_guide_documents_far():
    guide = (REPO / "docs" / "guide-for-kommunikatorer.md").read_text(encoding="utf-8")
    assert "| `FaR` |" in guide


# --- the pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_district_and_need_has_a_sheet_linked_from_the_referral_page(demo_site, lang):
    page = html(demo_site / FOLDER[lang] / "index.html")
    links = {a["href"] for a in page.select("main a")}
    for district in DISTRICTS:
        for need in NEEDS:
            sheet = f"{FOLDER[lang]}/{district}/{need}/"
            assert (demo_site / sheet / "index.html").is_file(), sheet
            assert f"/{sheet}" in links, sheet
    form = page.select_one("form.referral-form")
    assert form.has_attr("hidden"), "the form needs JavaScript: without it, the links are the way"
    assert not form.has_attr("action") and "method" not in form.attrs


def _expected(demo, district: str, need_id: str) -> list[str]:
    """Activities of the district, upcoming and not cancelled, that suit the need, as the sheets must list them."""
    today = date.fromisoformat(TODAY)
    need = demo.site.vocabularies.referral_needs[need_id]
    features = set(need.get("accessibility") or [])

    def suits(a) -> bool:
        return (need_id == "far" and a.far) \
            or bool(set(need.get("themes") or []) & {t.id for t in a.themes}) \
            or bool(set(need.get("groups") or []) & {g.id for g in a.target_groups}) \
            or (need_id == "annat-sprak" and any(code != "sv" for code in a.languages)) \
            or bool(features and (a.online or features <= set(a.venue.get("accessibility") or [])))

    found = [a for a in demo.published if not a.cancelled and a.next_occurrence(today)
             and district in a.term_ids["districts"] and suits(a)]
    found.sort(key=lambda a: (a.next_occurrence(today).start, a.slug))
    return [a.slug for a in found]


@pytest.mark.parametrize("district", DISTRICTS)
def test_a_sheet_lists_the_matching_activities_with_a_qr_code_each(demo_site, demo, district):
    for need in NEEDS:
        page = html(demo_site / FOLDER["sv"] / district / need / "index.html")
        items = page.select("li.referral-item")
        expected = _expected(demo, district, need)
        slugs = [item.select_one("a")["href"].rstrip("/").rsplit("/", 1)[1] for item in items]
        assert slugs == expected[:6], (district, need)
        for item, slug in zip(items, slugs):
            qr = item.select_one("img.qr")
            assert qr["src"].startswith("data:image/svg+xml;base64,")
            assert qr["alt"] == f"QR-kod: {BASE}/aktivitet/{slug}/"
        if len(expected) > 6:
            assert f"{len(expected) - 6} aktivitet" in page.select_one("main").get_text()
        main = page.select_one("main")
        assert not main.select("input, textarea, select, form"), "a sheet asks for nothing"
        assert "Allt är gratis" in main.get_text()
        service = demo.site.vocabularies.districts[district]
        assert service.get("email") in main.get_text()


def test_far_sheet_in_english(demo_site):
    page = html(demo_site / FOLDER["en"] / "nordost" / "far" / "index.html")
    assert page.select_one("h1").get_text(" ", strip=True).startswith(
        "Free activities for you: Physical activity on prescription (FaR)")
    assert page.html["lang"] == "en"


def test_every_district_page_and_every_footer_links_the_referral_page(demo_site):
    for lang, folder in (("sv", "omrade"), ("en", "en/district")):
        for district in DISTRICTS:
            page = html(demo_site / folder / district / "index.html")
            assert page.select_one(f"main a[href='/{FOLDER[lang]}/#omrade-{district}']"), (lang, district)
    for path in [demo_site / "index.html", demo_site / "en" / "programme" / "index.html",
                 demo_site / "aktivitet" / "qigong-angered" / "index.html"]:
        footer = html(path).select_one("footer.site-footer")
        assert footer.select_one("a[href$='for-vardpersonal/'], a[href$='for-healthcare-staff/']"), path
    # Without PRINT there is no printed matter to link to
    assert not html(demo_site / "index.html").select("a[href='/trycksaker/']")


# --- in the browser: the form, the weekday, one printed page, print styles ------------------------------


@pytest.mark.browser
def test_the_form_goes_to_the_chosen_sheet_and_the_weekday_stays_in_the_browser(chromium, demo_server):
    page = chromium.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{demo_server}/for-vardpersonal/")
    assert page.is_visible("form.referral-form")
    page.check("input[name=need][value=far]")
    page.select_option("#referral-district", "nordost")
    page.select_option("#referral-day", "0")  # Mondays
    page.click("form.referral-form button")
    page.wait_for_url("**/for-vardpersonal/nordost/far/#dag-0")
    assert all("dag-" not in url for url in requests), "the weekday never leaves the browser"
    visible = page.eval_on_selector_all("li.referral-item", SHOWN_DAYS)
    assert visible and all("0" in days.split() for days in visible)
    assert page.is_visible(".referral-sheet__filter[data-day='0']")
    page.click(".referral-sheet__filter[data-day='0'] a")
    shown = page.eval_on_selector_all("li.referral-item", SHOWN_DAYS)
    assert len(shown) == page.eval_on_selector_all("li.referral-item", "items => items.length")
    page.close()


SHOWN_DAYS = "items => items.filter(i => i.checkVisibility()).map(i => i.dataset.days)"


@pytest.mark.browser
def test_a_sheets_weekday_links_work_without_javascript(chromium, demo_server):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_server}/for-vardpersonal/hisingen/far/")
    every = page.eval_on_selector_all("li.referral-item", SHOWN_DAYS)
    assert every and not any(page.is_visible(f".referral-sheet__filter[data-day='{day}']") for day in range(7))
    days = sorted({int(day) for item in every for day in item.split()})
    assert len(days) >= 2, "the demo's Hisingen FaR sheet has activities on more than one weekday"
    for day in days:
        page.click(f"nav.referral-days a[href='#dag-{day}']")
        shown = page.eval_on_selector_all("li.referral-item", SHOWN_DAYS)
        assert shown == [item for item in every if str(day) in item.split()], day
        assert page.is_visible(f".referral-sheet__filter[data-day='{day}']")
    page.click(f".referral-sheet__filter[data-day='{days[-1]}'] a")
    assert page.eval_on_selector_all("li.referral-item", SHOWN_DAYS) == every
    # A day without any of them says so.
    empty = [day for day in range(7) if day not in days]
    if empty:
        page.click(f"nav.referral-days a[href='#dag-{empty[0]}']")
        assert page.eval_on_selector_all("li.referral-item", SHOWN_DAYS) == []
        assert page.locator(f".referral-sheet__filter[data-day='{empty[0]}']").inner_text().startswith("Ingen av")
    context.close()


@pytest.mark.browser
def test_every_sheet_prints_on_one_a4_page(chromium, demo_server, tmp_path):
    page = chromium.new_page()
    for lang in ("sv", "en"):
        for district in DISTRICTS:
            for need in NEEDS:
                page.goto(f"{demo_server}/{FOLDER[lang]}/{district}/{need}/")
                pdf = tmp_path / "sheet.pdf"
                page.pdf(path=str(pdf), format="A4")
                pages = [line for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                         check=True).stdout.splitlines() if line.startswith("Pages:")]
                assert pages == ["Pages:          1"] or pages[0].split()[-1] == "1", (lang, district, need, pages)
    page.close()


@pytest.mark.browser
@pytest.mark.print
def test_a_printed_sheets_qr_codes_lead_to_the_activities(chromium, demo_server, tmp_path):
    page = chromium.new_page()
    page.goto(f"{demo_server}/for-vardpersonal/hisingen/far/")
    expected = {f"{BASE}/{a}" for a in page.eval_on_selector_all(
        "li.referral-item h2 a", "links => links.map(a => a.getAttribute('href').slice(1))")}
    pdf = tmp_path / "sheet.pdf"
    page.pdf(path=str(pdf), format="A4")
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "sheet")], check=True)
    decoded = set()
    for png in tmp_path.glob("sheet*.png"):
        out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True).stdout
        decoded |= set(out.split())
    assert expected and expected <= decoded
    assert f"{BASE}/omrade/hisingen/" in decoded
    page.close()


@pytest.mark.browser
def test_print_styles_show_name_contact_date_and_a_qr_code_and_leave_out_buttons_and_repeats(chromium, demo_server):
    page = chromium.new_page()
    page.goto(f"{demo_server}/omrade/nordost/")
    page.emulate_media(media="print")
    header = page.locator(".print-header")
    assert header.is_visible()
    text = header.inner_text()
    assert "Hälsolots Göteborg" in text and "halsolots@goteborg.example" in text and "Utskrivet 1 december 2026" in text
    assert page.is_visible(".print-header img.qr")
    for hidden in (".site-nav", ".site-footer", ".calendar-links", ".listing__days", ".language-switcher"):
        assert not page.is_visible(hidden), hidden
    after = page.evaluate("getComputedStyle(document.querySelector('main a'), '::after').content")
    assert after in ("none", "normal", '""'), after
    page.emulate_media(media="screen")
    assert not header.is_visible()
    page.close()
