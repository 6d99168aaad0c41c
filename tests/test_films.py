"""The film archive on the built fixture site: players, captions, transcripts, filters, validation."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from conftest import FIXTURE_CONTENT, build_site, copy_content, html
from halsolots.content.library import external_video, parse_duration
from halsolots.content.webvtt import WebVTTError, check_webvtt


def film_titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".film-cards .film-card__title a")]


# --- film pages ----------------------------------------------------------------------------------------------


def test_local_film_has_a_caption_track_per_file(fixture_site):
    page = html(fixture_site / "filmer" / "andas-lugnt" / "index.html")
    video = page.select_one("video")
    assert video.find("source")["src"] == "/media/filmer/klipp.webm"
    assert video.find("source")["type"] == "video/webm"
    tracks = video.find_all("track")
    assert [(t["kind"], t["srclang"], t["label"], t["src"]) for t in tracks] == [
        ("captions", "sv", "Svenska", "/media/filmer/andas.sv.vtt")]
    assert tracks[0].has_attr("default")
    # The files the tracks point at are published.
    assert (fixture_site / "media" / "filmer" / "andas.sv.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert (fixture_site / "media" / "filmer" / "klipp.webm").stat().st_size > 0


def test_external_film_makes_no_request_to_the_provider(fixture_site):
    for path in ("filmer/somnforelasning/index.html", "en/films/somnforelasning/index.html",
                 "filmer/snus-och-halsa/index.html"):
        page = html(fixture_site / path)
        assert page.find("iframe") is None
        assert page.find("video") is None
        # Nothing in the initial HTML loads from another origin: every src/srcset/stylesheet is site-local.
        for element in page.find_all(src=True):
            assert not urlparse(element["src"]).netloc, (path, element)
        for link in page.find_all("link", rel="stylesheet"):
            assert not urlparse(link["href"]).netloc
        assert not page.find_all(srcset=True)
        embed = page.select_one(".video-embed")
        assert embed["data-embed-src"].startswith(("https://www.youtube-nocookie.com/embed/",
                                                    "https://player.vimeo.com/video/"))
        button = embed.select_one("button.video-embed__button")
        assert button.has_attr("hidden")  # only video-embed.js shows it
        fallback = embed.select_one(".video-embed__fallback a")
        assert urlparse(fallback["href"]).netloc in ("www.youtube.com", "vimeo.com")
        scripts = page.find_all("script")
        assert [s.get("src") for s in scripts if s.get("src", "").endswith("video-embed.js")] == [
            "/theme/js/video-embed.js"]
        assert all(s.get("src") for s in scripts), "no inline scripts"
        assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    assert (fixture_site / "theme" / "js" / "video-embed.js").exists()


def test_film_page_shows_facts_and_transcript(fixture_site):
    page = html(fixture_site / "filmer" / "somnforelasning" / "index.html")
    facts = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in page.select(".facts__row")}
    assert facts["Talare"] == "Anna Berg, Olle Ek"
    assert facts["Inspelad"] == "onsdag 20 maj 2026"
    assert facts["Längd"] == "45 min"
    assert page.select_one(".facts time[datetime='PT45M']")
    assert facts["Språk"] == "Svenska. Teckenspråkstolkas"
    assert facts["Textning"] == "Svenska, Engelska"
    assert page.select_one(".facts a[href='/filmer/serie/lunch/']").get_text() == "Hälsa på lunchen"
    assert page.select_one(".facts a[href='/tema/somn/']")
    assert "TRANSKRIPT-SOMN" in page.select_one(".film__transcript").get_text()
    english = html(fixture_site / "en" / "films" / "somnforelasning" / "index.html")
    assert "TRANSCRIPT-SLEEP" in english.select_one(".film__transcript").get_text()
    # A film without translation shows its Swedish transcript, marked as Swedish.
    fallback = html(fixture_site / "en" / "films" / "snus-och-halsa" / "index.html")
    assert fallback.select_one("article.film")["lang"] == "sv"
    assert "TRANSKRIPT-SNUS" in fallback.select_one(".film__transcript").get_text()
    assert fallback.select_one(".facts time[datetime='PT1H2M']").get_text() == "1 h 2 min"


def test_film_page_links_related_health_pages_and_upcoming_activities(fixture_site):
    page = html(fixture_site / "filmer" / "andas-lugnt" / "index.html")  # theme: stress
    health = [a["href"] for a in page.select(".health-card__title a")]
    assert health == ["/halsa/stress-och-somn/"]
    activities = [a["href"] for a in page.select(".activity-summary__title a")]
    # Upcoming only, soonest first: not the cancelled walk (no occasion left).
    assert activities == ["/aktivitet/webbinarium-stress/", "/aktivitet/stolgympa/"]


# --- the archive --------------------------------------------------------------------------------------------


def test_archive_lists_all_films_newest_first(fixture_site):
    page = html(fixture_site / "filmer" / "index.html")
    assert film_titles(page) == ["Andas lugnt", "Föreläsning om sömn", "Snus och hälsa"]
    english = html(fixture_site / "en" / "films" / "index.html")
    assert film_titles(english) == ["Andas lugnt", "Lecture on sleep", "Snus och hälsa"]


@pytest.mark.parametrize("path, expected", [
    ("filmer/tema/somn", ["Föreläsning om sömn"]),
    ("filmer/tema/stress", ["Andas lugnt"]),
    ("filmer/tema/tobak", ["Snus och hälsa"]),
    ("filmer/serie/lunch", ["Föreläsning om sömn", "Snus och hälsa"]),
    ("filmer/serie/kort", ["Andas lugnt"]),
    ("en/films/series/lunch", ["Lecture on sleep", "Snus och hälsa"]),
])
def test_archive_filter_pages_list_exactly_the_matching_films(fixture_site, path, expected):
    page = html(fixture_site / path / "index.html")
    assert film_titles(page) == expected
    assert page.select_one(".film-filters [aria-current='page']")
    assert not page.find("script", src=lambda s: s and "video-embed" in s)


def test_archive_filter_links_reach_every_filter_page(fixture_site):
    page = html(fixture_site / "filmer" / "index.html")
    links = sorted(a["href"] for a in page.select(".film-filters a"))
    # Spoken language, captions and sign language too (issue 17).
    assert links == ["/filmer/serie/kort/", "/filmer/serie/lunch/", "/filmer/sprak/sv/", "/filmer/teckensprak/",
                     "/filmer/tema/somn/", "/filmer/tema/stress/", "/filmer/tema/tobak/", "/filmer/textning/en/",
                     "/filmer/textning/sv/"]
    for link in links:
        assert (fixture_site / link.strip("/") / "index.html").exists()


# --- parsing units ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, minutes", [("45 min", 45), ("1 h 5 min", 65), ("00:45:00", 45), ("45:00", 45),
                                           ("1:02:00", 62)])
def test_durations(text, minutes):
    assert parse_duration(text).total_seconds() == minutes * 60


@pytest.mark.parametrize("text", ["45", "fyrtiofem minuter", "45 minutes", "1:75:00", ""])
def test_bad_durations(text):
    assert parse_duration(text) is None


def test_external_addresses():
    assert external_video("https://youtu.be/abcDEF12345").embed_url.startswith(
        "https://www.youtube-nocookie.com/embed/abcDEF12345")
    assert external_video("https://vimeo.com/76979871").provider == "Vimeo"
    assert external_video("http://www.youtube.com/watch?v=abcDEF12345") is None  # not https
    assert external_video("https://example.com/film") is None


def test_webvtt_checker():
    assert check_webvtt("WEBVTT\n\nNOTE hi\n\nid\n00:00:01.000 --> 00:00:02.500 align:start\nHej\n") == 1
    for text, line in [("Hej\n\n00:01.000 --> 00:02.000\nx\n", 1),
                       ("WEBVTT\n\n00:01.000 -> 00:02.000\nx\n", 3),
                       ("WEBVTT\n\n00:01,000 --> 00:02,000\nx\n", 3),
                       ("WEBVTT\n\n00:03.000 --> 00:02.000\nx\n", 3),
                       ("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n00:02.000 --> 00:03.000\ny\n", 5),
                       ("WEBVTT\n", 1)]:
        with pytest.raises(WebVTTError) as error:
            check_webvtt(text)
        assert error.value.line == line, text


# --- validation fails the build ---------------------------------------------------------------------------------


def test_film_problems_fail_the_build(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "site")
    films = content / "filmer"
    snus = films / "snus.md"
    snus.write_text(snus.read_text(encoding="utf-8").replace("Themes: tobak", "Themes: tobak, somm"),
                    encoding="utf-8")
    andas = films / "andas.md"
    andas.write_text(andas.read_text(encoding="utf-8").replace("Duration: 00:00:01\n", ""), encoding="utf-8")
    somn = films / "somnforelasning.md"
    somn.write_text(somn.read_text(encoding="utf-8").replace("filmer/somn.en.vtt", "filmer/saknas.en.vtt"),
                    encoding="utf-8")
    (content / "media" / "filmer" / "somn.sv.vtt").write_text("00:00.000 --> 00:02.000\nVälkomna.\n",
                                                              encoding="utf-8")
    output = tmp_path / "output"
    assert build_site(output, content) == 2
    assert not output.exists()
    lines = capsys.readouterr().err.splitlines()
    # Every line as make check prints it, with its "error:" first (LANG=sv: "fel:").
    assert "error: site/filmer/snus.md:8: Themes: 'somm' is not a known value (one of: somn, stress, tobak; " \
           "did you mean somn?)" in lines
    assert "error: site/filmer/andas.md:1: Duration: is missing (the length, e.g. 45 min or 00:45:00)" in lines
    assert any(line.startswith("error: site/filmer/somnforelasning.md:12: Captions: the caption file "
                               "'filmer/saknas.en.vtt' does not exist") for line in lines)
    assert any(line.startswith("error: site/filmer/somnforelasning.md:12: Captions: 'filmer/somn.sv.vtt' is not valid "
                               "WebVTT: line 1: the file does not start with the line WEBVTT") for line in lines)
    assert lines[-1] == "4 problems in the content; nothing was published."


def test_a_film_needs_one_video_and_a_transcript(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "site")
    snus = content / "filmer" / "snus.md"
    snus.write_text(snus.read_text(encoding="utf-8").replace(
        "External: https://vimeo.com/123456", "External: https://vimeo.com/123456\nVideo: filmer/klipp.webm"),
        encoding="utf-8")
    andas = content / "filmer" / "andas.md"
    andas.write_text(andas.read_text(encoding="utf-8").split("\n\n")[0] + "\n", encoding="utf-8")
    somn = content / "filmer" / "somnforelasning.md"
    somn.write_text(somn.read_text(encoding="utf-8").replace("https://www.youtube.com/watch?v=abcDEF12345",
                                                             "https://example.com/film"), encoding="utf-8")
    assert build_site(tmp_path / "output", content) == 2
    lines = capsys.readouterr().err.splitlines()
    assert "error: site/filmer/snus.md:12: Video: a film needs exactly one of Video and External (Video: a file in " \
           "content/media, or External: a YouTube or Vimeo address)" in lines
    assert "error: site/filmer/andas.md:1: Transcript: the transcript is missing (the spoken text below the header, " \
           "after a blank line)" in lines
    assert "error: site/filmer/somnforelasning.md:13: External: 'https://example.com/film' is not a YouTube or Vimeo " \
           "film address (e.g. https://www.youtube.com/watch?v=… or https://vimeo.com/123456)" in lines
    assert lines[-1] == "3 problems in the content; nothing was published."
