"""axe-core in Chromium over every component example (theme/components/<name>/<name>.yaml): zero violations.

Each example is rendered in each of its languages (component_examples.py) into a minimal page of its own, with
the site's CSS as the build bundles it, written to a temporary folder and opened over file://. axe runs with
the rule set of test_axe.py (WCAG 2.0/2.1 A and AA), so a component is checked alone, in every state its
examples show, not only where the demo content happens to use it.
"""

from __future__ import annotations

import html

import pytest

from component_examples import THEME, Examples, component_names, spec
from halsolots.generators.assets import bundle_css
from halsolots.site import i18n
from test_axe import RUN_AXE, WCAG_TAGS, axe_page, format_violations  # noqa: F401 - axe_page is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.checkers]  # Chromium, and axe-core from node_modules

PAGE = ('<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><title>{title}</title>'
        '<style>{css}</style></head><body><main>{body}</main></body></html>')
# Where a template puts the macros whose HTML is part of a larger element (their READMEs' usage).
CONTAINERS = {"feed_row": '<ul class="calendar-feeds">{}</ul>', "languages_row": '<dl class="facts">{}</dl>',
              "referral_item": '<ul class="referral-list">{}</ul>'}
CSS_APPLIED = """() => { const tag = document.querySelector('.status-tag--cancelled');
  return tag && getComputedStyle(tag).backgroundColor; }"""


@pytest.fixture(scope="module")
def examples(model) -> Examples:
    return Examples(model)


@pytest.fixture(scope="module")
def css() -> str:
    return bundle_css(str(THEME))


def write_page(folder, name: str, lang: str, title: str, body: str, css: str):
    path = folder / f"{name}.html"
    path.write_text(PAGE.format(lang=lang, dir=i18n.direction(lang), title=html.escape(title), css=css, body=body),
                    encoding="utf-8")
    return path


def test_axe_finds_a_violation_in_a_component_page(axe_page, tmp_path, css):
    """The gate works on these pages: the site's CSS is applied, and a missing alt text is reported."""
    page = write_page(tmp_path, "broken", "sv", "x", '<strong class="status-tag status-tag--cancelled">Inställt'
                      '</strong><img src="data:,">', css)
    axe_page.goto(page.as_uri())
    assert axe_page.evaluate(CSS_APPLIED) not in (None, "", "rgba(0, 0, 0, 0)"), "site CSS not applied"
    assert "image-alt" in {v["id"] for v in axe_page.evaluate(RUN_AXE, WCAG_TAGS)}


@pytest.mark.parametrize("name", component_names())
def test_component_examples_have_no_axe_violations(name, examples, axe_page, tmp_path, css):
    found, pages = {}, 0
    for number, example in enumerate(spec(name)["examples"], 1):
        for lang in example["languages"]:
            call = examples.render(name, example, lang)
            body = CONTAINERS.get(example["macro"], "{}").format(call.html)
            path = write_page(tmp_path, f"{number}-{lang}", lang, f"{name}: {example['name']}", body, css)
            axe_page.goto(path.as_uri())
            pages += 1
            violations = axe_page.evaluate(RUN_AXE, WCAG_TAGS)
            if violations:
                found[f"{name}: {example['name']} [{lang}]"] = violations
    assert pages >= 2
    assert not found, format_violations(found)
