"""The shape of the code (issue 22): a newcomer who changes one section reads its folder and core/.

- A module in web/app/sections/<a>/ imports only from its own folder and web/app/core/.
- web/app/core/ imports nothing above it (no section, nothing of lesson/, not main.js).
- No function is longer than MAX_LINES lines (data tables may be named in EXEMPT, with a reason).

Each scanner is also run on a small known source, so a scanner that finds nothing fails here
instead of passing quietly.
"""
from __future__ import annotations

import ast
import posixpath
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
APP = WEB / "app"
MAX_LINES = 60

# "path:line name" -> why a function this long is data, not code. Keep it short.
EXEMPT: dict[str, str] = {}

# Static imports (`import {a} from "./x.js";`, `import "./x.js";`, `export {a} from "./x.js";`)
# and dynamic ones (`import("./x.js")`), each with its path.
IMPORT_RE = re.compile(r"""^\s*(?:import|export)\b[^;"']*?\bfrom\s*["']([^"']+)["']"""
                       r"""|^\s*import\s*["']([^"']+)["']"""
                       r"""|\bimport\(\s*["']([^"']+)["']\s*\)""", re.M)


def imports(path: Path, app: Path = APP) -> list[str]:
    """The files a module imports, relative to app ("core/ui.js"); other targets as written."""
    found = []
    for match in IMPORT_RE.finditer(path.read_text()):
        target = next(g for g in match.groups() if g)
        if target.startswith("."):
            target = posixpath.normpath(posixpath.join(path.parent.relative_to(app).as_posix(), target))
        found.append(target)
    return found


def layer_problems(app: Path) -> list[str]:
    """Every import that crosses the layers: section to another section, lesson or main;
    core to anything but core."""
    problems = []
    for path in sorted(app.rglob("*.js")):
        rel = path.relative_to(app).as_posix()
        parts = rel.split("/")
        if parts[0] == "sections":
            allowed = (f"sections/{parts[1]}/", "core/")
        elif parts[0] == "core":
            allowed = ("core/",)
        else:
            continue  # main.js and lesson/ may wire anything together
        for target in imports(path, app):
            if not target.startswith(allowed):
                problems.append(f"{rel} imports {target}")
    return problems


# A line that opens a function body: `function f(`, `async function`, a method `name(...) {`,
# or an arrow whose body opens at the end of the line (`=> {`).
JS_OPEN = re.compile(r"^(\s*)(?:export\s+)?(?:async\s+)?(?:function\*?\s*[\w$]*\s*\("
                     r"|(?:static\s+)?(?:get\s+|set\s+)?(?:async\s+)?#?[\w$]+\s*\([^;]*\)\s*\{$"
                     r"|.*=>\s*\{$|.*\bfunction\s*\()")
JS_NOT_FUNCTION = re.compile(r"\s*(?:if|for|while|switch|catch|else|try|do)\b")


def js_functions(text: str):
    """(name, first line, length in lines) of each function, by indentation: a function ends at
    the first later line that starts with "}" at the indentation of the line that opened it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = JS_OPEN.match(line)
        if not match or not line.rstrip().endswith("{") or JS_NOT_FUNCTION.match(line):
            continue
        indent = len(match.group(1))
        for j in range(i + 1, len(lines)):
            s = lines[j]
            if s.strip() and len(s) - len(s.lstrip()) == indent and s.lstrip().startswith("}"):
                yield re.sub(r"\s+", " ", line.strip())[:60], i + 1, j - i + 1
                break


def long_functions(paths, scan) -> list[str]:
    """"path:line name (N lines)" for every function of paths longer than MAX_LINES, not exempt."""
    found = []
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        for name, line, length in scan(path.read_text()):
            if length > MAX_LINES and f"{rel}:{line} {name}" not in EXEMPT:
                found.append(f"{rel}:{line} {name} ({length} lines)")
    return found


def test_no_section_imports_another_section_and_core_imports_no_section():
    modules = list((APP / "sections").rglob("*.js"))
    assert len({p.parent for p in modules}) >= 7  # classify, llm, temperature, gan, diffusion, steer, art
    assert layer_problems(APP) == []


def test_no_js_function_under_web_is_longer_than_60_lines():
    paths = sorted(WEB.rglob("*.js"))
    assert sum(1 for p in paths for _ in js_functions(p.read_text())) > 200  # the scanner sees the code
    assert long_functions(paths, js_functions) == []


def test_the_exemptions_name_functions_that_exist():
    """An exemption outlives its function only by mistake."""
    live = {f"{p.relative_to(ROOT).as_posix()}:{line} {name}"
            for p in WEB.rglob("*.js") for name, line, _ in js_functions(p.read_text())}
    assert set(EXEMPT) <= live


def test_the_layer_check_finds_crossing_imports(tmp_path):
    files = {
        "core/ui.js": 'import { a } from "../sections/gan/gan.js";\n',
        "sections/gan/gan.js": 'import { el } from "../../core/ui.js";\nimport { x } from "./gan-view.js";\n',
        "sections/gan/gan-view.js": 'const m = await import("../llm/llm.js");\n',
        "sections/llm/llm.js": 'export { y } from "../../lesson/quiz.js";\n',
        "main.js": 'import { g } from "./sections/gan/gan.js";\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert layer_problems(tmp_path) == [
        "core/ui.js imports sections/gan/gan.js",
        "sections/gan/gan-view.js imports sections/llm/llm.js",
        "sections/llm/llm.js imports lesson/quiz.js",
    ]


@pytest.mark.parametrize(("body", "length"), [(1, 3), (58, 60), (59, 61)])
def test_the_js_scanner_measures_a_function_from_its_first_to_its_last_line(body, length):
    """A function of `body` lines between its opening and closing lines is body + 2 lines long;
    blocks inside it (if, for) and arrows opened inside it are functions of their own or nothing."""
    inner = "\n".join(["  if (x) {", "    y();", "  }"] + ["  z();"] * (body - 3)) if body >= 3 else "  z();"
    text = f"export function f(x) {{\n{inner}\n}}\nconst g = () => {{\n  return 1;\n}};\n"
    assert [(line, n) for _, line, n in js_functions(text)] == [(1, length), (length + 1, 3)]


def py_functions(text: str):
    """(name, first line, length in lines) of each function and method, nested ones included."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node.lineno, node.end_lineno - node.lineno + 1


def test_no_python_function_of_the_package_or_the_build_is_longer_than_60_lines():
    paths = sorted((ROOT / "py" / "genlab").rglob("*.py")) + sorted((ROOT / "build").rglob("*.py"))
    assert sum(1 for p in paths for _ in py_functions(p.read_text())) > 150  # the scanner sees the code
    assert long_functions(paths, py_functions) == []


def test_the_python_scanner_measures_nested_functions_too():
    text = "def f():\n" + "    x = 1\n" * 60 + "    def g():\n        return 2\n    return g\n"
    assert sorted((name, n) for name, _, n in py_functions(text)) == [("f", 64), ("g", 2)]
