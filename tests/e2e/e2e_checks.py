# SPDX-License-Identifier: MIT
# The Python checks of the end-to-end scripts: ok() prints "ok: WHAT" or "FAIL: WHAT; got
# GOT" and counts the failures; done() exits 1 when one failed, 0 else. The scripts'
# checks run with tests/e2e on PYTHONPATH (common.bash sets it).
import json
import sys

fails = 0


def ok(cond, what, got=None):
    global fails
    if cond:
        print("ok: " + what)
    else:
        fails += 1
        print("FAIL: " + what + ("" if got is None else "; got " + json.dumps(got, sort_keys=True)[:2500]))


def done():
    sys.exit(1 if fails else 0)
