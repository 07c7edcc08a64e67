"""The audit site's row writer escapes exactly as jinja2's autoescape does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape as markupsafe_escape

from closekit.report.html_rows import _escape_text, escape


@given(st.text())
def test_escape_is_markupsafe_escape(text: str) -> None:
    assert escape(text) == _escape_text(text) == str(markupsafe_escape(text))


def test_escape_writes_the_five_entities() -> None:
    assert escape("a&b<c>d'e\"f") == "a&amp;b&lt;c&gt;d&#39;e&#34;f"
    assert escape(None) == "None"  # as jinja2 prints a missing row number
    assert escape(12) == "12"
