"""The SCORM packages: their manifests against the SCORM 1.2 and 2004 4th edition schemas, and
the lesson inside a player page that runs a real SCORM runtime of either edition (scorm-again,
pinned, tests only), including LMSs that refuse, throw or hand back garbage."""
from __future__ import annotations

import json
import math
import re
import shutil
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

import build
from tests.browser import (READY_TIMEOUT_MS, PlainHandler, fresh_context, open_page, page_state, python_ready, serving,
                           use_section, watch_requests)

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
Q = (build.WEB / "index.html").read_text().count('<form class="quiz-q"')  # the quiz's questions
METHODS = {
    "12": ("LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish"),
    "2004": ("Initialize", "GetValue", "SetValue", "Commit", "Terminate"),
}
TIMESPAN_12 = re.compile(r"^\d{4}:\d{2}:\d{2}\.\d{2}$")  # HHHH:MM:SS.SS
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$")

PLAYER = """<!doctype html>
<html><head><meta charset="utf-8"><title>Course player</title>
<script src="scorm12.min.js"></script>
<script src="scorm2004.min.js"></script>
<script>
  // What an LMS does: put a SCORM API object where the course's frame can find it, then open
  // the course. The test calls start(config): config.edition ("12" or "2004"); config.record,
  // the learner's record from earlier sessions; config.answers, GetValue answers that win over
  // the record (an odd LMS); config.throws and config.refuses, methods that throw, or answer
  // "false" and do nothing. window.lms is config: a test may change it on the way.
  // config.moodle: what Moodle 4.5 stored for this attempt (element -> value, as committed); the
  // launch hands it back as Moodle does (SCORM 2004: only after cmi.exit "suspend", otherwise
  // the same attempt with fresh data), and window.db is what Moodle stores from now on.
  // config.frames: the lesson's query strings, one frame each; config.shared: an API that takes
  // an Initialize from each frame and finishes once the last one has. config.lacks: element
  // prefixes the LMS does not have (SetValue answers "false", GetLastError "401").
  window.lmsCalls = [];
  window.db = {};
  const STORES = ["Commit", "Terminate", "LMSCommit", "LMSFinish"];
  function moodleLaunch(api, stored, v2004) {
    window.db = {...stored};
    const resumes = !v2004 || stored["cmi.exit"] === "suspend";
    const kept = Object.entries(stored).filter(([key]) => !/(exit|session_time)$/.test(key));
    const flat = resumes ? Object.fromEntries(kept) : {};
    if (v2004) flat["cmi.entry"] = resumes ? "resume" : "ab-initio";
    api.loadFromFlattenedJSON(flat, "");
  }
  function shared(name, original) {
    let open = 0;
    if (name.endsWith("Initialize")) return (...args) => (open++ ? "true" : original(...args));
    return (...args) => (--open > 0 ? "true" : original(...args));
  }
  window.lessonErrors = [];  // uncaught errors in the lesson's window, even while it unloads
  window.start = (config) => {
    window.lms = config;
    const v2004 = config.edition === "2004";
    const api = v2004 ? new Scorm2004API({autocommit: false, logLevel: 5})
                      : new Scorm12API({autocommit: false, logLevel: 5});
    api.loadFromJSON(config.record || {});
    if (config.moodle) moodleLaunch(api, config.moodle, v2004);
    const unsent = {};
    for (const name of config.methods) {
      let original = api[name].bind(api);
      if (config.shared && /Initialize|Terminate|LMSFinish/.test(name)) original = shared(name, original);
      api[name] = (...args) => {
        if (lms.throws.includes(name)) {
          lmsCalls.push([name, ...args.map(String), "threw"]);
          throw new Error(`${name} broke`);
        }
        const odd = name.endsWith("GetValue") && args[0] in lms.answers;
        window.lacking = name.endsWith("SetValue") && lms.lacks.some((p) => String(args[0]).startsWith(p));
        const result = lms.refuses.includes(name) || window.lacking ? "false" : odd ? lms.answers[args[0]] : original(...args);
        lmsCalls.push([name, ...args.map(String), String(result)]);
        if (name.endsWith("SetValue") && String(result) === "true") unsent[args[0]] = String(args[1]);
        if (STORES.includes(name) && String(result) === "true") Object.assign(db, unsent);
        return result;
      };
    }
    const error = v2004 ? "GetLastError" : "LMSGetLastError";
    const lastError = api[error].bind(api);
    api[error] = (...args) => (window.lacking ? "401" : lastError(...args));
    window.lmsApi = api;
    window[v2004 ? "API_1484_11" : "API"] = api;
    const first = document.getElementById("sco");
    for (const [i, query] of (config.frames || [""]).entries()) {
      const sco = i ? document.getElementById("holder").appendChild(first.cloneNode()) : first;
      sco.id = i ? `sco${i}` : "sco";
      sco.addEventListener("load", () => sco.contentWindow.addEventListener("error", (e) => lessonErrors.push(e.message)));
      sco.src = `pkg${config.edition}/index.html${query}`;
    }
  };
</script></head>
<body><h1>Unit 1</h1>
<div id="holder"><iframe id="sco" title="Lesson" style="width: 1000px; height: 800px"></iframe></div>
</body></html>
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return build.build_scorm(out_dir=tmp_path_factory.mktemp("packages"))


@pytest.fixture(scope="module")
def package2004(tmp_path_factory) -> Path:
    return build.build_scorm(out_dir=tmp_path_factory.mktemp("packages"), edition="2004")


def test_teacher_page_gives_the_size_of_the_packages(package, package2004):
    """teacher.html's "about N MB" for a SCORM zip is both editions' size to the nearest MB."""
    said = re.findall(r'<span data-fig="scorm-mb">([^<]*)</span>', (build.WEB / "teacher.html").read_text())
    sizes = {round(p.stat().st_size / 1e6) for p in (package, package2004)}
    assert said and {int(n) for n in said} == sizes


@pytest.fixture(scope="module")
def lms(package, package2004):
    """An LMS stand-in on 127.0.0.1: player.html with scorm-again, the packages unzipped in
    pkg12/ and pkg2004/."""
    root = Path(tempfile.mkdtemp(prefix="genlab-lms."))
    for edition, zipped in (("12", package), ("2004", package2004)):
        with zipfile.ZipFile(zipped) as zf:
            zf.extractall(root / f"pkg{edition}")
    pin = next(p for p in build.TEST_PINS if p.name == "scorm-again")
    with tarfile.open(build.fetch(pin, build.DEFAULT_CACHE)) as tar:
        for name in ("scorm12.min.js", "scorm2004.min.js"):
            (root / name).write_bytes(tar.extractfile(f"package/dist/{name}").read())
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


# ------------------------------------------------------------------ the lesson in a player


@dataclass
class Course:
    """One learner's session: the player page, the lesson's frame, and the page errors."""
    page: object
    sco: object
    errors: list = field(default_factory=list)

    def page_errors(self) -> list[str]:
        return self.errors + self.page.evaluate("() => window.lessonErrors")

    def calls(self) -> list[list[str]]:
        return self.page.evaluate("() => window.lmsCalls")

    def sets(self, key: str) -> list[str]:
        """The values the lesson set for key and the LMS accepted, in order."""
        return [c[2] for c in self.calls() if c[0].endswith("SetValue") and c[1] == key and c[3] == "true"]

    def cmi(self, key: str):
        return self.page.evaluate(f"() => lmsApi.{key}")

    def frame(self, i: int):
        return self.page.wait_for_selector(f"#sco{i or ''}[src]").content_frame()

    def db(self) -> dict:
        """What the Moodle stand-in has stored (committed) so far."""
        return self.page.evaluate("() => window.db")

    def interactions(self) -> list[dict]:
        """The interactions the lesson wrote and the LMS accepted, in order: {field: value}."""
        found: dict[int, dict] = {}
        for c in self.calls():
            match = re.fullmatch(r"cmi\.interactions\.(\d+)\.(.+)", c[1]) if c[0].endswith("SetValue") else None
            if match and c[3] == "true":
                found.setdefault(int(match[1]), {})[match[2]] = c[2]
        return [found[n] for n in sorted(found)]

    def progress(self):
        return self.sco.locator("nav.toc [data-role=progress]")

    def tried(self) -> int:
        """The table of contents' count, read from its progress bar (whatever its wording)."""
        return self.sco.evaluate("() => document.querySelector('nav.toc progress').value")

    def close(self) -> None:
        self.page.close()

    def leave(self) -> None:
        self.page.evaluate("() => document.getElementById('holder').replaceChildren()")


def poll(where, script: str, timeout: float = 30):
    """Waits until script (a function) returns something truthy in where (a page or frame).
    wait_for_function cannot do this inside the lesson: its CSP forbids eval."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = where.evaluate(script)
        except Exception:  # noqa: BLE001 (the frame is navigating)
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {script}; the frame: {page_state(where)}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def learners(browser, lms):
    """One learner's browser for the module, in which a keeper page of each package (the lesson
    opened alone, no LMS) holds its shared worker: each session's lesson frame joins a Python
    already running, as a learner's next launch in the same browser does, instead of starting
    one of its own (about 4 s of a busy machine's time per session)."""
    with fresh_context(browser, viewport={"width": 1100, "height": 900}) as ctx:
        for edition in METHODS:
            open_page(ctx, f"{lms}pkg{edition}/index.html?embed=art", python_ready)
        yield ctx


@pytest.fixture
def learner(learners):
    """The learners' browser for one test; each session in it is a new player page (a tab of
    its own: the lesson keeps its tried sections per tab). The test's pages are closed after."""
    keepers = set(learners.pages)
    yield learners
    for page in learners.pages:
        if page not in keepers:
            page.close()


def open_course(ctx, lms, edition="12", *, ready=False, record=None, answers=None, throws=(), refuses=(),
                moodle=None, frames=None, shared=False, lacks=()):
    """A session: the player page opened in ctx, the lesson's frame loaded (Python ready if asked).
    moodle, frames, shared: see PLAYER; course.sco is the first frame, course.frame(i) any."""
    page = ctx.new_page()
    watch_requests(page)
    course = Course(page, None)
    page.on("pageerror", lambda e: course.errors.append(str(e)))
    page.goto(lms + "player.html")
    page.evaluate("(config) => start(config)", {
        "edition": edition, "methods": METHODS[edition], "record": record or {}, "answers": answers or {},
        "throws": list(throws), "refuses": list(refuses), "moodle": moodle, "frames": frames, "shared": shared,
        "lacks": list(lacks)})
    for i in range(len(frames or [""])):
        frame = course.frame(i)
        poll(frame, "() => window.genlab !== undefined && document.readyState === 'complete'")
        if ready:
            frame.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
    course.sco = course.frame(0)
    return course


def answer_quiz(where, right: int) -> float:
    """Answers every question, the first `right` of them rightly; returns the expected score
    in percent."""
    forms = where.locator("form.quiz-q")
    for i in range(forms.count()):
        form = forms.nth(i)
        answer = form.get_attribute("data-answer")
        values = form.locator("input[type=radio]").evaluate_all("inputs => inputs.map(i => i.value)")
        choice = answer if i < right else next(v for v in values if v != answer)
        form.locator(f"input[type=radio][value='{choice}']").check()
        form.locator("button[type=submit]").click()
    return round(100 * right / forms.count(), 2)  # the score goes out with two decimals


def test_scrolling_past_clicking_embed_or_scripted_events_is_not_trying(learner, lms):
    course = open_course(learner, lms)
    sco = course.sco
    for section in SECTIONS:
        sco.locator(f"#{section}").scroll_into_view_if_needed()
        course.page.wait_for_timeout(100)
    sco.locator("#gan .embed-button").click()  # the Embed tools are not the lesson
    sco.locator('#classify [data-param="cls_k"]').dispatch_event("change")  # a script, not a learner
    sco.locator("#art canvas").first.dispatch_event("pointerdown")
    course.page.wait_for_timeout(300)
    assert course.cmi("cmi.core.lesson_status") == "incomplete"
    assert course.tried() == 0
    assert json.loads(course.cmi("cmi.suspend_data")) == {"used": []}
    expect(course.progress()).to_have_text("Tried 0 of 7 sections")
    assert course.page_errors() == []
    course.close()


def test_scorm_12_gets_score_session_time_and_completion_once_every_section_was_used(learner, lms):
    course = open_course(learner, lms, ready=True)
    sco = course.sco
    log = course.calls()
    assert log[0] == ["LMSInitialize", "", "true"]
    assert course.sets("cmi.core.lesson_status") == ["incomplete"]
    expected = answer_quiz(sco, right=math.ceil(0.75 * Q))  # at least 75%, a pass; also tries section 6
    assert course.cmi("cmi.core.score.raw") == f"{expected:g}"
    assert [i["id"] for i in course.interactions()] == [f"q{n}" for n in range(1, Q + 1)]  # each answer
    assert (course.cmi("cmi.core.score.min"), course.cmi("cmi.core.score.max")) == ("0", "100")
    for section, tried in (("classify", 2), ("llm", 3), ("gan", 4), ("diffusion", 5), ("temperature", 6)):
        use_section(sco, section)
        expect(course.progress()).to_have_text(f"Tried {tried} of 7 sections")
    assert course.cmi("cmi.core.lesson_status") == "incomplete"  # six of seven
    use_section(sco, "art")
    expect(course.progress()).to_have_text("Tried 7 of 7 sections")
    course.page.wait_for_function("() => API.cmi.core.lesson_status === 'completed'")
    log = course.calls()
    done = log.index(["LMSSetValue", "cmi.core.lesson_status", "completed", "true"])
    assert ["LMSCommit", "", "true"] in log[done:]  # saved after completion
    suspend = course.cmi("cmi.suspend_data")
    assert sorted(json.loads(suspend)["used"]) == sorted(SECTIONS) and len(suspend) <= 4096
    assert course.cmi("cmi.core.lesson_location") == "art"
    assert all(TIMESPAN_12.match(t) for t in course.sets("cmi.core.session_time"))
    course.leave()
    course.page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'LMSFinish')")
    log = course.calls()
    assert log[-1] == ["LMSFinish", "", "true"]
    assert course.sets("cmi.core.exit") == ["suspend"]  # even when done: the record comes back next time
    assert course.page_errors() == []
    course.close()


def test_scorm_2004_gets_score_success_completion_and_resumes_a_second_session(learner, lms, package2004):
    with zipfile.ZipFile(package2004) as zf:  # the LMS reads the passing score from the manifest
        passing = etree.fromstring(zf.read("imsmanifest.xml")).find(f".//{IMSSS}minNormalizedMeasure").text
    course = open_course(learner, lms, "2004", ready=True, record={"scaled_passing_score": passing})
    sco = course.sco
    assert course.calls()[0] == ["Initialize", "", "true"]
    assert course.cmi("cmi.completion_status") == "incomplete"
    assert course.cmi("cmi.success_status") == "unknown"  # no quiz answered yet: nothing to say
    expected = answer_quiz(sco, right=2)
    assert expected < 75
    assert float(course.cmi("cmi.score.raw")) == expected
    assert float(course.cmi("cmi.score.scaled")) == pytest.approx(expected / 100)
    assert (course.cmi("cmi.score.min"), course.cmi("cmi.score.max")) == ("0", "100")
    assert course.sets("cmi.success_status") == ["failed"]  # 2 of Q is under 0.75
    answer_quiz(sco, right=sco.locator("form.quiz-q").count())  # trying again is for learning:
    assert float(course.cmi("cmi.score.raw")) == expected  # the first answers are the score
    assert course.cmi("cmi.success_status") == "failed"
    expect(sco.locator("[data-role=score]")).to_have_text(f"{Q} of {Q} answered, 2 right at the first try ({Q} right now).")
    for section in ("classify", "llm", "gan", "temperature"):
        use_section(sco, section)
    expect(course.progress()).to_have_text("Tried 5 of 7 sections")
    assert course.cmi("cmi.completion_status") == "incomplete"
    assert course.cmi("cmi.location") == "temperature"
    course.leave()
    course.page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'Terminate')")
    assert course.calls()[-1] == ["Terminate", "", "true"]
    assert course.sets("cmi.exit") == ["suspend"]  # to be resumed
    assert all(DURATION_2004.match(t) for t in course.sets("cmi.session_time"))
    record = course.page.evaluate("""() => ({scaled_passing_score: lmsApi.cmi.scaled_passing_score,
        suspend_data: lmsApi.cmi.suspend_data, location: lmsApi.cmi.location,
        completion_status: lmsApi.cmi.completion_status, success_status: lmsApi.cmi.success_status,
        score: {scaled: lmsApi.cmi.score.scaled, raw: lmsApi.cmi.score.raw, min: lmsApi.cmi.score.min, max: lmsApi.cmi.score.max}})""")
    assert course.page_errors() == []
    course.close()

    course = open_course(learner, lms, "2004", ready=True, record=record)  # the next day
    sco = course.sco
    assert ["GetValue", "cmi.suspend_data", record["suspend_data"]] in course.calls()
    expect(course.progress()).to_have_text("Tried 5 of 7 sections")  # what the LMS counts
    answer_quiz(sco, right=Q)  # a relaunch does not grade again
    assert course.cmi("cmi.success_status") == "failed" and float(course.cmi("cmi.score.scaled")) == pytest.approx(expected / 100)
    use_section(sco, "diffusion")
    assert course.cmi("cmi.completion_status") == "incomplete"
    use_section(sco, "art")
    expect(course.progress()).to_have_text("Tried 7 of 7 sections")
    course.page.wait_for_function("() => API_1484_11.cmi.completion_status === 'completed'")
    assert sorted(json.loads(course.cmi("cmi.suspend_data"))["used"]) == sorted(SECTIONS)
    course.leave()
    course.page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'Terminate')")
    assert course.sets("cmi.exit") == ["suspend"]  # completed: still resumed, never wiped
    assert course.page_errors() == []
    course.close()


def test_the_package_works_without_an_lms(browser, lms):
    ctx = browser.new_context()
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lms + "pkg12/index.html")
    page.wait_for_selector("html[data-runtime=ready]", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("() => genlab.lms") is None and errors == []
    ctx.close()


# ------------------------------------------------------------------ answers, resume, several writers

CLOCK_12 = re.compile(r"^\d{2}:\d{2}:\d{2}$")  # CMITime
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{2}Z$")
KEYS = {  # edition -> (status, score, location, exit, the learner's response)
    "12": ("cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.lesson_location", "cmi.core.exit", "student_response"),
    "2004": ("cmi.completion_status", "cmi.score.raw", "cmi.location", "cmi.exit", "learner_response"),
}


def check(where, question: int, choice: str) -> None:
    """Chooses an answer to question (1 to Q) and checks it."""
    form = where.locator("form.quiz-q").nth(question - 1)
    form.locator(f"input[type=radio][value='{choice}']").check()
    form.locator("button[type=submit]").click()


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_each_checked_answer_is_an_interaction_and_the_first_answers_are_the_score(learner, lms, edition):
    course = open_course(learner, lms, edition)
    sco = course.sco
    expect(sco.locator("[data-role=score-rule]")).to_contain_text("Your score counts your first answer to each question")
    check(sco, 1, "a")  # wrong (b is right), then right: the score keeps the first
    check(sco, 1, "b")
    answer_quiz(sco, right=Q)
    expect(sco.locator("[data-role=score]")).to_have_text(f"{Q} of {Q} answered, {Q - 1} right at the first try ({Q} right now).")
    _, score, _, _, response = KEYS[edition]
    assert course.sets(score) == [f"{round(100 * (Q - 1) / Q, 2):g}"]  # Q - 1 of Q, once every question had its answer
    found = course.interactions()
    assert [i["id"] for i in found] == ["q1", "q1", "q1"] + [f"q{n}" for n in range(2, Q + 1)]
    wrong, right = "wrong" if edition == "12" else "incorrect", "correct"
    assert [(i[response], i["correct_responses.0.pattern"], i["result"]) for i in found[:3]] == [
        ("a", "b", wrong), ("b", "b", right), ("b", "b", right)]
    assert all(i["type"] == "choice" for i in found)
    if edition == "12":
        assert all(TIMESPAN_12.match(i["latency"]) and CLOCK_12.match(i["time"]) for i in found)
    else:
        assert all(DURATION_2004.match(i["latency"]) and TIMESTAMP_2004.match(i["timestamp"]) for i in found)
        assert course.cmi("cmi.interactions._count") == Q + 2
    assert [c for c in course.calls() if c[0].endswith("SetValue") and c[3] != "true"] == []
    assert notices(course) == [] and course.page_errors() == []
    course.close()


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_an_lms_without_interactions_still_gets_the_score_and_no_complaint(learner, lms, edition):
    course = open_course(learner, lms, edition, lacks=["cmi.interactions."])
    answer_quiz(course.sco, right=Q)
    check(course.sco, 1, "a")
    assert course.sets(KEYS[edition][1]) == ["100"]
    ids = [c for c in course.calls() if c[0].endswith("SetValue") and c[1].startswith("cmi.interactions.")]
    assert len(ids) == 1  # tried once: the LMS said it has none
    assert notices(course) == [] and course.page_errors() == []
    course.close()


def test_a_relaunch_opens_where_the_learner_was_and_keeps_the_first_answers(learner, lms):
    saved = {"used": ["classify", "llm", "gan", "responsibility"], "first": {"q1": "a"}}
    record = {"suspend_data": json.dumps(saved), "core": {"lesson_location": "gan", "entry": "resume"}}
    course = open_course(learner, lms, record=record)
    sco = course.sco
    expect(sco.locator("#notices .notice")).to_have_text(
        re.compile(rf"^Welcome back: 4 of 7 sections tried, 1 of {Q} quiz questions answered\."))
    expect(course.progress()).to_have_text("Tried 4 of 7 sections")
    # The sections above it have drawn (they grow as Python answers): the place is still in view.
    for above in ("classify", "llm"):
        sco.wait_for_selector(f'[data-widget="{above}"][data-state="ready"]', timeout=READY_TIMEOUT_MS)
    sco.wait_for_timeout(300)
    top, header = sco.evaluate('''() => [document.getElementById('gan').getBoundingClientRect().top,
                                         document.querySelector('.masthead').getBoundingClientRect().bottom]''')
    # Just below the sticky header; the header may grow by part of a line after the scroll (its status
    # line changes as Python starts), so the section may then sit a few pixels under it.
    assert sco.evaluate("() => scrollY") > 0 and header - 24 <= top < header + 40
    first = sco.locator("form.quiz-q").first
    expect(first.locator("input[value=a]")).to_be_checked()
    expect(first.locator(".quiz-feedback")).to_have_class("quiz-feedback wrong")
    answer_quiz(sco, right=Q)  # right now, but the first answer to question 1 was wrong
    assert course.cmi("cmi.core.score.raw") == f"{round(100 * (Q - 1) / Q, 2):g}"
    assert json.loads(course.cmi("cmi.suspend_data"))["first"]["q1"] == "a"
    assert course.interactions()[0]["student_response"] == "b"  # the new tries are reported
    course.close()


def test_moodle_reopening_a_finished_2004_attempt_keeps_the_record(learner, lms):
    """Moodle 4.5 hands a 2004 relaunch its data only after cmi.exit "suspend"; after "normal" it
    reopens the same attempt with fresh data, and what the lesson writes replaces the record.
    Here the learner had tried six sections; this session's quiz (section 6) finishes the lesson."""
    record = {"scaled_passing_score": "0.75"}
    six = [s for s in SECTIONS if s != "responsibility"]
    stored = {"cmi.suspend_data": json.dumps({"used": six}), "cmi.location": "art",
              "cmi.completion_status": "incomplete", "cmi.exit": "suspend"}
    course = open_course(learner, lms, "2004", record=record, moodle=stored)
    expect(course.progress()).to_have_text("Tried 6 of 7 sections")
    answer_quiz(course.sco, right=Q)
    expect(course.progress()).to_have_text("Tried 7 of 7 sections")
    course.leave()
    course.page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'Terminate')")
    stored = course.db()
    assert (stored["cmi.completion_status"], stored["cmi.success_status"], stored["cmi.score.raw"]) == (
        "completed", "passed", "100")
    course.close()

    course = open_course(learner, lms, "2004", record=record, moodle=stored)  # the next day
    expect(course.progress()).to_have_text("Tried 7 of 7 sections")  # not "0 of 7" over the record
    expect(course.sco.locator("#notices .notice")).to_contain_text(f"Welcome back: 7 of 7 sections tried, {Q} of {Q}")
    check(course.sco, 1, "a")  # a wrong try now grades nothing
    course.leave()
    course.page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'Terminate')")
    kept = course.db()
    assert (kept["cmi.completion_status"], kept["cmi.success_status"], kept["cmi.score.raw"]) == (
        "completed", "passed", "100")
    saved = json.loads(kept["cmi.suspend_data"])
    assert sorted(saved["used"]) == sorted(SECTIONS) and len(saved["first"]) == Q
    assert kept[f"cmi.interactions.{Q}.id"] == "q1" and kept["cmi.interactions.0.id"] == "q1"  # appended
    assert course.page_errors() == []
    course.close()


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_what_another_frame_wrote_is_merged_before_every_write(learner, lms, edition):
    """Sections, first answers, completion and score another writer committed in between stay."""
    status, score, _, _, _ = KEYS[edition]
    set_, commit = METHODS[edition][2], METHODS[edition][3]
    course = open_course(learner, lms, edition)
    check(course.sco, 1, "b")  # right; section 6 tried
    course.page.evaluate("""([set, commit, status, score]) => {
        lmsApi[set]('cmi.suspend_data', JSON.stringify({used: ['art'], first: {q2: 'a'}}));
        lmsApi[set](status, 'completed');
        lmsApi[set](score, '100');
        lmsApi[commit]('');
    }""", [set_, commit, status, score])
    check(course.sco, 3, "a")  # right
    saved = json.loads(course.cmi("cmi.suspend_data"))
    assert sorted(saved["used"]) == ["art", "responsibility"]
    assert saved["first"] == {"q1": "b", "q2": "a", "q3": "a"}
    assert (course.cmi(status), course.cmi(score)) == ("completed", "100")
    expect(course.progress()).to_have_text("Tried 2 of 7 sections")
    expect(course.sco.locator("form.quiz-q").nth(1).locator("input[value=a]")).to_be_checked()
    course.close()


def test_two_frames_of_one_course_page_keep_each_others_sections(learner, lms):
    """A course page with two GenLab frames and an LMS API that takes both (issue 21.7)."""
    course = open_course(learner, lms, ready=True, frames=["?embed=llm", "?embed=gan"], shared=True)
    use_section(course.frame(0), "llm")
    poll(course.page, "() => lmsApi.cmi.suspend_data.includes('llm')")
    use_section(course.frame(1), "gan")
    poll(course.page, "() => lmsApi.cmi.suspend_data.includes('gan')")
    assert sorted(json.loads(course.cmi("cmi.suspend_data"))["used"]) == ["gan", "llm"]
    course.leave()  # both frames save once more as they go
    course.page.wait_for_function("() => window.lmsCalls.some(c => c[0] === 'LMSFinish' && c[2] === 'true')")
    assert sorted(json.loads(course.cmi("cmi.suspend_data"))["used"]) == ["gan", "llm"]
    assert course.page_errors() == []
    course.close()


def test_a_package_built_for_the_best_score_says_so_and_reports_it(learner, lms, package):
    with zipfile.ZipFile(package) as zf:  # the default: first answers
        doc = etree.fromstring(zf.read("imsmanifest.xml"))
    assert doc.find(f".//{IMSCP}item/{ADLCP}datafromlms").text == "quiz-score=first"
    course = open_course(learner, lms, record={"launch_data": "quiz-score=best"})  # as the LMS hands it over
    sco = course.sco
    expect(sco.locator("[data-role=score-rule]")).to_contain_text("Your score counts your latest answers")
    check(sco, 1, "a")
    answer_quiz(sco, right=Q)
    assert course.cmi("cmi.core.score.raw") == "100"
    assert len(course.interactions()) == Q + 1
    course.close()


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_the_quiz_score_choice_travels_in_a_valid_manifest(package, package2004, edition):
    manifest = build.scorm2004_manifest if edition == "2004" else build.scorm_manifest
    doc = etree.fromstring(manifest(["index.html"], "0123456789abcdef", "best").encode())
    schema_of(package2004 if edition == "2004" else package, edition).assertValid(doc)
    tag = f"{ADLCP2004}dataFromLMS" if edition == "2004" else f"{ADLCP}datafromlms"
    assert doc.find(f".//{tag}").text == "quiz-score=best"


def test_the_quiz_score_flag(monkeypatch):
    made = []
    monkeypatch.setattr(build, "build_scorm", lambda *a, **kw: made.append(kw))
    assert build.main(["scorm", "--quiz-score", "best", "--edition", "2004"]) == 0
    assert made == [{"edition": "2004", "quiz_score": "best"}]
    with pytest.raises(SystemExit):
        build.main(["scorm", "--quiz-score", "highest"])
    with pytest.raises(build.BuildError):
        build.scorm_manifest([], "x", "highest")


# ------------------------------------------------------------------ an LMS that misbehaves


def notices(course) -> list[str]:
    return course.sco.locator("#notices .notice").all_inner_texts()


@pytest.mark.parametrize(("edition", "method"), [(e, m) for e, names in METHODS.items() for m in names])
def test_a_throwing_lms_method_never_stops_the_page(learner, lms, edition, method):
    course = open_course(learner, lms, edition, throws=[method])
    sco = course.sco
    # main.js ran to its end: the art section is mounted, the hooks are there.
    assert sco.evaluate("() => Boolean(genlab.widgets.art) && 'lms' in genlab")
    use_section(sco, "responsibility")  # the quiz's radios work without Python
    poll(sco, "() => document.querySelector('nav.toc progress').value >= 1")
    shown = course.progress().inner_text()
    course.leave()
    if method != METHODS[edition][0]:  # started, so finished: also when a call before it threw
        course.page.wait_for_function(f"() => window.lmsCalls.some(c => c[0] === '{METHODS[edition][4]}')")
    assert course.page_errors() == []
    assert shown == "Tried 1 of 7 sections"
    course.close()


def test_a_throwing_lms_leaves_the_page_whole_once_python_is_up(browser, lms):
    """With every method throwing, Python starts, the art section draws and the service worker
    registers (a fresh browser: no other page started Python or registered it before)."""
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    course = open_course(ctx, lms, "12", ready=True, throws=METHODS["12"])
    course.sco.wait_for_selector('[data-widget="art"]:not([data-state="loading"])', timeout=30_000)
    assert poll(course.sco, "() => navigator.serviceWorker.getRegistration().then(r => Boolean(r))")
    assert len(notices(course)) <= 1 and course.page_errors() == []
    ctx.close()


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_an_lms_that_answers_false_is_told_once_and_retried(learner, lms, edition):
    set_, commit = METHODS[edition][2], METHODS[edition][3]
    course = open_course(learner, lms, edition, refuses=[set_, commit])
    sco = course.sco
    sco.locator("form.quiz-q input[type=radio]").first.check()  # section 6
    # A click event, not a pointer click: in one CI run the frame, still starting Python, never
    # reported two still animation frames in 30 s, which a pointer click waits for.
    sco.locator("#gan .embed-button").dispatch_event("click")  # the Embed tools are not the lesson
    sco.locator("form.quiz-q button[type=submit]").first.click()
    poll(sco, "() => document.querySelector('nav.toc progress').value >= 1")
    assert len(notices(course)) == 1  # one line for many refusals
    assert len([c for c in course.calls() if c[0] == set_]) > 3
    key = "cmi.suspend_data"
    assert course.cmi(key) == ""  # nothing got through
    course.page.evaluate("() => { lms.refuses = []; }")  # the LMS is back
    sco.locator("form.quiz-q").nth(1).locator("input[type=radio]").first.check()  # same section: no news
    texts = notices(course)
    assert len(texts) == 1 and "did not save" in texts[0]  # still one line
    expect(sco.locator("#notices .notice")).to_have_attribute("role", "status")  # quiet: not an alert
    expect(course.progress()).to_have_text("Tried 1 of 7 sections")
    course.leave()
    course.page.wait_for_function(f"() => window.lmsCalls.some(c => c[0] === '{METHODS[edition][4]}')")
    assert json.loads(course.cmi(key)) == {"used": ["responsibility"], "first": {"q1": "a"}}  # retried at the last save
    location = "cmi.core.lesson_location" if edition == "12" else "cmi.location"
    assert course.cmi(location) == "responsibility"
    course.close()


GARBAGE = [
    '["a","b","c","d","e","f","g"]',
    '{"used":["a","b","c","d","e","f","g","h"]}',
    '{"used":"classify,llm,gan,diffusion,temperature,responsibility,art"}',
    "not json at all {",
    json.dumps([f"section-{i}" for i in range(20_000)]),  # 20,000 ids
    json.dumps({"used": [f"section-{i}" for i in range(20_000)]}),  # 20,000 ids in today's format
    json.dumps(list(SECTIONS)),  # the old format: sections scrolled past, not tried
]


@pytest.mark.parametrize("edition", ["12", "2004"])
@pytest.mark.parametrize("suspend", GARBAGE, ids=["seven-letters", "eight-ids", "a-string", "not-json", "20000-ids", "20000-used", "old-format"])
def test_garbage_suspend_data_restores_nothing_and_reports_nothing_unearned(learner, lms, edition, suspend):
    course = open_course(learner, lms, edition, answers={"cmi.suspend_data": suspend})
    assert len(course.calls()) < 40  # a few calls to start, not one per id (speed is for the bench)
    assert course.tried() == 0
    status = "cmi.core.lesson_status" if edition == "12" else "cmi.completion_status"
    assert course.cmi(status) == "incomplete"
    assert course.page_errors() == [] and notices(course) == []
    assert json.loads(course.cmi("cmi.suspend_data")) == {"used": []}
    expect(course.progress()).to_have_text("Tried 0 of 7 sections")
    course.close()


@pytest.mark.parametrize(("edition", "limit"), [("12", 4096), ("2004", 64000)])
def test_suspend_data_keeps_known_sections_within_the_standard_limit(learner, lms, edition, limit):
    """Known ids among unknown ones are kept; text longer than the edition allows is not ours."""
    known = {"used": ["gan", "nope", "art", "gan"]}
    course = open_course(learner, lms, edition, answers={"cmi.suspend_data": json.dumps(known)})
    expect(course.progress()).to_have_text("Tried 2 of 7 sections")
    assert json.loads(course.cmi("cmi.suspend_data")) == {"used": ["gan", "art"]}
    course.close()
    padded = json.dumps({"used": ["gan"], "pad": "x" * limit})
    course = open_course(learner, lms, edition, answers={"cmi.suspend_data": padded})
    expect(course.progress()).to_have_text("Tried 0 of 7 sections")
    course.close()
