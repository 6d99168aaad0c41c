"""Production settings (make publish): absolute URLs, no drafts."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://halsolots.goteborg.example")
RELATIVE_URLS = False
SHOW_DRAFTS = False
DELETE_OUTPUT_DIRECTORY = True
