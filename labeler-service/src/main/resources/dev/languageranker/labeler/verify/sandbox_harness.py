# Runs inside the sandbox: the candidate's code, then the test setup, then each assert, and reports one result line
# prefixed by a nonce read from stdin (so the candidate's own prints cannot be taken for the result by accident).
import json
import os
import sys

nonce = sys.stdin.readline().strip()
sys.stdin.close()
sys.stdin = open(os.devnull)
with open("job.json", encoding="utf-8") as job_file:
    job = json.load(job_file)
_write, _dumps, _exit = os.write, json.dumps, os._exit


def report(verdict, detail, passed):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    line = "\n" + nonce + " " + _dumps({"verdict": verdict, "detail": detail, "passed": passed}) + "\n"
    _write(1, line.encode("utf-8"))
    _exit(0)


def describe(error):
    text = str(error)
    return type(error).__name__ + (": " + text[:300] if text else "")


namespace = {"__name__": "__candidate__", "__builtins__": __builtins__}
try:
    code = compile(job["code"], "<candidate>", "exec")
except (SyntaxError, ValueError) as error:
    report("error", "the code does not compile: " + describe(error), 0)
try:
    exec(code, namespace)
except BaseException as error:
    report("error", "the code raised " + describe(error) + " when loaded", 0)
# The setup runs after the code and before the tests: MBPP's fixtures build objects from the candidate's own
# classes (task 367: root = Node(1)), so a setup that fails because of the code is the candidate's failure.
try:
    exec(compile(job["setup"], "<setup>", "exec"), namespace)
except BaseException as error:
    report("fail", "test setup raised " + describe(error), 0)
tests = job["tests"]
for index, test in enumerate(tests):
    try:
        exec(compile(test, "<test %d>" % (index + 1), "exec"), namespace)
    except AssertionError as error:
        message = str(error)[:300]
        report("fail", "assert %d failed: %s%s" % (index + 1, test, " (" + message + ")" if message else ""), index)
    except BaseException as error:
        report("fail", "test %d raised %s: %s" % (index + 1, describe(error), test), index)
report("pass", "all %d tests passed" % len(tests), len(tests))
