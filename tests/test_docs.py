"""The README stays short and every relative link in it and in docs/ leads somewhere.

A link is `[text](target)` or `![alt](target)`; a target with a scheme (https:, mailto:) is
left alone. `file#anchor` and `#anchor` must name a heading of that Markdown file, spelled as
GitHub spells its anchors (lower case, punctuation dropped, spaces as hyphens).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 160

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def links(text: str) -> list[str]:
    """The link targets of a Markdown text, outside code blocks and code spans."""
    prose = CODE.sub("", FENCE.sub("", text))
    return LINK.findall(prose)


def anchors(text: str) -> set[str]:
    """GitHub's anchor for each heading: lower case, punctuation dropped, spaces as hyphens."""
    found = set()
    for title in HEADING.findall(FENCE.sub("", text)):
        plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", title).strip().lower()
        found.add(re.sub(r"[^\w\- ]", "", plain).replace(" ", "-"))
    return found


def broken_links(page: Path) -> list[str]:
    """Each relative link of `page` whose file, or heading, does not exist."""
    broken = []
    for target in links(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            continue  # https:, mailto: and the like: not checked here
        path, _, anchor = target.partition("#")
        goal = (page.parent / path).resolve() if path else page
        if not goal.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and goal.suffix == ".md" and anchor not in anchors(goal.read_text(encoding="utf-8")):
            broken.append(f"{target} (no such heading)")
    return broken


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    assert broken_links(page) == []


def test_readme_fits_two_screens():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES


def test_readme_names_every_doc():
    """Every page of docs/ is linked from the README, or at least named there as `docs/x.md`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = links(readme) + re.findall(r"`(docs/[\w.-]+\.md)`", readme)
    named = {(ROOT / target.partition("#")[0]).resolve() for target in targets}
    missing = [p.name for p in sorted((ROOT / "docs").glob("*.md")) if p.resolve() not in named]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    """A newcomer finds the test and the run command on the first screen (40 lines)."""
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:40])
    assert "python build.py test" in first_screen
    assert "python build.py serve" in first_screen
    assert "http://127.0.0.1:8000/" in first_screen


def test_the_checker_finds_a_broken_link(tmp_path):
    """The checker itself: a missing file, a missing heading and a link in code are told apart."""
    (tmp_path / "there.md").write_text("# A heading, with `code`\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok too](there.md#a-heading-with-code) [web](https://example.org/x)\n"
        "[gone](missing.md) [no heading](there.md#nowhere) `[in code](missing2.md)`\n"
        "```\n[in a block](missing3.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md (no such file)", "there.md#nowhere (no such heading)"]
