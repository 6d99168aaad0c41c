"""`python -m halsolots translations` (make translations): extract the interface text of templates and plugins
into theme/translations/messages.pot and merge it into each language's catalogue, touching only what changed.

pybabel's commands rewrite every file on every run (the POT-Creation-Date, the catalogue's header), so a
communicator's commit picked up unrelated changes. This does the same extraction and merge with Babel's
library, keeps each catalogue's header as it is, sorts by msgid, and writes a file only when its text changes.
Content-problem messages (N_) are not interface text: they live in the plugin's own catalogue.
"""

from __future__ import annotations

import io
import os
import sys

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}
# The widths the files have always had (pybabel extract's default for the template, 120 for the catalogues).
POT_WIDTH, PO_WIDTH = 76, 120
PROJECT = "Hälsolots webb"


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("translations", help="extract interface text into the catalogues (only what changed)")
    cmd.add_argument("--root", default=".", help="the project folder (theme/ and plugins/ in it)")
    cmd.set_defaults(func=lambda args: translations(args.root))


# Folders that hold no interface text (and node_modules is large): not walked.
SKIPPED = {"node_modules", "output", "cache", "content", "tests", "docs", "deploy"}


def _searched(dirpath: str) -> bool:
    name = os.path.basename(dirpath)
    return not (name.startswith((".", "_")) or name in SKIPPED or name.startswith("output."))


def _template(root: str) -> Catalog:
    with open(os.path.join(root, "theme", "babel.cfg"), encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project=PROJECT, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True,
            directory_filter=_searched):
        template.add(message, None, [], auto_comments=comments, context=context)
    return template


def _write_if_changed(path: str, catalog: Catalog, omit_header: bool, width: int) -> bool:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=width, no_location=True, omit_header=omit_header, sort_output=True,
             ignore_obsolete=True, include_previous=False)
    text = buffer.getvalue()
    try:
        with open(path, "rb") as handle:
            if handle.read() == text:
                return False
    except FileNotFoundError:
        pass
    with open(path, "wb") as handle:
        handle.write(text)
    return True


def translations(root: str = ".", stream=None) -> int:
    """Extract, merge, write what changed; prints the files it wrote."""
    stream = stream or sys.stdout
    folder = os.path.join(root, "theme", "translations")
    template = _template(root)
    written = []
    pot = os.path.join(folder, "messages.pot")
    if _write_if_changed(pot, template, omit_header=True, width=POT_WIDTH):
        written.append(pot)
    for lang in sorted(os.listdir(folder)):
        po_path = os.path.join(folder, lang, "LC_MESSAGES", "messages.po")
        if not os.path.isfile(po_path):
            continue
        with open(po_path, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        header = (catalog.creation_date, catalog.revision_date)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, keep_user_comments=True,
                       update_creation_date=False)
        catalog.creation_date, catalog.revision_date = header  # dates change only when a translator edits
        if _write_if_changed(po_path, catalog, omit_header=False, width=PO_WIDTH):
            written.append(po_path)
    for path in written:
        print(f"wrote {os.path.relpath(path, root)}", file=stream)
    if not written:
        print("the catalogues are up to date", file=stream)
    return 0
