"""Printed matter (PRINT = True): programmes per district and for the whole city (A4, and an A5 booklet), posters
per activity.

The PDFs are read with independent tools, as a person's software would read them: Debian's poppler-utils
(pdftotext for the words, pdfinfo for tags, title and pages, pdffonts for embedded fonts, pdftoppm for a 150-dpi
rendering) and zbar-tools (zbarimg decodes every QR code from that rendering). Marked `print`: `make test-fast`
skips them (each build with PRINT makes ~70 PDFs).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest

from calendar_support import Model
from conftest import FIXTURE_CONTENT, REPO, TODAY, build_site, copy_content, html, replace_text

pytestmark = pytest.mark.print

BASE = "https://halsolots.goteborg.example"  # https://SITE_DOMAIN: the QR codes' base in every build
PERIOD = (date(2027, 1, 1), date(2027, 5, 31))  # the coming season on TODAY (2026-12-01)
DISTRICTS = ["centrum", "hisingen", "nordost", "sydvast"]
PROGRAMME = {"sv": "trycksaker/program-{id}-2027-01-01--2027-05-31.pdf",
             "en": "en/print/programme-{id}-2027-01-01--2027-05-31.pdf"}
POSTER = {"sv": "trycksaker/affisch-{slug}.pdf", "en": "en/print/poster-{slug}.pdf"}
BOOKLET = {"sv": "trycksaker/hafte-{id}-2027-01-01--2027-05-31.pdf",
           "en": "en/print/booklet-{id}-2027-01-01--2027-05-31.pdf"}
DPI = 150
MIN_QR_CM = 2.5
SERVICES = ("Hälsolots Centrum", "Hälsolots Hisingen", "Hälsoteket i Nordost", "Hälsoteket i Väster")


@pytest.fixture(scope="session")
def print_site(tmp_path_factory) -> Path:
    """The demo content built with its printed matter."""
    output = tmp_path_factory.mktemp("print") / "output"
    assert build_site(output, PRINT=True) == 0
    return output


@pytest.fixture(scope="module")
def demo():
    return Model(REPO / "content", TODAY)


# --- reading PDFs -------------------------------------------------------------------------------------


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def words(pdf: Path) -> str:
    """pdftotext's text with every run of white space one space (lines break inside titles)."""
    return " ".join(run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split())


def holds(text: str, phrase: str) -> bool:
    """`phrase` is in `text`, as words (pdftotext joins a word broken after a hyphen at the end of a line)."""
    return " ".join(phrase.split()).replace("-", "") in text.replace("-", "")


def info(pdf: Path) -> dict[str, str]:
    return {key.strip(): value.strip() for key, value in
            (line.split(":", 1) for line in run("pdfinfo", str(pdf)).splitlines() if ":" in line)}


def catalogue_language(pdf: Path) -> str | None:
    """The document catalogue's /Lang (pdfinfo does not print it): read from the file's streams with zlib."""
    data = pdf.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    for chunk in chunks:
        found = re.search(rb"/Type\s*/Catalog[^>]*?/Lang\s*\(([^)]*)\)", chunk)
        if found:
            return found.group(1).decode()
    return None


def rendered_pages(pdf: Path, folder: Path) -> list[Path]:
    prefix = folder / pdf.stem
    run("pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix))
    return sorted(folder.glob(f"{pdf.stem}*.png"))


def qr_codes(pdf: Path, folder: Path) -> list[str]:
    """Every QR code zbarimg decodes from the 150-dpi rendering of every page."""
    found = []
    for page in rendered_pages(pdf, folder):
        result = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(page)],
                                capture_output=True, text=True)
        found += [line for line in result.stdout.splitlines() if line]
    return found


def qr_sides_cm(png: Path) -> list[float]:
    """The side of each QR symbol on a rendered page, in cm: dark pixels joined across the gaps between modules
    (a 3 × 3 dilation) form one square blob per code; text forms small or flat ones."""
    from PIL import Image, ImageFilter

    image = Image.open(png).convert("L").point(lambda v: 255 if v < 128 else 0).filter(ImageFilter.MaxFilter(3))
    width, height = image.size
    dark = image.load()
    seen = bytearray(width * height)
    sides: list[tuple[int, int, int, int]] = []
    for y in range(height):
        for x in range(width):
            if dark[x, y] and not seen[y * width + x]:
                seen[y * width + x] = 1
                stack, left, right, top, bottom, count = [(x, y)], x, x, y, y, 0
                while stack:
                    cx, cy = stack.pop()
                    count += 1
                    left, right, top, bottom = min(left, cx), max(right, cx), min(top, cy), max(bottom, cy)
                    for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                        if 0 <= nx < width and 0 <= ny < height and dark[nx, ny] and not seen[ny * width + nx]:
                            seen[ny * width + nx] = 1
                            stack.append((nx, ny))
                w, h = right - left + 1, bottom - top + 1
                if w > 60 and 0.9 < w / h < 1.1 and count > 0.3 * w * h:
                    sides.append((left, top, right, bottom))
    # A code's finder patterns may stand apart from the rest of it (large modules): they lie inside its box.
    inside = {box for box in sides for outer in sides if outer != box and outer[0] <= box[0] and outer[1] <= box[1]
              and box[2] <= outer[2] and box[3] <= outer[3]}
    return [(min(b[2] - b[0], b[3] - b[1]) + 1) / DPI * 2.54 for b in sides if b not in inside]


def expected_in_programme(demo, district: str | None) -> list:
    """Published, not cancelled activities of the district with an occasion in the period that is not cancelled."""
    return [a for a in demo.published
            if not a.cancelled and (district is None or district in a.term_ids["districts"])
            and any(PERIOD[0] <= occ.day <= PERIOD[1] and not occ.cancelled for occ in a.occurrences)]


def title(activity, lang: str) -> str:
    return (activity.texts.get(lang) or activity.texts[activity.default_lang]).title


# --- the programmes -----------------------------------------------------------------------------------


def test_every_district_and_the_city_has_a_programme_in_each_language_listed_on_the_print_page(print_site):
    for lang, listing in (("sv", "trycksaker/index.html"), ("en", "en/print/index.html")):
        links = {a["href"].lstrip("/") for a in html(print_site / listing).select("main a[type='application/pdf']")}
        for term in DISTRICTS + ["alla"]:
            path = PROGRAMME[lang].format(id=term)
            assert (print_site / path).is_file(), path
            assert path in links, (listing, path)
        assert all((print_site / link).is_file() for link in links), listing


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("district", DISTRICTS + [None])
def test_a_programme_holds_its_activities_of_the_period_and_nothing_else(print_site, demo, lang, district):
    pdf = print_site / PROGRAMME[lang].format(id=district or "alla")
    text = words(pdf)
    expected = expected_in_programme(demo, district)
    assert expected
    for activity in expected:
        assert holds(text, title(activity, lang)), (pdf.name, activity.slug)
        place = "Digitalt" if activity.online and lang == "sv" else "Online" if activity.online \
            else activity.venue.label.get(lang)
        assert place in text, (pdf.name, activity.slug, place)
    others = [a for a in demo.all if a not in expected]
    for activity in others:
        for version in activity.texts.values():
            assert not holds(text, version.title), (pdf.name, "should not list", activity.slug)
    free = {"sv": "Allt är gratis", "en": "Everything is free of charge"}[lang]
    assert free in text


def test_a_weekly_series_appears_once_with_its_dates_in_the_period_and_its_exceptions(print_site):
    text = words(print_site / PROGRAMME["sv"].format(id="nordost"))
    # Qigong: every Monday from 2026-11-02 to 2027-04-26, not 2027-03-29
    assert text.count("Qigong – lugn rörelse och andning") == 1
    assert "4 januari – 26 april 2027; inte 29 mars" in text
    # Mötesplats Bergsjön: Wednesdays to 2027-06-09, cancelled on 2027-04-14; in the period to 26 May
    assert "13 januari – 26 maj 2027; inställt 14 april" in text
    # A single date under its weekday, with its date
    assert "10 mars kl. 10.00–14.00 Kolla blodtrycket" in text
    for weekday in ("Måndagar", "Tisdagar", "Onsdagar", "Torsdagar", "Fredagar"):
        assert text.count(weekday) == 1, weekday
    english = words(print_site / PROGRAMME["en"].format(id="nordost"))
    assert "4 January – 26 April 2027; not on 29 March" in english
    assert "Mondays" in english and "every week" in english


@pytest.mark.parametrize("district", DISTRICTS)
def test_nothing_outside_the_period(print_site, district):
    for lang, months_outside, printed in (("sv", ("juni", "juli", "november"), "Utskrivet 1 december 2026"),
                                          ("en", ("June", "July", "November"), "Printed 1 December 2026")):
        pdf = print_site / PROGRAMME[lang].format(id=district)
        text = words(pdf)
        for month in months_outside:
            assert month not in text, (pdf.name, month)
        # December only in the print date of each page's footer
        december = "december" if lang == "sv" else "December"
        assert text.count(december) == text.count(printed) == int(info(pdf)["Pages"]), pdf.name


@pytest.mark.parametrize("district", DISTRICTS)
def test_a_districts_season_fits_on_four_a4_pages(print_site, district):
    for lang in ("sv", "en"):
        details = info(print_site / PROGRAMME[lang].format(id=district))
        assert 1 <= int(details["Pages"]) <= 4, (district, lang, details["Pages"])
        assert details["Page size"].startswith("595.276 x 841.89 pts (A4)")


def test_programmes_name_the_service_its_contact_and_the_print_date(print_site):
    text = words(print_site / PROGRAMME["sv"].format(id="nordost"))
    assert "Hälsoteket i Nordost" in text and "nordost@halsolots.goteborg.example" in text
    assert "Angereds Torg 9, 424 65 Angered" in text
    assert "Program för Nordost" in text and "1 januari – 31 maj 2027" in text
    assert "Utskrivet 1 december 2026" in text
    city = words(print_site / PROGRAMME["en"].format(id="alla"))
    for service in ("Hälsolots Centrum", "Hälsolots Hisingen", "Hälsoteket i Nordost", "Hälsoteket i Väster"):
        assert service in city
    assert "Programme for the whole city" in city and "Printed 1 December 2026" in city


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_programme_is_also_an_a5_booklet_with_the_same_activities_and_codes(print_site, demo, tmp_path, lang):
    listing = "trycksaker/index.html" if lang == "sv" else "en/print/index.html"
    links = {a["href"].lstrip("/") for a in html(print_site / listing).select("main a[type='application/pdf']")}
    for district in DISTRICTS + [None]:
        term = district or "alla"
        a4, booklet = print_site / PROGRAMME[lang].format(id=term), print_site / BOOKLET[lang].format(id=term)
        assert BOOKLET[lang].format(id=term) in links, (listing, booklet.name)
        details = info(booklet)
        assert details["Page size"].startswith("419.528 x 595.276 pts"), (booklet.name, details["Page size"])
        assert details["Tagged"] == "yes" and details["Title"] == info(a4)["Title"], booklet.name
        assert int(info(a4)["Pages"]) <= int(details["Pages"]) <= 2 * int(info(a4)["Pages"]) + 1, booklet.name
        text = words(booklet)
        for activity in expected_in_programme(demo, district):
            assert holds(text, title(activity, lang)), (booklet.name, activity.slug)
        assert ("Allt är gratis" if lang == "sv" else "Everything is free of charge") in text
        assert sorted(qr_codes(booklet, tmp_path)) == sorted(qr_codes(a4, tmp_path)), booklet.name
    sides = qr_sides_cm(rendered_pages(print_site / BOOKLET[lang].format(id="centrum"), tmp_path)[0])
    assert len(sides) == 2 and min(sides) >= MIN_QR_CM, sides


def _all_pdfs(site: Path) -> list[Path]:
    return sorted(site.glob("trycksaker/*.pdf")) + sorted(site.glob("en/print/*.pdf"))


def test_every_pdf_is_tagged_with_title_language_and_embedded_fonts(print_site):
    pdfs = _all_pdfs(print_site)
    assert len(pdfs) > 40
    for pdf in pdfs:
        lang = "en" if pdf.parent.name == "print" else "sv"
        details = info(pdf)
        assert details["Tagged"] == "yes", pdf.name
        assert details["Title"] and "–" in details["Title"], pdf.name
        assert details["PDF version"] == "1.7", pdf.name
        assert catalogue_language(pdf) == lang, pdf.name
        assert 'pdfuaid:part="1"' in run("pdfinfo", "-meta", str(pdf)), pdf.name  # PDF/UA-1 claimed in XMP
        fonts = [line.split() for line in run("pdffonts", str(pdf)).splitlines()[2:]]
        assert fonts and all(row[0].split("+", 1)[1].startswith("Halsolots-") for row in fonts), (pdf.name, fonts)
        assert all(row[-5] == "yes" for row in fonts), (pdf.name, "a font is not embedded")
        assert "Document" in run("pdfinfo", "-struct", str(pdf)).split("\n", 1)[0]


def test_titles_say_what_and_for_whom(print_site):
    assert info(print_site / PROGRAMME["sv"].format(id="sydvast"))["Title"] == \
        "Program för Sydväst, 1 januari – 31 maj 2027 – Hälsoteket i Väster"
    assert info(print_site / PROGRAMME["en"].format(id="sydvast"))["Title"] == \
        "Programme for South West, 1 January – 31 May 2027 – Hälsoteket i Väster"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_programmes_qr_codes_lead_to_the_district_page_and_its_calendar(print_site, tmp_path, lang):
    prefix = "" if lang == "sv" else "en/"
    # Pages have English addresses in English (issue 17); calendar feeds keep theirs.
    district_page, programme = ("omrade", "program") if lang == "sv" else ("district", "programme")
    for district in DISTRICTS:
        pdf = print_site / PROGRAMME[lang].format(id=district)
        assert sorted(qr_codes(pdf, tmp_path)) == sorted([f"{BASE}/{prefix}{district_page}/{district}/",
                                                          f"{BASE}/{prefix}kalender/omrade/{district}.ics"]), pdf.name
    city = print_site / PROGRAMME[lang].format(id="alla")
    assert sorted(qr_codes(city, tmp_path)) == sorted([f"{BASE}/{prefix}{programme}/",
                                                       f"{BASE}/{prefix}kalender/alla.ics"])


def test_qr_codes_are_at_least_two_and_a_half_centimetres(print_site, tmp_path):
    first_page = rendered_pages(print_site / PROGRAMME["sv"].format(id="centrum"), tmp_path)[0]
    sides = qr_sides_cm(first_page)
    assert len(sides) == 2 and min(sides) >= MIN_QR_CM, sides
    poster = rendered_pages(print_site / POSTER["sv"].format(slug="qigong-angered"), tmp_path)[0]
    sides = qr_sides_cm(poster)
    assert len(sides) == 1 and sides[0] >= 5.5, sides


def test_links_in_a_pdf_are_absolute_and_its_text_selectable(print_site):
    pdf = print_site / PROGRAMME["sv"].format(id="centrum")
    assert "Mindfulnesspromenad i Slottsskogen" in words(pdf)  # text, not pictures of text


# --- the posters --------------------------------------------------------------------------------------


def test_every_upcoming_activity_has_a_poster_in_each_language_it_is_translated_into(print_site, demo):
    today = date.fromisoformat(TODAY)
    for activity in demo.published:
        wanted = not activity.cancelled and activity.next_occurrence(today) is not None
        for lang in ("sv", "en"):
            path = print_site / POSTER[lang].format(slug=activity.slug)
            assert path.is_file() == (wanted and lang in activity.texts), (activity.slug, lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_poster_is_one_a4_page_with_title_when_where_whom_free_and_a_qr_code(print_site, demo, tmp_path, lang):
    posters = sorted(print_site.glob(POSTER[lang].format(slug="*")))
    assert posters
    prefix = "" if lang == "sv" else "en/"
    free = {"sv": "Kostnadsfritt", "en": "Free of charge"}[lang]
    for pdf in posters:
        slug = pdf.stem.split("-", 1)[1]
        activity = demo.by_slug[slug]
        details = info(pdf)
        assert details["Pages"] == "1", pdf.name
        assert details["Page size"].startswith("595.276 x 841.89 pts (A4)")
        text = words(pdf)
        assert holds(text, activity.texts[lang].title), pdf.name
        assert free in text and any(service in text for service in SERVICES), pdf.name
        for group in activity.target_groups:
            assert group.label.get(lang) in text, (pdf.name, group.id)
        assert (("Digitalt" if lang == "sv" else "Online") if activity.online else activity.venue.label.get(lang)) in text
        assert qr_codes(pdf, tmp_path) == [f"{BASE}/{prefix}aktivitet/{slug}/"], pdf.name


SWEDISH_WORDS = {"och", "för", "varje", "gratis", "anmälan", "anmäl", "utskrivet", "skanna", "inställt", "inte", "när",
                 "var", "kl", "vecka", "mer", "ändringar", "webbsidan", "samling", "vid", "till", "på", "med", "digitalt",
                 "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag", "januari", "februari", "mars",
                 "maj", "juni", "juli", "augusti", "oktober"}  # (april is English too)


def test_an_english_poster_is_entirely_english(print_site):
    posters = sorted(print_site.glob(POSTER["en"].format(slug="*")))
    assert len(posters) >= 5
    for pdf in posters:
        page = f"{BASE}/en/aktivitet/{pdf.stem.split('-', 1)[1]}/"  # the address's slug is Swedish
        text = words(pdf).replace("-", "").replace(page.replace("-", ""), "")
        found = {word for word in re.findall(r"[\wåäö]+", text.lower())} & SWEDISH_WORDS
        assert not found, (pdf.name, found)


# --- rebuilt the same, made again only when changed, skipped without PRINT ----------------------------


def test_pdfs_are_byte_identical_between_builds_and_remade_only_when_their_content_changed(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    first, second = tmp_path / "first", tmp_path / "second"
    assert build_site(first, content, PRINT=True) == 0
    assert build_site(second, content, PRINT=True, BUILD_CACHE=False) == 0
    pdfs = [p.relative_to(first) for p in _all_pdfs(first)]
    assert len(pdfs) >= 6
    for relative in pdfs:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    inodes = {relative: (first / relative).stat().st_ino for relative in pdfs}
    replace_text(content / "aktiviteter" / "stolgympa.md", "Title: Stolgympa", "Title: Stolgympa för alla")
    assert build_site(first, content, PRINT=True) == 0
    changed = {relative for relative in pdfs if (first / relative).stat().st_ino != inodes[relative]}
    # Stolgympa is in Centrum in March: its posters, Centrum's programmes and the city's are made again.
    assert Path("trycksaker/affisch-stolgympa.pdf") in changed
    assert Path("trycksaker/program-centrum-2027-01-01--2027-05-31.pdf") in changed
    assert Path("trycksaker/program-nordost-2027-01-01--2027-05-31.pdf") not in changed
    assert Path("en/print/programme-nordost-2027-01-01--2027-05-31.pdf") not in changed
    assert "Stolgympa för alla" in words(first / "trycksaker/affisch-stolgympa.pdf")


def test_a_build_without_print_makes_no_pdfs(demo_site):
    assert not list(demo_site.rglob("*.pdf"))
    assert not (demo_site / "trycksaker").exists()


def test_a_period_can_be_chosen(tmp_path):
    output = tmp_path / "output"
    assert build_site(output, FIXTURE_CONTENT, PRINT=True, PRINT_FROM="2027-03-01", PRINT_TO="2027-03-31") == 0
    pdf = output / "trycksaker" / "program-centrum-2027-03-01--2027-03-31.pdf"
    text = words(pdf)
    assert "1 mars – 31 mars 2027" in text and "Stolgympa" in text


def test_the_coming_season():
    from halsolots.content.season import Period, coming_season, print_period

    assert coming_season(date(2026, 12, 1)) == Period(date(2027, 1, 1), date(2027, 5, 31))
    assert coming_season(date(2027, 1, 10)) == Period(date(2027, 1, 1), date(2027, 5, 31))  # just begun
    assert coming_season(date(2027, 2, 1)) == Period(date(2027, 6, 1), date(2027, 8, 31))
    assert coming_season(date(2027, 8, 20)) == Period(date(2027, 9, 1), date(2027, 12, 31))
    assert print_period({"PRINT_FROM": "2027-01-01", "PRINT_TO": "2027-05-31"}, date(2026, 1, 1)) == \
        Period(date(2027, 1, 1), date(2027, 5, 31))
    with pytest.raises(ValueError):
        print_period({"PRINT_FROM": "2027-01-01"}, date(2026, 1, 1))
    with pytest.raises(ValueError):
        print_period({"PRINT_FROM": "2027-05-01", "PRINT_TO": "2027-01-31"}, date(2026, 1, 1))


def test_the_tools_are_there():
    for tool in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm", "zbarimg"):
        assert shutil.which(tool), f"{tool} is missing: make test installs poppler-utils and zbar-tools"


def test_the_print_pages_pass_the_static_accessibility_checks(print_site):
    """The listing of printed matter (only in builds with PRINT) holds to what every page does (test_a11y_static);
    every page's footer links it, and every link resolves."""
    from test_a11y_static import lang_problems, link_text_problems, reference_problems, structure_problems

    for checker in (structure_problems, link_text_problems, lang_problems, reference_problems):
        assert checker(print_site) == [], checker.__name__
    assert html(print_site / "index.html").select_one("footer.site-footer a[href='/trycksaker/']")
    assert html(print_site / "en" / "index.html").select_one("footer.site-footer a[href='/en/print/']")
