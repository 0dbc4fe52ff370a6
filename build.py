#!/usr/bin/env python3
"""GenLab's one entry point: `python build.py [build|serve|test|bench|scorm|single]`.

The code lives in the build/ package next to this file (its docstring lists the commands); this
file only runs it, so that `python build.py …` stays the command everyone types.
"""
import sys

from build import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
