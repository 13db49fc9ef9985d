#!/usr/bin/python3 -B
"""Runs the matrix-nio tests (test_*.py here) against a running homeserver.

    interop/python/run.py --base-url http://127.0.0.1:8008 [test_rooms.py ...] [-k words]

Each `async def test_*` of a file is one test, run in the order of the file, each within its
time limit (asyncio.wait_for), with a temporary directory of its own that is removed afterwards.
The output ends with one line `N passed, M failed`; the exit status is non-zero when any failed.
Environment: MYELIN_BASE_URL, MYELIN_SERVER_NAME (default localhost), INTEROP_TEST_TIMEOUT
(milliseconds per test, default 60000), INTEROP_COUNTS_FILE (where to keep "PASSED FAILED").
"""

import sys

sys.dont_write_bytecode = True  # nothing may be left in the checkout

import argparse  # noqa: E402
import asyncio  # noqa: E402
import importlib.util  # noqa: E402
import inspect  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def save_counts(path, passed, failed):
    if path:
        with open(path, "w") as f:
            f.write(f"{passed} {failed}\n")


def parse_args():
    parser = argparse.ArgumentParser(description="matrix-nio interop tests")
    parser.add_argument("files", nargs="*", help="test files (default: every test_*.py here)")
    parser.add_argument("--base-url", default=os.environ.get("MYELIN_BASE_URL", ""))
    parser.add_argument("--server-name", default=os.environ.get("MYELIN_SERVER_NAME", "localhost"))
    parser.add_argument("--timeout", type=float,
                        default=float(os.environ.get("INTEROP_TEST_TIMEOUT", "60000")) / 1000,
                        help="seconds one test may take")
    parser.add_argument("-k", dest="keyword", default="",
                        help="run only tests whose function name or title contains this")
    parser.add_argument("--counts-file", default=os.environ.get("INTEROP_COUNTS_FILE", ""))
    return parser.parse_args()


def load_tests(path):
    """[(function name, title, coroutine function)] of a file, in the file's order."""
    name = "nio_interop_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [(fname, (inspect.getdoc(f) or fname).splitlines()[0], f)
            for fname, f in vars(module).items()
            if fname.startswith("test_") and inspect.iscoroutinefunction(f)]


async def run_one(harness, func, timeout, root):
    tmp = tempfile.mkdtemp(prefix="test-", dir=root)
    ctx = harness.Context(tmp)
    harness.schema_warnings.messages.clear()
    try:
        await asyncio.wait_for(func(ctx), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"did not finish within {timeout:.0f}s") from None
    finally:
        await ctx.close()
        shutil.rmtree(tmp, ignore_errors=True)


async def main():
    args = parse_args()
    try:
        import nio  # noqa: F401
        import olm  # noqa: F401
    except ImportError as e:
        print(f"python: matrix-nio and python-olm are needed "
              f"(apt-get install python3-matrix-nio python3-olm): {e}")
        save_counts(args.counts_file, 0, 1)
        print("0 passed, 1 failed")
        return 1
    if not args.base_url:
        print("python: no homeserver URL (--base-url or MYELIN_BASE_URL)")
        save_counts(args.counts_file, 0, 1)
        print("0 passed, 1 failed")
        return 1
    os.environ["MYELIN_BASE_URL"] = args.base_url
    os.environ["MYELIN_SERVER_NAME"] = args.server_name
    sys.path.insert(0, HERE)
    import harness

    files = [os.path.abspath(f) for f in args.files] or sorted(
        os.path.join(HERE, f) for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))
    passed = failed = 0
    save_counts(args.counts_file, passed, failed)
    root = tempfile.mkdtemp(prefix="myelin-nio-")
    started = time.monotonic()
    try:
        for path in files:
            print(f"▶ {os.path.relpath(path, os.path.dirname(HERE))}", flush=True)
            try:
                tests = load_tests(path)
            except Exception:  # noqa: BLE001 - a file that does not load counts as one failure
                failed += 1
                print("  ✖ the file does not load")
                print("".join(traceback.format_exc(limit=-3)).rstrip().replace("\n", "\n      "))
                save_counts(args.counts_file, passed, failed)
                continue
            for fname, title, func in tests:
                if args.keyword and args.keyword not in fname and args.keyword not in title:
                    continue
                t0 = time.monotonic()
                try:
                    await run_one(harness, func, args.timeout, root)
                except Exception as e:  # noqa: BLE001 - every failure is reported the same way
                    failed += 1
                    print(f"  ✖ {title} ({time.monotonic() - t0:.1f}s)", flush=True)
                    detail = "".join(traceback.format_exception_only(type(e), e)).rstrip()
                    where = [f for f in traceback.extract_tb(e.__traceback__)
                             if f.filename == path or f.filename.endswith("harness.py")]
                    for line in detail.splitlines():
                        print(f"      {line}")
                    for frame in where[-3:]:
                        print(f"      at {os.path.basename(frame.filename)}:{frame.lineno} {frame.line}")
                else:
                    passed += 1
                    print(f"  ✔ {title} ({time.monotonic() - t0:.1f}s)", flush=True)
                save_counts(args.counts_file, passed, failed)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"ℹ matrix-nio {nio_version()}, {time.monotonic() - started:.1f}s")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def nio_version():
    try:
        import importlib.metadata
        return importlib.metadata.version("matrix-nio")
    except Exception:  # noqa: BLE001 - the version is only informative
        return "(version unknown)"


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
