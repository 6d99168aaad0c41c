"""`python -m halsolots guide`: rewrites the generated part of docs/guide-for-kommunikatorer.md.

The field reference (every activity field, an example, the allowed values) comes from the activity model's
constants and the vocabulary data files, so the guide never goes stale; a test fails if the committed
guide differs from what this command would write.
"""

from __future__ import annotations

import os
import sys

from ..content.activity import FIELD_NAMES, ONLINE, REGISTRATION_VALUES, REPEAT_VALUES, REQUIRED_FIELDS, STATUS_VALUES, VOCABULARY_FIELDS

GUIDE = os.path.join("docs", "guide-for-kommunikatorer.md")
BEGIN = "<!-- BÖRJAN: genereras av `make guide` (python -m halsolots guide) – ändra inte för hand -->"
END = "<!-- SLUT på det genererade -->"

# What each field means, in Swedish, with an example. Allowed values are added from the data.
FIELDS = {
    "title": ("Aktivitetens namn.", "Mjuk yoga"),
    "slug": ("Kort namn i webbadressen, bara a–z, siffror och bindestreck. Utelämna så används filnamnet. "
             "En översättning har samma Slug som originalet.", "mjuk-yoga-ruddalen"),
    "lang": ("Filens språk. Originalet är på svenska; en översättning har språkkoden i filnamnet "
             "(namn.en.md).", "sv"),
    "summary": ("En eller två meningar som visas i listor.", "Lugn yoga med enkla positioner och avslappning."),
    "start": ("Datum och klockslag för första tillfället (ÅÅÅÅ-MM-DD TT:MM).", "2027-02-03 18:00"),
    "end": ("Sluttid (TT:MM), eller datum och tid om aktiviteten slutar en annan dag.", "19:00"),
    "repeat": ("Skriv weekly för en veckoserie. Utelämna för ett enstaka tillfälle.", "weekly"),
    "until": ("Sista datum i en veckoserie (ÅÅÅÅ-MM-DD).", "2027-06-10"),
    "except": ("Datum då en veckoserie inte blir av och som inte ska visas (t.ex. helgdagar), med kommatecken "
               "emellan. Samma veckodag som serien.", "2027-04-01, 2027-05-13"),
    "cancelled-dates": ("Datum som är inställda och visas som inställda, med kommatecken emellan.", "2027-03-04"),
    "venue": ("Lokalens id, eller online för digitala aktiviteter.", "ruddalens-idrottscentrum"),
    "districts": ("Ett eller flera områden, med kommatecken emellan.", "sydvast"),
    "groups": ("En eller flera målgrupper, med kommatecken emellan.", "alla, kvinnor"),
    "category": ("Exakt en kategori.", "rorelse"),
    "themes": ("Teman, med kommatecken emellan (frivilligt).", "somn, stress"),
    "organiser": ("Vem som arrangerar.", "Hälsoteket i Väster"),
    "partners": ("Samarbetspartner, med kommatecken emellan (frivilligt).", "Friskis&Svettis Göteborg"),
    "registration": ("Om man behöver anmäla sig.", "drop-in"),
    "how-to-register": ("Hur man anmäler sig. Krävs när Registration är required.", "Ring 031-123 45 67"),
    "languages": ("Språk som aktiviteten hålls på, som språkkoder.", "sv, en"),
    "sign-language": ("Teckenspråkstolkning: yes eller no.", "no"),
    "far": ("yes om aktiviteten passar för fysisk aktivitet på recept (FaR): vårdpersonal hittar den då under "
            "FaR på sidan För vårdpersonal. Frivilligt; bara för veckoserier.", "yes"),
    "status": ("scheduled (standard), cancelled (hela aktiviteten är inställd) eller draft (utkast, syns "
               "bara i förhandsvisningen och publiceras aldrig).", "cancelled"),
    "cancellation-note": ("Kort text till besökarna om varför aktiviteten är inställd. Krävs när Status är "
                          "cancelled.", "Kursledaren är sjuk. Ett nytt datum kommer."),
    "modified": ("Frivilligt (ÅÅÅÅ-MM-DD). Kalendrarna ser varje ändring ändå; ett senare datum här räknas som en "
                 "ändring den dagen.", "2026-11-29"),
}


def generated(vocabularies) -> str:
    """The generated section (Markdown): field table, then every vocabulary's ids and labels."""
    values = {
        "registration": " eller ".join(f"`{v}`" for v in REGISTRATION_VALUES),
        "repeat": " ".join(f"`{v}`" for v in REPEAT_VALUES),
        "status": ", ".join(f"`{v}`" for v in STATUS_VALUES),
        "sign-language": "`yes` eller `no`",
        "far": "`yes` eller `no`",
        "venue": f"se [Lokaler](#lokaler) eller `{ONLINE}`",
        "districts": "se [Områden](#områden)",
        "groups": "se [Målgrupper](#målgrupper)",
        "category": "se [Kategorier](#kategorier)",
        "themes": "se [Teman](#teman)",
    }
    lines = ["### Alla fält i en aktivitet", "",
             "| Fält | Krävs | Vad det är | Exempel | Tillåtna värden |", "|---|---|---|---|---|"]
    for key, name in FIELD_NAMES.items():
        meaning, example = FIELDS.get(key, ("", ""))
        required = "ja" if key in REQUIRED_FIELDS else ""
        lines.append(f"| `{name}` | {required} | {meaning} | {f'`{name}: {example}`' if example else ''} "
                     f"| {values.get(key, '')} |")
    sections = (("Områden", "districts"), ("Målgrupper", "groups"), ("Kategorier", "category"), ("Teman", "themes"))
    for title, key in sections:
        vocabulary_name, field_name = VOCABULARY_FIELDS[key], FIELD_NAMES[key]
        vocabulary = vocabularies[vocabulary_name]
        lines += ["", f"### {title}", "",
                  f"Skriv id:t i fältet `{field_name}`. Listan kommer från `content/data/"
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
    return current, rewrite(current, generated(Site(settings).vocabularies))


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("guide", help="regenerate the field reference in docs/guide-for-kommunikatorer.md")
    cmd.add_argument("--settings", default="pelicanconf.py")
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
