"""Rich-text lessons: the trainer's HTML is cleaned once, when saved (nh3, an allow-list), so a
learner's page shows it as it is: no scripts, no event handlers, no styles, no frames."""

import nh3

TAGS = {"p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote", "ul",
        "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "hr", "span",
        "sub", "sup", "figure", "figcaption", "pre", "code"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
              "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def html_clean(html: str) -> str:
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
