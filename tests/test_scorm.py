"""The SCORM packages: their manifests against the SCORM 1.2 and 2004 4th edition schemas, and
the SCORM 1.2 package inside a player page that runs a real SCORM 1.2 runtime (scorm-again,
pinned, tests only)."""
from __future__ import annotations

import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

import build
from tests.browser import READY_TIMEOUT_MS, PlainHandler, serving

IMSCP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
CP2004 = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
ADLCP2004 = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
IMSSS = "{http://www.imsglobal.org/xsd/imsss}"
SCHEMAS_2004 = {  # namespace -> its schema, all in the 2004 package
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
}
SECTIONS = ("classify", "llm", "gan", "diffusion", "temperature", "responsibility", "art")
PLAYER = """<!doctype html>
<html><head><meta charset="utf-8"><title>Course player</title>
<script src="scorm12.min.js"></script>
<script>
  // What an LMS does: put a SCORM 1.2 API object where the course's frame can find it.
  window.lmsCalls = [];
  window.API = new Scorm12API({autocommit: false, logLevel: 5});
  for (const name of ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"]) {
    const original = window.API[name].bind(window.API);
    window.API[name] = (...args) => {
      const result = original(...args);
      window.lmsCalls.push([name, ...args.map(String), String(result)]);
      return result;
    };
  }
</script></head>
<body><h1>Unit 1</h1>
<div id="holder"><iframe id="sco" title="Lesson" src="pkg/index.html" style="width: 1000px; height: 800px"></iframe></div>
</body></html>
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return build.build_scorm(out_dir=tmp_path_factory.mktemp("packages"))


@pytest.fixture(scope="module")
def package2004(tmp_path_factory) -> Path:
    return build.build_scorm(out_dir=tmp_path_factory.mktemp("packages"), edition="2004")


@pytest.fixture(scope="module")
def lms(package):
    """An LMS stand-in on 127.0.0.1: player.html with scorm-again, the package unzipped in pkg/."""
    root = Path(tempfile.mkdtemp(prefix="genlab-lms."))
    with zipfile.ZipFile(package) as zf:
        zf.extractall(root / "pkg")
    pin = next(p for p in build.TEST_PINS if p.name == "scorm-again")
    with tarfile.open(build.fetch(pin, build.DEFAULT_CACHE)) as tar:
        (root / "scorm12.min.js").write_bytes(tar.extractfile("package/dist/scorm12.min.js").read())
    (root / "player.html").write_text(PLAYER)
    with serving(root, PlainHandler) as url:
        yield url
    shutil.rmtree(root, ignore_errors=True)


def schema_of(zipped: Path, edition: str) -> etree.XMLSchema:
    """The edition's schemas, as shipped in the package; for 2004 one schema that imports
    every namespace a manifest uses, so that each part is checked, not skipped as foreign."""
    folder = Path(tempfile.mkdtemp(prefix="genlab-xsd."))
    with zipfile.ZipFile(zipped) as zf:
        for name in build.SCORM_EDITIONS[edition][1]:
            (folder / name).write_bytes(zf.read(name))  # the schemas travel in the package
    if edition == "12":
        # adlcp imports imscp (which imports xml.xsd): one schema set for both namespaces.
        schema = etree.XMLSchema(etree.parse(str(folder / "adlcp_rootv1p2.xsd")))
    else:
        imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{xsd}"/>' for ns, xsd in SCHEMAS_2004.items())
        (folder / "all.xsd").write_text(f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>')
        schema = etree.XMLSchema(etree.parse(str(folder / "all.xsd")))
    shutil.rmtree(folder)
    return schema


def test_manifest_is_valid_scorm_12_and_lists_the_whole_site(package):
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        manifest = zf.read("imsmanifest.xml")
    doc = etree.fromstring(manifest)
    schema_of(package, "12").assertValid(doc)
    resource = doc.find(f"{IMSCP}resources/{IMSCP}resource")
    assert resource.get(f"{ADLCP}scormtype") == "sco" and resource.get("href") == "index.html"
    listed = {f.get("href") for f in resource.findall(f"{IMSCP}file")}
    site = set(build.build()["files"]) - {"./"}
    assert listed == site and site <= names  # every file of the site, listed and shipped
    assert doc.find(f"{IMSCP}metadata/{IMSCP}schemaversion").text == "1.2"


def test_manifest_check_fails_on_a_broken_manifest(package):
    """The schema check above is not a formality: a wrong scormtype is refused."""
    with zipfile.ZipFile(package) as zf:
        broken = zf.read("imsmanifest.xml").replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="lesson"')
    assert not schema_of(package, "12").validate(etree.fromstring(broken))


def test_manifest_is_valid_scorm_2004_4th_edition_with_the_mastery_threshold(package2004):
    with zipfile.ZipFile(package2004) as zf:
        names = set(zf.namelist())
        doc = etree.fromstring(zf.read("imsmanifest.xml"))
    schema_of(package2004, "2004").assertValid(doc)
    assert doc.find(f"{CP2004}metadata/{CP2004}schemaversion").text == "2004 4th Edition"
    resource = doc.find(f"{CP2004}resources/{CP2004}resource")
    assert resource.get(f"{ADLCP2004}scormType") == "sco" and resource.get("href") == "index.html"
    listed = {f.get("href") for f in resource.findall(f"{CP2004}file")}
    site = set(build.build()["files"]) - {"./"}
    assert listed == site and site <= names
    objective = doc.find(f".//{CP2004}item/{IMSSS}sequencing/{IMSSS}objectives/{IMSSS}primaryObjective")
    assert objective.get("satisfiedByMeasure") == "true"
    assert float(objective.find(f"{IMSSS}minNormalizedMeasure").text) == build.SCORM_MASTERY


@pytest.mark.parametrize(("good", "bad"), [
    (b'adlcp:scormType="sco"', b'adlcp:scormType="lesson"'),  # the ADL CP part is checked
    (b'satisfiedByMeasure="true"', b'satisfiedByMeasure="yes"'),  # so is the sequencing part
    (b"<imsss:minNormalizedMeasure>0.75<", b"<imsss:minNormalizedMeasure>2<"),
])
def test_2004_manifest_check_fails_on_a_broken_manifest(package2004, good, bad):
    with zipfile.ZipFile(package2004) as zf:
        manifest = zf.read("imsmanifest.xml")
    assert good in manifest
    assert not schema_of(package2004, "2004").validate(etree.fromstring(manifest.replace(good, bad)))


def calls(page) -> list[list[str]]:
    return page.evaluate("() => window.lmsCalls")


def test_the_lms_receives_start_progress_and_completion(browser, lms):
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    page = ctx.new_page()
    page.goto(lms + "player.html")
    frame = page.frame_locator("#sco")
    sco = page.wait_for_selector("#sco").content_frame()
    sco.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
    log = calls(page)
    assert log[0] == ["LMSInitialize", "", "true"]
    assert ["LMSSetValue", "cmi.core.lesson_status", "incomplete", "true"] in log
    assert page.evaluate("() => API.cmi.core.lesson_status") == "incomplete"
    for section in SECTIONS:
        frame.locator(f"#{section}").scroll_into_view_if_needed()
        page.wait_for_timeout(100)
    page.wait_for_function("() => API.cmi.core.lesson_status === 'completed'", timeout=30_000)
    log = calls(page)
    done = log.index(["LMSSetValue", "cmi.core.lesson_status", "completed", "true"])
    assert ["LMSCommit", "", "true"] in log[done:]  # saved after completion
    visited = page.evaluate("() => JSON.parse(API.cmi.suspend_data)")
    assert sorted(visited) == sorted(SECTIONS)
    assert page.evaluate("() => API.cmi.core.lesson_location") in SECTIONS
    expect(frame.locator("nav.toc [data-role=progress]")).to_have_text("Visited 7 of 7 sections")
    page.evaluate("() => document.getElementById('holder').replaceChildren()")  # the learner leaves
    page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'LMSFinish')")
    assert calls(page)[-1] == ["LMSFinish", "", "true"]
    ctx.close()


def test_the_package_works_without_an_lms(browser, lms):
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lms + "pkg/index.html")
    page.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("() => genlab.lms") is None and errors == []
    ctx.close()
