"""The conversation's links: every kind writes an href that reads back as itself."""

from __future__ import annotations

import pytest

from desktop.ui.links import Link, LinkKind


@pytest.mark.parametrize("kind", list(LinkKind))
def test_every_link_reads_back_as_itself(kind: LinkKind) -> None:
    index = 3 if kind in (LinkKind.CITE, LinkKind.COPY_CODE) else None
    link = Link(kind, 12, index)
    assert Link.parse(link.href) == link


@pytest.mark.parametrize(
    "href",
    ["", "http://example.com", "cite:12", "cite:x:1", "regen:12:1", "copy:12", "edit:", "nope:1"],
)
def test_foreign_or_malformed_hrefs_are_not_links(href: str) -> None:
    assert Link.parse(href) is None


def test_hrefs_keep_their_written_form() -> None:
    # Saved documents and the accessibility bus see these strings: they stay stable.
    assert Link(LinkKind.CITE, 7, 2).href == "cite:7:2"
    assert Link(LinkKind.RETRY, 7).href == "retry:7"
