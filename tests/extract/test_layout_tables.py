"""toolkit.extract.layout: a page set in a table reads as paragraphs, data tables stay tables."""

from __future__ import annotations

from toolkit.extract.layout import unwrap_layout_tables
from toolkit.extract.page import _load_tree, extract_page

from .test_body import STORY

DATA = ("<table><tr><th>Station</th><th>Checks</th></tr>"
        "<tr><td>Hangzhou East</td><td>1,204</td></tr>"
        "<tr><td>Hangzhou South</td><td>877</td></tr></table>")


def _layout_page(inside: str = "") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY * 2)
    return (
        "<html lang='en'><head><title>Summit checks | The Hangzhou Letter</title></head><body>"
        "<table width='100%'><tr><td class='nav'><a href='/'>Home</a> <a href='/archive'>"
        "Archive</a></td><td class='main'><h1>Summit checks</h1>"
        f"<h2>At the stations</h2>{paragraphs}{inside}</td></tr></table></body></html>"
    ).encode()


def test_an_article_set_in_a_layout_table_reads_as_paragraphs():
    result = extract_page(_layout_page(DATA), url="https://letter.example/checks")
    lines = result["text"].split("\n")
    assert STORY[0] in lines and STORY[2] in lines
    assert not any(line.startswith("|") and STORY[0] in line for line in lines)
    # the data table inside it is still a table
    assert any(line.startswith("|") and "Hangzhou East" in line for line in lines)


def test_only_layout_tables_are_unwrapped():
    tree = _load_tree(_layout_page(DATA))
    assert unwrap_layout_tables(tree) == 1
    assert [t.xpath("string(.//th)") for t in tree.iter("table")] == ["Station"]
    # a table of short cells is data, even without header cells
    plain = _load_tree(b"<html><body><table><tr><td>Hangzhou East</td><td>1,204</td></tr>"
                       b"<tr><td>Hangzhou South</td><td>877</td></tr></table></body></html>")
    assert unwrap_layout_tables(plain) == 0
