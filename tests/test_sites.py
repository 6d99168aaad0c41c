"""Several sites from one repository (docs/sites.md): Södra Älvsborg's site, an activity listed on both, a third
site made by copying a folder and editing data, the sites' colours, and the commands' SITE."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import icalendar
import pytest
import tinycss2
import yaml
from babel.messages.pofile import read_po

from conftest import REPO, TODAY, build_site, html
from halsolots.build.build import build_all
from halsolots.commands import cli

SA = "sodra-alvsborg"
SA_FOLDER = REPO / "sites" / SA
SA_DOMAIN = "halsolots.sodraalvsborg.example"
MUNICIPALITIES = ["boras", "bollebygd", "herrljunga", "mark", "svenljunga", "tranemo", "ulricehamn", "vargarda"]
GOTHENBURG_DISTRICTS = [entry["id"] for entry in yaml.safe_load((REPO / "content/data/districts.yaml").read_text())]
SHARED = "webbinarium-stress-i-vardagen"  # Gothenburg's, Also-in every municipality


@pytest.fixture(scope="module")
def sa_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("sa") / "output"
    assert build_site(output, SITE=SA) == 0
    return output


def _pages(site: Path):
    return sorted(site.rglob("*.html"))


def _events(path: Path):
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_the_municipalities_are_the_districts_of_the_data():
    ids = [entry["id"] for entry in yaml.safe_load((SA_FOLDER / "content/data/districts.yaml").read_text())]
    assert ids == MUNICIPALITIES


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_each_municipality_has_a_page_in_both_languages_with_its_feed_and_a_health_guide(sa_site, municipality):
    label = {entry["id"]: entry["label"] for entry in
             yaml.safe_load((SA_FOLDER / "content/data/districts.yaml").read_text())}[municipality]
    for page, lang in ((sa_site / "omrade" / municipality / "index.html", "sv"),
                       (sa_site / "en" / "district" / municipality / "index.html", "en")):
        soup = html(page)
        assert soup.html["lang"] == lang
        assert soup.h1.get_text(strip=True) == label[lang]
        hrefs = [a["href"] for a in soup.find_all("a", href=True)]
        assert any(h.endswith(f"kalender/omrade/{municipality}.ics") for h in hrefs), "subscribe links"
        guide = soup.find(id="guide-heading")
        assert guide is not None, page
        section = guide.find_parent("section")
        # the municipality's own drop-in with a health guide (category traffa-halsolotsen)
        assert section.find("a", href=re.compile(rf"aktivitet/traffa-halsolotsen-{municipality}/")), page
        contacts = soup.find(id="contacts-heading").find_parent("section")
        assert contacts.find("a", href=re.compile(r"^https://www\.[a-z]+\.se/$")), "the public-health service"
    feed = sa_site / "kalender" / "omrade" / f"{municipality}.ics"
    summaries = [str(event["SUMMARY"]) for event in _events(feed)]
    assert any(s.startswith("Träffa hälsolotsen") for s in summaries)


def test_the_home_page_starts_with_choose_municipality(sa_site):
    for page, heading in ((sa_site / "index.html", "Välj kommun"),
                          (sa_site / "en" / "index.html", "Choose your municipality")):
        main = html(page).find("main")
        first = main.find("h2")
        assert first.get_text(strip=True) == heading
        links = [a["href"] for a in first.find_parent("nav").find_all("a")]
        assert len(links) == len(MUNICIPALITIES)


def test_no_gothenburg_district_or_name_anywhere_and_the_age_is_16(sa_site):
    district_link = re.compile(r"/(omrade|district)/(%s)/" % "|".join(GOTHENBURG_DISTRICTS))
    for page in _pages(sa_site):
        soup = html(page)
        for a in soup.find_all("a", href=True):
            assert not district_link.search(a["href"]), (page, a["href"])
        for part in filter(None, (soup.find("header"), soup.find("footer"), soup.title)):
            text = part.get_text(" ")
            assert "Göteborg" not in text and "Gothenburg" not in text and "Hälsoteket" not in text, page
        footer = soup.find("footer", class_="site-footer")
        if footer is not None:
            assert ("från 16 år" if soup.html["lang"] == "sv" else "aged 16 and over") in footer.get_text(" "), page
    for feed in sa_site.rglob("*.ics"):
        text = feed.read_text(encoding="utf-8")
        assert "Göteborg" not in text.split("BEGIN:VEVENT")[0], feed  # the calendar's own name and description
        for event in _events(feed):
            assert "centrum" not in str(event.get("URL", "")), feed
    groups = html(sa_site / "malgrupp" / "unga-vuxna" / "index.html").find("main").get_text(" ")
    assert "16 och 29 år" in groups


def test_feeds_uids_are_on_the_sites_own_domain_and_a_shared_activity_keeps_its_own(sa_site, demo_site):
    own = guests = 0
    for event in _events(sa_site / "kalender" / "alla.ics"):
        uid = str(event["UID"])
        if uid.startswith(f"{SHARED}@"):
            guests += 1
            assert uid == f"{SHARED}@halsolots.goteborg.example"
        else:
            own += 1
            assert uid.endswith(f"@{SA_DOMAIN}"), uid
    assert own >= 15 and guests == 1
    gothenburg = {str(e["UID"]) for e in _events(demo_site / "aktivitet" / SHARED / f"{SHARED}.ics")}
    assert gothenburg == {f"{SHARED}@halsolots.goteborg.example"}


def test_a_shared_activity_is_listed_in_the_districts_it_names_on_the_other_site(sa_site, demo_site):
    def districts_fact(page, heading):
        dt = next(dt for dt in html(page).find_all("dt") if dt.get_text(strip=True) == heading)
        return dt.find_next_sibling("dd").get_text(" ", strip=True)

    listed = districts_fact(sa_site / "aktivitet" / SHARED / "index.html", "Kommuner")
    assert "Vårgårda" in listed and "Hisingen" not in listed
    for municipality in MUNICIPALITIES:
        summaries = [str(e["UID"]) for e in _events(sa_site / "kalender" / "omrade" / f"{municipality}.ics")]
        assert f"{SHARED}@halsolots.goteborg.example" in summaries
    # Gothenburg lists it in its own districts only, and shows nothing of the other site
    home = districts_fact(demo_site / "aktivitet" / SHARED / "index.html", "Områden")
    assert "Hisingen" in home and "Vårgårda" not in home
    assert not (demo_site / "omrade" / "boras").exists()


def test_the_sites_colours_have_enough_contrast_in_the_built_stylesheet(sa_site, demo_site):
    for site in (demo_site, sa_site):
        tokens = {}
        rules = tinycss2.parse_stylesheet((site / "theme" / "css" / "site.css").read_text(), skip_comments=True,
                                          skip_whitespace=True)
        for rule in rules:  # the last :root wins, as in the browser
            if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
                for declaration in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True):
                    if declaration.type == "declaration":
                        tokens[declaration.name[2:]] = tinycss2.serialize(declaration.value).strip()
        for foreground, background in (("text", "bg"), ("text", "panel"), ("muted", "bg"), ("muted", "panel"),
                                       ("link", "bg"), ("link", "panel"), ("link-visited", "bg"),
                                       ("link-visited", "panel")):
            assert _contrast(tokens[foreground], tokens[background]) >= 4.5, (site, foreground, background)
        assert _contrast("#ffffff", tokens["accent"]) >= 4.5, (site, "button text on accent")
    assert "#00566b" in (sa_site / "theme" / "css" / "site.css").read_text()


def _contrast(a: str, b: str) -> float:
    def luminance(colour):
        colour = colour.lstrip("#")
        colour = "".join(c * 2 for c in colour) if len(colour) == 3 else colour
        values = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b_ = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_sites_own_words_translate_texts_the_theme_still_has():
    """A site's catalogue says only what differs; a msgid the theme no longer has would silently stop applying."""
    for lang in ("sv", "en"):
        with open(REPO / "theme/translations" / lang / "LC_MESSAGES/messages.po", "rb") as handle:
            theme = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle, locale=lang) if m.id}
        with open(SA_FOLDER / "translations" / lang / "LC_MESSAGES/messages.po", "rb") as handle:
            own = [m for m in read_po(handle, locale=lang) if m.id]
        assert own
        for message in own:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            assert msgid in theme, (lang, msgid)
            assert all(message.string if isinstance(message.string, tuple) else [message.string]), msgid


def _tiny_site(tmp_path: Path) -> Path:
    """A third site the way a communicator makes one: copy a site's folder, then edit data only."""
    folder = tmp_path / "sites" / "tiny"
    shutil.copytree(SA_FOLDER, folder)
    settings = folder / "settings.yaml"
    settings.write_text(settings.read_text().replace(SA_DOMAIN, "halsolots.tiny.example")
                        .replace('link: "#00566b"', 'link: "#1d4f91"'), encoding="utf-8")
    content = folder / "content"
    districts = yaml.safe_load((content / "data/districts.yaml").read_text())
    keep = [d for d in districts if d["id"] == "mark"]
    keep[0].update(id="lilla", label={"sv": "Lilla kommunen", "en": "The small municipality"})
    (content / "data/districts.yaml").write_text(yaml.safe_dump(keep, allow_unicode=True), encoding="utf-8")
    venues = [dict(v, district="lilla") for v in yaml.safe_load((content / "data/venues.yaml").read_text())
              if v["district"] == "mark"]
    (content / "data/venues.yaml").write_text(yaml.safe_dump(venues, allow_unicode=True), encoding="utf-8")
    for path in (content / "aktiviteter").iterdir():
        if not path.name.startswith(("traffa-halsolotsen-mark", "medicinsk-yoga-kinna")):
            path.unlink()
        elif not path.name.endswith(".en.md"):
            path.write_text(re.sub(r"(?m)^Districts: mark$", "Districts: lilla", path.read_text()), encoding="utf-8")
    for lang, name in (("sv", "Hälsolots Lilla"), ("en", "Hälsolots Little")):
        po = folder / "translations" / lang / "LC_MESSAGES/messages.po"
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace('msgstr "Hälsolots Södra Älvsborg"', f'msgstr "{name}"'), encoding="utf-8")
    return folder


def test_a_third_site_is_a_folder_copy_and_a_data_edit(tmp_path):
    folder = _tiny_site(tmp_path)
    output = tmp_path / "output"
    assert build_site(output, SITE=str(folder)) == 0
    home = html(output / "index.html")
    assert "Hälsolots Lilla" in home.title.get_text()
    assert "Hälsolots Little" in html(output / "en" / "index.html").title.get_text()
    assert html(output / "omrade" / "lilla" / "index.html").h1.get_text(strip=True) == "Lilla kommunen"
    assert not (output / "omrade" / "boras").exists()
    uids = {str(e["UID"]) for e in _events(output / "kalender" / "alla.ics")}
    assert uids and all(uid.endswith("@halsolots.tiny.example") or uid.startswith(f"{SHARED}@") for uid in uids)
    assert f"{SHARED}@halsolots.goteborg.example" not in uids  # it names Södra Älvsborg's districts, not this one's
    assert "#1d4f91" in (output / "theme" / "css" / "site.css").read_text()


def test_a_colour_with_too_little_contrast_stops_the_build_with_a_plain_message(tmp_path, capsys):
    folder = _tiny_site(tmp_path)
    settings = folder / "settings.yaml"
    settings.write_text(settings.read_text().replace('link: "#1d4f91"', 'link: "#8fb3d9"'), encoding="utf-8")
    line = next(i for i, text in enumerate(settings.read_text().splitlines(), 1) if text.strip().startswith("link:"))
    output = tmp_path / "output"
    assert build_site(output, SITE=str(folder), MESSAGES_LANG="en") != 0
    err = capsys.readouterr().err
    assert f"settings.yaml:{line}: DESIGN_TOKENS: link: link #8fb3d9 on bg #fff has a contrast of" in err
    assert "at least 4.5:1 (WCAG 1.4.3)" in err and "Traceback" not in err
    assert not output.exists()


def test_a_mistake_in_a_sites_settings_or_an_unknown_site_is_a_plain_message(tmp_path, capsys):
    folder = _tiny_site(tmp_path)
    settings = folder / "settings.yaml"
    settings.write_text(settings.read_text() + "\nPATH: elsewhere\n", encoding="utf-8")
    assert cli.main(["check", "--site", str(folder), "--lang", "en"]) != 0
    err = capsys.readouterr().err
    assert "settings.yaml:" in err and "PATH: is not a setting a site can set" in err and "Traceback" not in err
    assert cli.main(["build", "--site", "nowhere", "--lang", "en", "--output", str(tmp_path / "out")]) != 0
    err = capsys.readouterr().err
    assert "SITE: there is no site 'nowhere' (one of: sodra-alvsborg)" in err


def test_also_in_must_name_another_sites_district(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    path = content / "aktiviteter" / f"{SHARED}.md"
    path.write_text(path.read_text().replace("Also-in: boras,", "Also-in: borass,"), encoding="utf-8")
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="en") != 0
    err = capsys.readouterr().err
    assert f"{SHARED}.md:9: Also-in: 'borass' is not a district of another site" in err
    assert "did you mean boras?" in err


def test_check_and_publish_all_cover_every_site(tmp_path, capsys):
    assert cli.main(["check", "--site", SA, "--today", TODAY]) == 0
    assert "Inga fel" in capsys.readouterr().out
    code = build_all(str(REPO / "publishconf.py"), str(tmp_path / "public"),
                     {"TODAY": TODAY, "PRINT": False, "PRECOMPRESS": False, "CACHE_PATH": str(tmp_path / "cache")})
    assert code == 0
    for site_id, domain in (("goteborg", "halsolots.goteborg.example"), (SA, SA_DOMAIN)):
        sitemap = (tmp_path / "public" / site_id / "sitemap.xml").read_text()
        assert f"https://{domain}/" in sitemap
    assert "https://halsolots.goteborg.example/" not in (tmp_path / "public" / SA / "sitemap.xml").read_text()


def test_the_devserver_of_a_site_watches_its_folder_and_the_sites_it_lists_from(monkeypatch):
    from halsolots.commands.devserver import watch_paths

    monkeypatch.setenv("HALSOLOTS_SITE", SA)
    watched = set(watch_paths(str(REPO / "pelicanconf.py")))
    assert {str(SA_FOLDER / "content"), str(SA_FOLDER / "settings.yaml"), str(SA_FOLDER / "translations"),
            str(REPO / "content"), str(REPO / "theme")} <= watched


def test_building_another_site_into_the_same_folder_never_leaves_its_pages_in_the_next_build(tmp_path):
    """make html SITE=sodra-alvsborg, then make html: the second build must not reuse the first one's files."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_site(output, CACHE_PATH=str(cache)) == 0
    assert build_site(output, CACHE_PATH=str(cache), SITE=SA) == 0
    assert "Södra Älvsborg" in html(output / "index.html").title.get_text()
    assert build_site(output, CACHE_PATH=str(cache)) == 0
    for page in (output / "index.html", output / "en" / "index.html", output / "omrade" / "centrum" / "index.html"):
        assert "Göteborg" in html(page).title.get_text() or "Gothenburg" in html(page).title.get_text(), page
    assert not (output / "omrade" / "boras").exists()
    assert build_site(output, CACHE_PATH=str(cache), SITE=SA) == 0
    assert "Södra Älvsborg" in html(output / "omrade" / "boras" / "index.html").title.get_text()
    assert not (output / "omrade" / "centrum").exists()
