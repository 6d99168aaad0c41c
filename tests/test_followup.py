"""The yearly follow-up (`make uppfoljning`): participant records checked like content, and visits, searches and
calendar subscriptions counted from access logs of known contents (plain, rotated, gzip, broken lines, robots),
the CSVs read back with the csv module and compared exactly. The report page passes axe and the Nu checker."""

from __future__ import annotations

import csv
import gzip
import inspect
import io
import json
import shutil
import subprocess
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from conftest import FIXTURE_CONTENT, REPO, copy_content
from halsolots.build.build import load_settings
from halsolots.commands.check import check
from halsolots.commands.cli import main as cli
from halsolots.followup.logs import log_files, parse, read_lines
from halsolots.followup.report import make_report
from halsolots.followup.visits import TERM_THRESHOLD, SiteMap, count_lines, is_bot
from halsolots.site.site import Site

SETTINGS = str(REPO / "pelicanconf.py")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
ADDRESSES = ("203.0.113.5", "198.51.100.7", "198.51.100.8", "192.0.2.1")


def own(day: str, target: str, status: int = 200, agent: str = BROWSER, method: str = "GET") -> str:
    """A line of deploy/nginx/halsolots.conf's `halsolots` format."""
    return f'{day}T10:15:00+01:00 "{method} {target} HTTP/1.1" {status} 5120 "{agent}"'


def combined(address: str, day: str, target: str, status: int = 200, agent: str = BROWSER) -> str:
    """A line of nginx's and Apache's standard combined format."""
    stamp = datetime.strptime(day, "%Y-%m-%d").strftime("%d/%b/%Y")
    return f'{address} - - [{stamp}:10:15:00 +0100] "GET {target} HTTP/1.1" {status} 2048 "-" "{agent}"'


@pytest.fixture(scope="module")
def settings():
    return load_settings(SETTINGS, {"TODAY": "2026-12-01"})


@pytest.fixture(scope="module")
def site(settings):
    return Site(settings)


def write_logs(folder: Path, site: Site) -> dict:
    """Three rotations of known contents; returns what each is expected to count."""
    en_district = "/" + site.url("en", "district", id="nordost")
    en_search = "/" + site.url("en", "search")
    newest = [
        own("2026-03-02", "/"), own("2026-03-02", "/"), own("2026-03-02", "/program/"),
        own("2026-03-03", "/aktivitet/qigong-angered/index.html"),
        own("2026-03-03", "/aktivitet/qigong-angered/", status=304),
        own("2026-03-03", "/en/"), own("2026-03-03", "/en/?utm_source=nyhetsbrev"),
        own("2026-03-03", "/sok/?q="),  # an empty search is a visit to the search page
        # robots
        own("2026-03-02", "/", agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        own("2026-03-02", "/", agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        own("2026-03-02", "/program/", agent="Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)"),
        own("2026-03-02", "/program/", agent="curl/8.5.0"),
        own("2026-03-02", "/", agent="-"),
        # assets, data, errors, the preview, other methods
        own("2026-03-02", "/theme/css/site.css"), own("2026-03-02", "/theme/js/search.js"),
        own("2026-03-02", "/pagefind/pagefind.js"), own("2026-03-02", "/media/filmer/klipp.webm"),
        own("2026-03-02", "/api/v1/activities.json"), own("2026-03-02", "/sitemap.xml"),
        own("2026-03-02", "/robots.txt"), own("2026-03-03", "/finns-inte/", status=404),
        own("2026-03-03", "/404.html"), own("2026-03-03", "/utkast/hemlig-aktivitet/"),
        own("2026-03-03", "/program/", status=500), own("2026-03-03", "/", method="HEAD"),
        own("2026-03-03", "/sok/?q=yoga", method="POST"),
        # searches: "sömn" 5 times (written three ways), "yoga" 4, a phone number 5, a formula 5
        own("2026-03-03", "/sok/?q=s%C3%B6mn"), own("2026-03-03", "/sok/?q=s%C3%B6mn"),
        own("2026-03-03", "/sok/index.html?q=s%C3%B6mn"), own("2026-04-01", "/sok/?q=S%C3%B6mn+"),
        own("2026-04-01", "/sok/?q=++s%C3%B6mn", agent=PHONE),
        own("2026-03-03", "/sok/?q=yoga"), own("2026-03-03", "/sok/?q=yoga"), own("2026-03-03", "/sok/?q=Yoga"),
        own("2026-03-03", f"{en_search}?q=yoga"),
        *[own("2026-03-03", "/sok/?q=070-123+45+67") for _ in range(5)],
        *[own("2026-03-03", "/sok/?q=%3DHYPERLINK(%22x%22)") for _ in range(5)],
        # calendar feeds: two apps on 2 March, one of them again on 3 March; another feed once
        own("2026-03-02", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        own("2026-03-02", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        own("2026-03-02", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        own("2026-03-02", "/kalender/alla.ics", agent="Google-Calendar-Importer"),
        own("2026-03-02", "/kalender/alla.ics", agent="Google-Calendar-Importer"),
        own("2026-03-03", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        own("2026-03-03", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        own("2026-03-03", "/kalender/omrade/nordost.ics", agent="Microsoft Office/16.0 (Windows NT 10.0)"),
        # broken lines and another year
        "this is not a log line", '2026-03-03T10:15:00+01:00 "GET / HTTP/1.1" 200', "",
        own("2025-12-31", "/"),
    ]
    rotated = [  # the combined format, with addresses the report must never keep
        combined("203.0.113.5", "2026-02-10", "/halsa/"), combined("203.0.113.5", "2026-02-10", "/filmer/"),
        combined("203.0.113.5", "2026-02-10", "/", agent="Mozilla/5.0 (compatible; bingbot/2.0)"),
        combined("198.51.100.7", "2026-02-10", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        combined("198.51.100.7", "2026-02-10", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        combined("198.51.100.7", "2026-02-10", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
        combined("198.51.100.8", "2026-02-10", "/kalender/alla.ics", agent="iOS/18.1 (22B83) dataaccessd/1.0"),
    ]
    oldest = [combined("192.0.2.1", "2026-01-15", "/omrade/nordost/"),
              combined("192.0.2.1", "2026-01-15", "/omrade/nordost/", agent=PHONE),
              combined("192.0.2.1", "2026-01-15", en_district), "\x00\x01 garbage"]
    (folder / "halsolots.access.log").write_text("\n".join(newest) + "\n", encoding="utf-8")
    (folder / "halsolots.access.log.1").write_text("\n".join(rotated) + "\n", encoding="utf-8")
    with gzip.open(folder / "halsolots.access.log.2.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(oldest) + "\n")
    return {"lines": len(newest) + len(rotated) + len(oldest), "en_district": en_district}


@pytest.fixture(scope="module")
def report(tmp_path_factory, settings, site):
    logs = tmp_path_factory.mktemp("logs")
    expected = write_logs(logs, site)
    output = tmp_path_factory.mktemp("uppfoljning") / "2026"
    result = make_report(settings, 2026, [str(logs / "halsolots.access.log*")], str(output))
    assert result.problems == []
    return output, result, expected


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# --- the logs -------------------------------------------------------------------------------------------------


def test_visits_per_page_count_only_pages_people_fetched(report):
    output, _result, expected = report
    wanted = {"/": 2, "/aktivitet/qigong-angered/": 2, "/en/": 2, "/omrade/nordost/": 2, "/program/": 1,
              "/sok/": 1, "/halsa/": 1, "/filmer/": 1, expected["en_district"]: 1}
    rows = sorted(wanted.items(), key=lambda item: (-item[1], item[0]))
    assert read_csv(output / "besok-per-sida.csv") == [["path", "visits"], *[[p, str(n)] for p, n in rows]]


def test_visits_per_month_section_and_language(report):
    output, _result, _expected = report
    months = {"2026-01": 3, "2026-02": 2, "2026-03": 8}
    assert read_csv(output / "besok-per-manad.csv") == [["month", "visits"]] + [
        [f"2026-{m:02d}", str(months.get(f"2026-{m:02d}", 0))] for m in range(1, 13)]
    assert read_csv(output / "besok-per-avdelning.csv") == [
        ["section", "visits"], ["Startsidan", "4"], ["Programmet", "1"], ["Områden", "3"], ["Aktiviteter", "2"],
        ["Hälsa", "1"], ["Filmer", "1"], ["Kalendrar", "0"], ["Övriga sidor", "1"]]
    assert read_csv(output / "besok-per-sprak.csv") == [["language", "visits"], ["sv", "10"], ["en", "3"]]


def test_a_term_is_shown_only_from_five_searches_and_never_a_number_and_stays_text(report):
    output, result, _expected = report
    assert TERM_THRESHOLD == 5
    # yoga: 4 searches (3 Swedish, 1 English) stays hidden; the phone number 5 times too; the formula is text.
    assert read_csv(output / "sokningar.csv") == [["term", "searches"], ["'=hyperlink(\"x\")", "5"], ["sömn", "5"]]
    assert result.logs.terms["yoga"] == 4
    months = {"2026-03": 17, "2026-04": 2}
    assert read_csv(output / "sokningar-per-manad.csv") == [["month", "searches"]] + [
        [f"2026-{m:02d}", str(months.get(f"2026-{m:02d}", 0))] for m in range(1, 13)]


def test_subscribers_are_distinct_clients_a_day_averaged_over_the_days_logged(report):
    output, result, _expected = report
    # Days in the logs: 15 Jan, 10 Feb, 2 and 3 March, 1 April = 5. alla.ics: 2 clients (two addresses) on
    # 10 Feb, 2 apps on 2 March, 1 on 3 March = 5 client-days / 5 days; nordost.ics: 1 / 5.
    assert result.logs.days == 5
    assert read_csv(output / "prenumerationer.csv") == [
        ["feed", "subscribers", "requests"], ["/kalender/alla.ics", "1", "11"],
        ["/kalender/omrade/nordost.ics", "0", "1"]]


def test_broken_lines_robots_and_other_years_are_counted_and_skipped(report):
    _output, result, expected = report
    logs = result.logs
    assert (logs.lines, logs.broken, logs.other_years, logs.bots) == (expected["lines"], 4, 1, 6)


def test_no_address_leaves_the_reading(report):
    output, _result, _expected = report
    for path in output.iterdir():
        text = path.read_text(encoding="utf-8-sig")
        assert not any(address in text for address in ADDRESSES), path.name


def test_the_report_page_has_the_figures_in_tables_beside_bar_charts(report):
    from bs4 import BeautifulSoup

    output, _result, _expected = report
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert soup.html["lang"] == "sv" and soup.h1.get_text() == "Uppföljning 2026"
    figures = soup.select("figure")
    assert len(figures) == 11
    for figure in figures:
        svg, table = figure.select_one("svg"), figure.select_one("table")
        assert svg["aria-hidden"] == "true" and table is not None
        assert len(svg.select("rect")) == len(table.select("tbody tr")), figure.figcaption.get_text()
        assert not soup.select("circle, path"), "bars, not pies"
    areas = soup.select_one("#fokusomrade-caption").find_parent("figure")
    names = [row.th.get_text() for row in areas.select("tbody tr")]
    assert names[:5] == ["Jämlika och jämställda livsvillkor", "Trygga och goda uppväxtvillkor",
                         "Ökat arbetsdeltagande", "Åldrande med livskvalitet", "Goda levnadsvanor"]
    assert not soup.select("script, link, img, iframe"), "one self-contained page"


# --- participants ---------------------------------------------------------------------------------------------


def test_participant_csvs_come_from_the_records_of_the_year(report):
    output, _result, _expected = report
    records = yaml.safe_load((REPO / "content" / "deltagare" / "2026.yaml").read_text(encoding="utf-8"))
    rows = sorted((str(r["date"]), r["activity"], str(r["participants"])) for r in records)
    assert read_csv(output / "deltagare.csv") == [["activity", "date", "participants"],
                                                  *[[slug, day, count] for day, slug, count in rows]]
    by_area = {row[0]: row[1:] for row in read_csv(output / "deltagare-per-fokusomrade.csv")[1:]}
    total = sum(r["participants"] for r in records)
    assert sum(int(values[0]) for values in by_area.values()) == total
    # Focus-area in an activity wins over its category's (sittgympa: rorelse → Åldrande med livskvalitet).
    assert by_area["Åldrande med livskvalitet"][0] == str(sum(r["participants"] for r in records
                                                               if r["activity"] == "sittgympa-seniorer-frolunda"))
    months = read_csv(output / "deltagare-per-manad.csv")
    assert months[0] == ["month", "participants", "occasions"] and months[11][:2] == ["2026-11", str(total)]


def test_without_logs_only_participants_and_occasions(tmp_path, settings):
    result = make_report(settings, 2026, [], str(tmp_path / "out"))
    assert result.problems == [] and result.logs is None
    assert sorted(result.files) == ["aktiviteter.csv", "deltagare-per-fokusomrade.csv", "deltagare-per-malgrupp.csv",
                                    "deltagare-per-manad.csv", "deltagare-per-omrade.csv", "deltagare.csv",
                                    "index.html"]


def test_the_command_writes_the_folder_and_says_where(tmp_path, monkeypatch, capsys, settings, site):
    logs = tmp_path / "logs"
    logs.mkdir()
    write_logs(logs, site)
    monkeypatch.chdir(REPO)
    output = tmp_path / "uppfoljning" / "2026"
    assert cli(["uppfoljning", "--year", "2026", "--today", "2026-12-01", "--logs", str(logs / "*.log*"),
                "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "4 loggrader hade inget känt format och hoppades över." in out
    assert f"Uppföljningen för 2026 finns i {output}/index.html (14 filer)." in out
    assert (output / "besok-per-sida.csv").exists() and (output / "deltagare.csv").exists()


PROBLEMS_FILE = """\
- activity: stolgympa
  date: 2027-03-02
  participants: 12
  newcomers: 3
- activity: stolgympa
  date: 2027-03-03
  participants: 5
- activity: stolgympa
  date: 2027-03-16
  participants: 5
- activity: stolgympa
  date: 2027-04-13
  participants: 5
- activity: stolgymnastik
  date: 2027-03-09
  participants: 5
- activity: stolgympa
  date: 2027-03-09
  participants: -1
- activity: stolgympa
  date: 2027-03-23
  participants: 12.5
- activity: stolgympa
  date: 2027-03-23
  participants: 10
  newcomers: 20
- activity: stolgympa
  date: 2027-03-23
- activity: stolgympa
  date: 2027-02-30
  participants: 4
- activity: forelasning-somn
  date: 2026-12-02
  participants: 30
- activity: stolgympa
  date: 2027-03-02
  participants: 11
- activity: stolgympa
  date: 2027-04-06
  participant: 8
- activity: hemlig-aktivitet
  date: 2027-03-05
  participants: 2
- stolgympa
"""
# (line, field, English, Swedish): each mistake of PROBLEMS_FILE, as `make check` words it.
PROBLEMS = [
    (6, "date", "stolgympa has no occasion on 2027-03-03 (one of its dates, e.g. 2027-03-02, 2027-03-09, 2027-03-23)",
     ("stolgympa har inget tillfälle den 2027-03-03 (ett av aktivitetens datum, t.ex. 2027-03-02, 2027-03-09, "
     "2027-03-23)")),
    (9, "date", "stolgympa was cancelled on 2027-03-16 (an occasion that took place)",
     "stolgympa var inställd den 2027-03-16 (ett tillfälle som blev av)"),
    (12, "date", "2027-04-13 is in the future (an occasion that has taken place (today is 2027-04-10))",
     "2027-04-13 har inte varit än (ett tillfälle som har ägt rum (i dag är det 2027-04-10))"),
    (14, "activity", ("'stolgymnastik' is not a known activity (the Slug of an activity in content/aktiviteter; "
     "did you mean stolgympa?)"),
     "'stolgymnastik' är ingen känd aktivitet (Slug för en aktivitet i content/aktiviteter; menade du stolgympa?)"),
    (19, "participants", "'-1' is not a whole number of 0 or more (a whole number such as 12)",
     "'-1' är inte ett heltal som är 0 eller mer (ett heltal som 12)"),
    (22, "participants", "'12.5' is not a whole number of 0 or more (a whole number such as 12)",
     "'12.5' är inte ett heltal som är 0 eller mer (ett heltal som 12)"),
    (26, "newcomers", "20 newcomers is more than the 10 participants (at most as many as came)",
     "20 nya deltagare är fler än de 10 deltagarna (högst så många som kom)"),
    (27, "participants", "is missing (how many came, a whole number such as 12)",
     "saknas (hur många som kom, ett heltal som 12)"),
    (30, "date", "'2027-02-30' is not a day of the calendar (a date that exists, YYYY-MM-DD)",
     "'2027-02-30' är ingen dag som finns i kalendern (ett datum som finns, ÅÅÅÅ-MM-DD)"),
    (33, "date", ("2026-12-02 is not in 2027, the year of the file (a date in 2027, or the entry in the file of its "
     "own year)"), ("2026-12-02 är inte under 2027, filens år (ett datum under 2027, eller posten i filen för sitt "
     "eget år)")),
    (36, "date", "stolgympa on 2027-03-02 is already recorded at 2027.yaml:1 (one entry per occasion)",
     "stolgympa den 2027-03-02 finns redan på 2027.yaml:1 (en post per tillfälle)"),
    (38, "participants", "is missing (how many came, a whole number such as 12)",
     "saknas (hur många som kom, ett heltal som 12)"),
    (40, "participant", ("is not a field of a participant record (one of: activity, date, participants, newcomers; "
     "did you mean participants?)"),
     "är inget fält i en deltagarpost (något av: activity, date, participants, newcomers; menade du participants?)"),
    (41, "activity", "'hemlig-aktivitet' is not a known activity (the Slug of an activity in content/aktiviteter)",
     "'hemlig-aktivitet' är ingen känd aktivitet (Slug för en aktivitet i content/aktiviteter)"),
    (44, "participants", "the entry is not a set of fields (activity, date and participants, each on its own line)",
     "posten består inte av fält (activity, date och participants, vart och ett på en egen rad)"),
]


@pytest.fixture
def broken_records(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "deltagare").mkdir()
    (content / "deltagare" / "2027.yaml").write_text(PROBLEMS_FILE, encoding="utf-8")
    (content / "deltagare" / "trasig.yaml").write_text("- activity: stolgympa\n  date: [2027-03-02\n",
                                                        encoding="utf-8")
    return content


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_participant_mistake_is_one_message_and_all_come_at_once(broken_records, lang):
    out = io.StringIO()
    assert check(SETTINGS, lang, {"TODAY": "2027-04-10", "PATH": str(broken_records)}, stream=out) == 2
    lines = [line.split(": ", 1)[1] for line in out.getvalue().splitlines()
             if "deltagare" in line and line.startswith(("error", "fel"))]
    path = broken_records / "deltagare" / "2027.yaml"
    wanted = [f"{path}:{line}: {field}: {english if lang == 'en' else swedish}"
              for line, field, english, swedish in PROBLEMS]
    assert [line for line in lines if "2027.yaml" in line] == wanted
    broken = [line for line in lines if "trasig.yaml" in line]
    assert len(broken) == 1 and broken[0].startswith(f"{broken_records / 'deltagare' / 'trasig.yaml'}:")


def test_the_report_refuses_records_with_mistakes(broken_records, tmp_path):
    settings = load_settings(SETTINGS, {"TODAY": "2027-04-10", "PATH": str(broken_records)})
    result = make_report(settings, 2027, [], str(tmp_path / "out"))
    assert len(result.problems) == len(PROBLEMS) + 1 and not (tmp_path / "out").exists()


def test_an_unknown_focus_area_in_a_category_or_an_activity_is_an_error(tmp_path):
    content = copy_content(REPO / "content", tmp_path / "content")
    categories = content / "data" / "categories.yaml"
    categories.write_text(categories.read_text(encoding="utf-8").replace("focus-area: livsvillkor",
                                                                         "focus-area: livsvilkor", 1), encoding="utf-8")
    activity = content / "aktiviteter" / "qigong-angered.md"
    activity.write_text(activity.read_text(encoding="utf-8").replace("Category:", "Focus-area: rorelse\nCategory:"),
                        encoding="utf-8")
    out = io.StringIO()
    assert check(SETTINGS, "en", {"TODAY": "2026-12-01", "PATH": str(content)}, stream=out) == 2
    text = out.getvalue()
    assert "categories.yaml:6: focus-area: category 'halsosamtal' has unknown focus area 'livsvilkor'" in text
    assert "qigong-angered.md" in text and "Focus-area: 'rorelse' is not a known value" in text
    categories.write_text(categories.read_text(encoding="utf-8").replace("  focus-area: livsvilkor\n", ""),
                          encoding="utf-8")
    out = io.StringIO()
    check(SETTINGS, "sv", {"TODAY": "2026-12-01", "PATH": str(content)}, stream=out)
    assert "categories.yaml:6: focus-area: kategorin 'halsosamtal' saknar focus-area (något av: livsvillkor, " \
        in out.getvalue()


def test_the_shipped_content_checks_clean():
    out = io.StringIO()
    assert check(SETTINGS, "en", {"TODAY": "2026-12-01"}, stream=out) == 0, out.getvalue()


# --- reading: formats, files, memory --------------------------------------------------------------------------


def test_both_formats_parse_and_the_address_is_only_in_a_combined_line():
    request = parse(own("2027-03-04", "/sok/?q=s%C3%B6mn"))
    assert request.day == "2027-03-04" and request.target == "/sok/?q=s%C3%B6mn" and request.address is None
    request = parse(combined("203.0.113.5", "2027-03-04", "/program/"))
    assert (request.day, request.status, request.address) == ("2027-03-04", 200, "203.0.113.5")
    # nginx's own escaping of a quote in the agent (\x22), and the format with the referrer kept
    assert parse('2027-03-04T10:15:00+01:00 "GET / HTTP/2.0" 200 10 "https://a.example/" "A \\x22b\\x22"').agent \
        == "A \\x22b\\x22"
    for broken in ("", "x", '2027-03-04T10:15:00+01:00 "GET / HTTP/1.1" 200',
                   '203.0.113.5 - - [04/Foo/2027:10:15:00 +0100] "GET / HTTP/1.1" 200 1 "-" "a"',
                   '2027-03-04T10:15:00+01:00 "\\x16\\x03\\x01" 400 0 "-"'):
        assert parse(broken) is None, broken


def test_rotated_files_are_read_oldest_first_plain_or_gzip_whatever_their_name(tmp_path):
    for name in ("a.log", "a.log.1", "a.log.2.gz", "a.log.10.gz"):
        lines = [own("2027-01-01", f"/{name}/")]
        if name.endswith(".gz"):
            with gzip.open(tmp_path / name, "wt", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
        else:
            (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(tmp_path / "a.log.2.gz", tmp_path / "b.log")  # gzip without .gz: told by its first bytes
    files = log_files([str(tmp_path / "a.log*"), str(tmp_path / "a.log")])
    assert [Path(f).name for f in files] == ["a.log.10.gz", "a.log.2.gz", "a.log.1", "a.log"]
    assert [parse(line).target for line in read_lines(log_files([str(tmp_path / "b.log")]))] == ["/a.log.2.gz/"]


def test_a_truncated_gzip_file_is_a_broken_line_not_a_traceback(tmp_path, site):
    data = gzip.compress(("\n".join(own("2027-01-01", "/") for _ in range(2000)) + "\n").encode())
    (tmp_path / "cut.log.1.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "bytes.log").write_bytes(own("2027-01-01", "/").encode() + b"\n\xff\xfe\n")
    figures = count_lines(read_lines(log_files([str(tmp_path / "*.log*")])), 2027, SiteMap(site))
    assert figures.broken == 2 and figures.pages["/"] >= 1


def test_a_file_that_cannot_be_opened_is_named_and_left_out(tmp_path, monkeypatch, site):
    from halsolots.followup import logs

    (tmp_path / "a.log").write_text(own("2027-01-01", "/") + "\n", encoding="utf-8")
    (tmp_path / "b.log").write_text(own("2027-01-01", "/") + "\n", encoding="utf-8")
    opened = logs.open_log

    def refuse(path):
        if path.endswith("b.log"):
            raise PermissionError(path)
        return opened(path)

    monkeypatch.setattr(logs, "open_log", refuse)
    unreadable = []
    figures = count_lines(read_lines(log_files([str(tmp_path / "*.log")]), unreadable), 2027, SiteMap(site))
    assert figures.pages["/"] == 1 and unreadable == [str(tmp_path / "b.log")]


@given(st.lists(st.text(max_size=200) | st.sampled_from(
    [own("2027-02-03", "/"), own("2027-13-40", "/"), combined("::1", "2027-02-03", "/sok/?q=%FF%00"),
     own("2027-02-03", "/sok/?q=" + "x" * 300), '2027-02-03T10:15:00+01:00 "GET /?q=&&&== HTTP/1.1" 200 1 "a"']),
    max_size=40))
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_line_is_counted_or_broken_never_a_traceback(site, lines):
    figures = count_lines(iter(lines), 2027, SiteMap(site))
    assert figures.lines == len(lines)
    assert figures.visits + figures.broken + figures.other_years + figures.bots <= len(lines)
    assert sum(figures.months.values()) == figures.visits


def test_the_pipeline_streams_in_bounded_memory(site):
    """A generator all the way: memory does not grow with the number of lines (only with distinct pages)."""
    assert inspect.isgeneratorfunction(read_lines)
    sitemap = SiteMap(site)

    def lines(count):
        for index in range(count):
            yield own(f"2027-{1 + index % 12:02d}-{1 + index % 28:02d}", f"/aktivitet/a{index % 50}/")

    peaks = []
    for count in (5_000, 50_000):
        tracemalloc.start()
        figures = count_lines(lines(count), 2027, sitemap)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert figures.visits == count
    assert peaks[1] < peaks[0] * 1.5 + 200_000, peaks


def test_the_subscriber_estimate_keeps_no_hash_and_counts_a_client_once_a_day(site):
    agent = "iOS/18.1 (22B83) dataaccessd/1.0"
    lines = [own(day, "/kalender/alla.ics", agent=agent) for day in ("2027-05-01", "2027-05-01", "2027-05-02")]
    lines += [own("2027-05-02", "/kalender/alla.ics", agent="Thunderbird/128.0"), own("2027-05-03", "/")]
    figures = count_lines(iter(lines), 2027, SiteMap(site))
    # client-days: 1 (1 May) + 2 (2 May) over 3 days
    assert figures.subscribers == {"/kalender/alla.ics": 1} and figures.feed_requests["/kalender/alla.ics"] == 4
    kept = json.dumps({name: value for name, value in vars(figures).items()}, default=str)
    assert agent not in kept


@pytest.mark.parametrize("agent, robot", [
    (BROWSER, False), (PHONE, False), ("iOS/18.1 (22B83) dataaccessd/1.0", False), ("Google-Calendar-Importer", False),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True), ("-", True), ("", True),
    ("python-requests/2.32", True), ("Mozilla/5.0 (X11) HeadlessChrome/131.0", True),
    ("facebookexternalhit/1.1", True), ("Mozilla/5.0 (compatible; UptimeRobot/2.0)", True)])
def test_robots_by_user_agent(agent, robot):
    assert is_bot(agent) is robot


# --- the checkers ---------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.checkers  # vnu.jar from node_modules
def test_the_report_passes_the_nu_html_checker(report):
    from test_a11y_static import VNU

    output, _result, _expected = report
    java = shutil.which("java")
    assert java and VNU.exists(), "make browser-deps installs Java and vnu.jar"
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", str(output / "index.html")],
                            capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], messages


@pytest.mark.browser
@pytest.mark.checkers  # axe-core from node_modules
def test_the_report_passes_axe_on_screen_and_in_print(report, chromium):
    from test_axe import AXE, RUN_AXE, WCAG_TAGS

    output, _result, _expected = report
    context = chromium.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto((output / "index.html").as_uri())
        assert page.evaluate(RUN_AXE, WCAG_TAGS) == []
        page.emulate_media(media="print")
        assert page.evaluate(RUN_AXE, WCAG_TAGS) == []
        assert len(page.pdf(format="A4")) > 10_000
    finally:
        context.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


# --- the search page records a finished search with one same-origin request ----------------------------------


@pytest.fixture(scope="module")
def recording_server(fixture_site):
    """The fixture site over HTTP on 127.0.0.1, keeping each request's path and headers."""
    import functools
    import http.server
    import threading

    from halsolots.commands import serve

    seen: list[tuple[str, dict]] = []

    class Recording(serve.SiteRequestHandler):
        def do_GET(self):
            seen.append((self.path, {name.lower(): value for name, value in self.headers.items()}))
            super().do_GET()

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Recording, directory=str(fixture_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_search_is_recorded_once_typing_stops_with_the_term_only(chromium, recording_server, lang):
    from playwright.sync_api import expect

    base, seen = recording_server
    settings = load_settings(SETTINGS, {"TODAY": "2026-12-01", "PATH": str(FIXTURE_CONTENT)})
    search = "/" + Site(settings).url(lang, "search")
    context = chromium.new_context()
    context.add_cookies([{"name": "probe", "value": "1", "url": base}])
    page = context.new_page()
    origins = set()
    page.on("request", lambda request: origins.add(request.url.split("/")[2]))
    try:
        page.goto(f"{base}{search}?q=stol")
        expect(page.get_by_role("search")).to_be_visible()
        box = page.locator("#search-query")
        box.fill("")
        del seen[:]
        box.press_sequentially("sömn", delay=120)  # one recording once typing stops, not one per letter
        page.wait_for_timeout(2300)
        box.fill(" sömn ")  # the same term: not again
        page.wait_for_timeout(2000)
        box.fill("")  # nothing to record
        page.wait_for_timeout(2000)
        box.fill("yoga")
        box.press("Enter")  # submitting records at once, and only once
        page.wait_for_timeout(2000)
        records = [(path, headers) for path, headers in seen if "?" in path]
        assert [path for path, _headers in records] == [f"{search}?q=s%C3%B6mn", f"{search}?q=yoga"], seen
        for _path, headers in records:
            assert "cookie" not in headers and "referer" not in headers, headers
        storage = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
        assert storage == [0, 0, "probe=1"]
        assert origins == {base.split("/")[2]}, "no one but the site's own origin"
    finally:
        context.close()


def test_the_site_scripts_store_nothing_and_the_search_record_sends_no_credentials():
    """The theme's own scripts: no cookie, no browser storage, no beacon; the search record omits credentials and
    the referrer."""
    for path in sorted((REPO / "theme" / "static" / "js").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        for word in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "navigator.sendBeacon"):
            assert word not in text, (path.name, word)
    search = (REPO / "theme" / "static" / "js" / "search.js").read_text(encoding="utf-8")
    calls = search.split("fetch(")[1:]
    assert len(calls) == 1
    assert 'credentials: "omit"' in calls[0][:200] and 'referrerPolicy: "no-referrer"' in calls[0][:200]
