"""`python -m halsolots guide`: rewrites the generated part of docs/guide-for-kommunikatorer.md.

The field reference (every field of every kind, an example, the allowed values) comes from the field
descriptions (content/schema.py) and the vocabulary data files, so the guide never goes stale; a test fails if
the committed guide differs from what this command would write.
"""

from __future__ import annotations

import os
import sys

from ..content import schema
from ..content.schema import KINDS, ONLINE
from .options import add_settings_arguments

GUIDE = os.path.join("docs", "guide-for-kommunikatorer.md")
BEGIN = "<!-- BÖRJAN: genereras av `make guide` (python -m halsolots guide) – ändra inte för hand -->"
END = "<!-- SLUT på det genererade -->"

# The heading of each kind's table and of each vocabulary's list (its anchor is the heading in lower case).
KIND_TITLES = {"activity": "en aktivitet", "health": "en hälsosida", "film": "en film", "news": "en nyhet",
               "page": "en sida"}
VOCABULARY_TITLES = {"districts": "Områden", "target_groups": "Målgrupper", "categories": "Kategorier",
                     "themes": "Teman", "focus_areas": "Fokusområden", "help_contacts": "Hjälpkontakter",
                     "film_series": "Filmserier", "venues": "Lokaler"}
FORMATS = {schema.DATE: "ÅÅÅÅ-MM-DD", schema.DATES: "datum ÅÅÅÅ-MM-DD, med kommatecken emellan",
           schema.DATETIME: "ÅÅÅÅ-MM-DD TT:MM", schema.END: "TT:MM eller ÅÅÅÅ-MM-DD TT:MM",
           schema.YES_NO: "`yes` eller `no`", schema.LANGUAGES: "språkkoder, t.ex. `sv`, `en`, `ar`, `so`",
           schema.SLUG: "a–z, 0–9 och bindestreck", schema.NUMBER: "ett heltal",
           schema.DURATION: "t.ex. `45 min`, `1 h 5 min`, `00:45:00`",
           schema.CAPTIONS: "`språk: sökväg`, t.ex. `sv: filmer/textning/film.sv.vtt`",
           schema.MEDIA: "en `.mp4`- eller `.webm`-fil under `content/media/`",
           schema.URL: "en adress hos YouTube eller Vimeo (https://…)"}


def _anchor(title: str) -> str:
    return "#" + title.lower().replace(" ", "-")


def allowed(spec: schema.FieldSpec, languages) -> str:
    """The allowed values of a field as the guide shows them."""
    if spec.type == schema.CHOICE:
        return ", ".join(f"`{value}`" for value in spec.choices)
    if spec.type == schema.LANG:
        return ", ".join(f"`{lang}`" for lang in languages)
    if spec.type == schema.VENUE:
        return f"se [Lokaler]({_anchor('Lokaler')}) eller `{ONLINE}`"
    if spec.vocabulary:
        title = VOCABULARY_TITLES.get(spec.vocabulary, spec.vocabulary)
        return f"se [{title}]({_anchor(title)})" + (", ett" if spec.type == schema.TERM else "")
    return FORMATS.get(spec.type, "")


def field_table(kind: schema.Kind, languages) -> list[str]:
    lines = [f"### Alla fält i {KIND_TITLES[kind.name]}", "",
             f"Filerna ligger i `content/{kind.default_path}/`. Under fälten: {kind.body_sv[0].lower()}"
             f"{kind.body_sv[1:]}", "",
             "| Fält | Krävs | Vad det är | Exempel | Tillåtna värden |", "|---|---|---|---|---|"]
    for spec in kind.fields:
        example = f"`{spec.name}: {spec.example}`" if spec.example else ""
        lines.append(f"| `{spec.name}` | {'ja' if spec.required else ''} | {spec.help_sv} | {example} "
                     f"| {allowed(spec, languages)} |")
    return lines


def translation_table() -> list[str]:
    lines = ["### Fält i en översättning", "",
             "En översättning är en fil bredvid originalet med samma namn och språkkoden före `.md` "
             "(`mjuk-yoga-ruddalen.en.md`), samma `Slug` och t.ex. `Lang: en`. Den innehåller bara de här fälten "
             "och texten; allt annat läses från originalet.", "", "| Sort | Fält i översättningen |", "|---|---|"]
    for kind in KINDS.values():
        names = ", ".join(f"`{spec.name}`" for spec in kind.translated)
        lines.append(f"| {KIND_TITLES[kind.name].split(' ', 1)[1].capitalize()} | {names} |")
    return lines


def generated(vocabularies, languages=("sv", "en")) -> str:
    """The generated section (Markdown): a field table per kind, translations, then every vocabulary's ids."""
    lines = []
    for kind in KINDS.values():
        lines += field_table(kind, languages) + [""]
    lines += translation_table()
    used: dict[str, list[str]] = {}
    for kind in KINDS.values():
        for spec in kind.fields:
            if spec.vocabulary and spec.vocabulary != "venues" and spec.name not in used.setdefault(spec.vocabulary, []):
                used[spec.vocabulary].append(spec.name)
    for vocabulary_name, title in VOCABULARY_TITLES.items():
        if vocabulary_name not in used:
            continue
        vocabulary = vocabularies[vocabulary_name]
        field_names = " och ".join(f"`{name}`" for name in used[vocabulary_name])
        lines += ["", f"### {title}", "",
                  f"Skriv id:t i fältet {field_names}. Listan kommer från `content/data/"
                  f"{os.path.basename(vocabulary.path) or vocabulary_name + '.yaml'}`.", ""]
        if not len(vocabulary):
            lines.append("(Inga ännu.)")
            continue
        lines += ["| id | Namn |", "|---|---|"]
        lines += [f"| `{term.id}` | {term.label.get('sv')} |" for term in vocabulary]
    lines += ["", "### Lokaler", "",
              "Skriv id:t i fältet `Venue`. Listan kommer från `content/data/venues.yaml`.", "",
              "| id | Namn | Adress | Område |", "|---|---|---|---|"]
    for venue in vocabularies.venues:
        lines.append(f"| `{venue.id}` | {venue.label.get('sv')} | {venue.get('address', '')} | "
                     f"`{venue.get('district', '')}` |")
    lines += ["", "### Tillgänglighet för lokaler", "",
              "Används i `venues.yaml` under `accessibility`.", "", "| id | Betyder |", "|---|---|"]
    lines += [f"| `{term.id}` | {term.label.get('sv')} |" for term in vocabularies.accessibility_features]
    return "\n".join(lines)


def rewrite(text: str, section: str) -> str:
    """Replace what lies between the markers (the rest of the guide is written by hand)."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n\n" + section + "\n\n" + text[end:]


def expected_guide(settings: dict, path: str = GUIDE) -> tuple[str, str]:
    from ..site.site import Site

    with open(path, encoding="utf-8") as handle:
        current = handle.read()
    site = Site(settings)
    return current, rewrite(current, generated(site.vocabularies, site.languages))


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("guide", help="regenerate the field reference in docs/guide-for-kommunikatorer.md")
    add_settings_arguments(cmd)
    cmd.add_argument("--check", action="store_true", help="only report whether the guide is up to date")
    cmd.set_defaults(func=guide_command)


def guide_command(args) -> int:
    from ..build.build import load_settings

    current, wanted = expected_guide(load_settings(args.settings))
    if args.check:
        if current != wanted:
            print(f"{GUIDE} är inaktuell: kör make guide", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        with open(GUIDE, "w", encoding="utf-8") as handle:
            handle.write(wanted)
        print(f"Uppdaterade {GUIDE}")
    return 0
