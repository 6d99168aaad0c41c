"""The theme's Jinja environment: components by folder name, gettext in the page's language, Babel filters,
`url(kind, …)` and `fragment(macro, …)`.

`configure` is what every generator's environment gets (generator_init); the component tests use it too.
`fragment(macro, *args)` renders a macro whose output depends on nothing but its arguments, the page's
language and what the whole site shares; here it simply calls the macro, and the build layer installs the
version that renders each distinct fragment once (build/fragments.py).
"""

from __future__ import annotations

import os

from jinja2 import FileSystemLoader

from . import i18n
from .contacts import contact_links
from .qr import qr_code
from .safety import content_security_policy
from .site import public_base, template_url


def fragment(macro, *args, **kwargs):
    return macro(*args, **kwargs)


def configure(env, theme: str, settings: dict) -> None:
    # Components (theme/components/<name>/macro.html) are imported by their folder name.
    env.loader.loaders.append(FileSystemLoader(os.path.join(theme, "components")))
    # An environment lives for one build (Pelican makes one per generator): its templates cannot change meanwhile,
    # so Jinja need not look at each file's time on every import (thousands per build).
    env.auto_reload = False
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True,
                                  pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    env.globals.update(i18n.template_gettext_globals())
    helpers = i18n.jinja_helpers()
    env.filters.update(helpers["filters"])
    env.globals.update(helpers["globals"])
    env.globals["fragment"] = fragment
    env.filters["contact_links"] = contact_links  # phone numbers and e-mail addresses as tel:/mailto: links
    env.globals["url"] = template_url  # url(kind, **values): where each kind of page lives (site.DEFAULT_PATHS)
    env.globals["content_security_policy"] = content_security_policy(settings, for_meta=True)
    env.globals["qr_code"] = qr_code  # qr_code(url, alt, size): a QR code drawn at build time (site/qr.py)
    base = public_base(settings) if settings.get("SITE_DOMAIN") else ""
    # absolute_url(path): the https address of a site-relative URL, for Open Graph and event data.
    env.globals["absolute_url"] = lambda path="": f"{base}/{path}"
