"""GenLab's licence and the third-party notices travel with every form of the site:
dist/, the SCORM package and the one-file build; the notices name every file from others."""
from __future__ import annotations

import json
import re
import zipfile

import pytest

import build

LICENCE, NOTICES = "LICENSE.txt", "THIRD-PARTY-NOTICES.txt"


@pytest.fixture(scope="module")
def info():
    return json.loads((build.DIST / "build.json").read_text())


def _not_ours(info: dict) -> list[str]:
    """Shipped files that do not come from web/ (the runtime, wheels), plus web/assets/ (a photo)."""
    generated = {"./", "build.json", LICENCE}
    return [f for f in info["files"] if f not in generated
            and (not (build.WEB / f).is_file() or f.startswith("assets/"))]


def _third_party_data() -> list[str]:
    """Data files whose row in SOURCES.md gives a licence other than the project's own."""
    rows = (build.PY / "genlab/data/SOURCES.md").read_text().splitlines()
    names = []
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if row.startswith("| `") and "project's own" not in cells[-1]:
            names += re.findall(r"`([^`]+)`", cells[0])
    return names


def test_licence_says_which_part_is_mit_and_which_cc_by():
    text = (build.ROOT / "LICENSE").read_text()
    assert "MIT" in text and "CC BY 4.0" in text
    code, content = text.index("CODE: MIT"), text.index("LESSON CONTENT")
    assert "build.py" in text[code:content] and "prose" in text[content:]
    assert "Permission is hereby granted, free of charge" in text  # the MIT text itself


def test_dist_has_the_licence_and_notices(info):
    assert LICENCE in info["files"] and NOTICES in info["files"]
    assert (build.DIST / LICENCE).read_bytes() == (build.ROOT / "LICENSE").read_bytes()


def test_notices_name_every_file_from_others(info):
    notices = (build.DIST / NOTICES).read_text()
    assert build.WHEEL_TOKEN not in notices, "our wheel's name was not filled in"
    missing = [f for f in _not_ours(info) if f not in notices]
    assert not missing, f"shipped without a notice: {missing}"
    # Our own wheel must be among them (its name changes with every change of py/genlab).
    assert any(f.startswith("wheels/genlab-") for f in _not_ours(info))


def test_notices_name_the_data_of_others_and_its_licence():
    notices = (build.DIST / NOTICES).read_text()
    data = _third_party_data()
    assert "digits.csv.gz" in data
    for name in data:
        assert name in notices
    assert "CC BY 4.0" in notices and "Alpaydin" in notices and "CC0" in notices


@pytest.mark.parametrize("name, licence", [
    ("Pyodide", "Mozilla Public License Version 2.0"),
    ("CPython", "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2"),
    ("NumPy", "Copyright (c) 2005-2024, NumPy Developers."),
    ("Emscripten", "University of Illinois/NCSA Open Source License"),
])
def test_notices_carry_each_licence_text(name, licence):
    notices = (build.DIST / NOTICES).read_text()
    assert name in notices and licence in notices


def test_notices_quote_the_licences_inside_the_wheels():
    """Each wheel's own licence file appears word for word (checked against the wheel in dist/)."""
    notices = (build.DIST / NOTICES).read_text()
    for wheel in sorted((build.DIST / "pyodide").glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            licences = [n for n in zf.namelist() if re.search(r"\.dist-info/(licenses/)?LICEN[CS]E", n)]
            assert licences, wheel.name
            for member in licences:
                text = zf.read(member).decode().strip()
                assert text in notices, f"{wheel.name}: {member}"


def test_scorm_package_carries_both(tmp_path):
    with zipfile.ZipFile(build.build_scorm(out_dir=tmp_path)) as zf:
        names = set(zf.namelist())
        assert {LICENCE, NOTICES} <= names
        assert zf.read(LICENCE) == (build.ROOT / "LICENSE").read_bytes()
        manifest = zf.read("imsmanifest.xml").decode()
    assert f'href="{LICENCE}"' in manifest and f'href="{NOTICES}"' in manifest


def test_single_file_carries_both_at_the_top(tmp_path):
    html = build.build_single(out_dir=tmp_path).read_text()
    head = html[:html.index("<html")]
    assert head.startswith("<!doctype html>\n<!--\n")
    assert "Permission is hereby granted, free of charge" in head  # our MIT licence
    assert (build.DIST / NOTICES).read_text().strip() in head
    # The footer's links would lead nowhere from a single file: it points to the source instead.
    assert 'href="LICENSE.txt"' not in html and "at the top of its source" in html


def _teacher_figs(name: str) -> list[str]:
    """The figures teacher.html marks data-fig=name, as written."""
    return re.findall(rf'<span data-fig="{name}">([^<]*)</span>', (build.WEB / "teacher.html").read_text())


def test_teacher_page_gives_the_size_of_the_offline_copy(info):
    """"about N MB": the files a visit stores for offline use (all of dist/), to the nearest MB."""
    said = _teacher_figs("offline-mb")
    assert said and {round(info["bytes"] / 1e6)} == {int(n) for n in said}
