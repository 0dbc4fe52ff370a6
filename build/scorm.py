"""`python build.py scorm`: dist/ zipped with imsmanifest.xml and the schemas, one SCORM package
(1.2 or 2004 4th edition) that an LMS imports as one lesson."""
from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .common import DEFAULT_CACHE, DIST, FIXED_ZIP_TIME, PACKAGES, BuildError, log, shown
from .pins import SCORM_SCHEMAS, fetch
from .site import build

# The schema files travel in the package beside imsmanifest.xml, taken from SCORM_SCHEMAS.
# SCORM 1.2: IMS content packaging 1.1.2, ADL's adlcp 1.2, IMS metadata 1.2.1 and xml.xsd.
# SCORM 2004 4th edition: IMS content packaging 1.1.4, ADL's adlcp/adlseq/adlnav 1.3, IMS simple
# sequencing 1.0, xml.xsd and the two DTDs xml.xsd names.
SCORM_SCHEMA_ROOT = "package/lib/schemas/definitionFiles/"
SCORM_EDITIONS = {  # --edition: (folder in the tarball, the schema files taken from it)
    "12": ("scorm12edition/", ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")),
    "2004": ("scorm20044thedition/", (
        "imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd", "xml.xsd", "XMLSchema.dtd",
        "datatypes.dtd", "imsss_v1p0.xsd", *(f"imsss_v1p0{part}.xsd" for part in (
            "auxresource", "control", "delivery", "limit", "objective", "random", "rollup", "seqrule", "util")))),
}
SCORM_SCHEMA_FILES = SCORM_EDITIONS["12"][1]
# The quiz's passing score as a fraction (3 of 4 right). SCORM 2004 packages state it as the
# primary objective's minNormalizedMeasure; the LMS hands it to the page as
# cmi.scaled_passing_score (web/app/lesson/scorm.js falls back to the same 0.75).
SCORM_MASTERY = 0.75
SCORM_TITLE = "GenLab: how generative AI creates"
# How the quiz is graded (--quiz-score): "first", each question's first answer (trying again is
# for learning), or "best", the latest answers, of which the LMS keeps the best score. The
# manifest hands the choice to the page as launch data (1.2 adlcp:datafromlms, 2004
# adlcp:dataFromLMS; the LMS gives it as cmi.launch_data), as it hands SCORM_MASTERY over as
# cmi.scaled_passing_score: the site's files stay byte for byte those of the build, which the
# service worker checks against their SHA-256.
QUIZ_SCORES = ("first", "best")


def launch_data(quiz_score: str) -> str:
    if quiz_score not in QUIZ_SCORES:
        raise BuildError(f"--quiz-score must be one of {', '.join(QUIZ_SCORES)}, not {quiz_score!r}")
    return f"quiz-score={quiz_score}"


HERE = Path(__file__).parent
MANIFESTS = {"12": HERE / "imsmanifest-scorm12.xml", "2004": HERE / "imsmanifest-scorm2004.xml"}  # by --edition


def _manifest(template: Path, files: list[str], build_hash: str, quiz_score: str) -> str:
    """template filled in; each file of the site is a <file href> of the one SCO."""
    entries = "\n".join(f"      <file href={quoteattr(f)}/>" for f in files)
    return template.read_text().format(build_hash=build_hash, title=SCORM_TITLE, launch_data=launch_data(quiz_score),
                                       mastery=SCORM_MASTERY, entries=entries)


def scorm_manifest(files: list[str], build_hash: str, quiz_score: str = "first") -> str:
    """SCORM 1.2 imsmanifest.xml for one SCO (index.html) that lists every file of the site."""
    return _manifest(MANIFESTS["12"], files, build_hash, quiz_score)


def scorm2004_manifest(files: list[str], build_hash: str, quiz_score: str = "first") -> str:
    """SCORM 2004 4th edition imsmanifest.xml: one SCO whose primary objective is the quiz,
    satisfied when its scaled score reaches SCORM_MASTERY."""
    return _manifest(MANIFESTS["2004"], files, build_hash, quiz_score)


def build_scorm(cache: Path = DEFAULT_CACHE, artifacts: Path | None = None, out_dir: Path = PACKAGES,
                edition: str = "12", quiz_score: str = "first") -> Path:
    """Build dist/, then zip it with imsmanifest.xml and the schemas: one SCORM package of the
    given edition ("12": SCORM 1.2, "2004": SCORM 2004 4th edition) and quiz grading (QUIZ_SCORES)."""
    launch_data(quiz_score)  # a wrong choice stops before the build
    folder, schema_files = SCORM_EDITIONS[edition]
    info = build(cache, artifacts)
    files = [f for f in info["files"] if f != "./"]
    with tarfile.open(fetch(SCORM_SCHEMAS, cache, artifacts)) as tar:
        schemas = {name: tar.extractfile(SCORM_SCHEMA_ROOT + folder + name).read() for name in schema_files}
    out_dir.mkdir(parents=True, exist_ok=True)
    grading = "" if quiz_score == "first" else f"-{quiz_score}"
    target = out_dir / f"genlab-scorm{edition}{grading}-{info['hash']}.zip"
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("imsmanifest.xml", FIXED_ZIP_TIME),
                    _manifest(MANIFESTS[edition], files, info["hash"], quiz_score), zipfile.ZIP_DEFLATED)
        for name, data in schemas.items():
            zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        for name in files:
            zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), (DIST / name).read_bytes(),
                        zipfile.ZIP_STORED if name.endswith((".whl", ".zip", ".png", ".npz", ".gz")) else zipfile.ZIP_DEFLATED)
    tmp.replace(target)
    log(f"wrote {shown(target)} "
        f"({target.stat().st_size / 1e6:.1f} MB, {len(files)} site files)")
    return target
