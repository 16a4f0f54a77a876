"""Chinese punctuation written beside a translated string or a value shows in English too
("Member stars：2026Q3、2026Q2"): it belongs inside the translated string (or blocktranslate),
so English gets its own. Emails and PDF documents are Chinese only and are not checked."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SKIPPED = {"emails", "pdf", "certificates"}
# A full-width mark right after a tag or a value, or right before one, outside any
# translate/blocktranslate text.
BESIDE = re.compile(r"(%\}|\}\})[：、，（）；]|[：、，（）；](\{%|\{\{)")


def _outside_translations(line: str) -> str:
    line = re.sub(r"\{% blocktranslate.*?%\}.*?\{% endblocktranslate %\}", "{% t %}", line)
    return re.sub(r"\{% translate \"[^\"]*\"( as \w+)? %\}", "{% t %}", line)


def test_no_template_glues_chinese_punctuation_to_translated_text():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if SKIPPED & set(path.relative_to(TEMPLATES).parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if BESIDE.search(_outside_translations(line)):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert found == []
