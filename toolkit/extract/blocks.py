"""An HTML tree's text as lines, one per block element, in document order.

The extractors return text in different shapes (trafilatura its own lines,
readability-lxml an HTML fragment); ``element_text`` renders a fragment as
trafilatura does its text: one line per paragraph, heading, list item, table
cell or other block, inline markup joined into its line, whitespace collapsed.
"""

from __future__ import annotations

#: Elements that start a new line.
BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 blockquote pre tr td th section article ul ol dl dd dt "
    "table thead tbody tfoot caption figure figcaption header footer nav aside main address "
    "details summary fieldset legend center form hr br body html".split()
)
#: Elements whose text is never shown.
HIDDEN_TAGS = frozenset("script style noscript template head svg button select option "
                        "textarea iframe object".split())


def element_text(element) -> str:
    """Return the text of ``element`` with one line per block element.

    Parameters
    ----------
    element : lxml.html.HtmlElement
        A page or a fragment.

    Returns
    -------
    str
        Lines joined by ``"\\n"``, each whitespace-normalised, no empty line;
        scripts, styles and other hidden elements left out.
    """
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is not None and tag not in HIDDEN_TAGS:
            block = tag in BLOCK_TAGS
            if block:
                flush()
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
            if block:
                flush()
        if node.tail:
            current.append(node.tail)

    walk(element)
    flush()
    return "\n".join(lines)


def elements_after(element):
    """Yield the elements after ``element`` in document order (its descendants excluded).

    What follows a page's headline: its siblings' subtrees, then those of its
    parents' following siblings. Comments and processing instructions are
    skipped.
    """
    node = element
    while node is not None:
        for sibling in node.itersiblings():
            for inner in sibling.iter():
                if isinstance(inner.tag, str):
                    yield inner
        node = node.getparent()
