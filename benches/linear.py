#!/usr/bin/env python3
"""Linear-time check of `rolebook check` on hostile pages (issue 20, items 4 and 9).

    python3 benches/linear.py            # from the repository root, ~1-3 min
    python3 benches/linear.py --runs 5   # best of 5 instead of 3

Run by hand, not by `cargo test`. Builds the release binary if it is missing
(`cargo build --release`) and copies it to a temp folder, so that other
people's rebuilds cannot swap it mid-run. For each input it generates a
handbook at size N and at 10N, times `rolebook check` on each (best of
--runs), and prints a table with the ratio of the two times and the peak
memory (max RSS of the child, from os.wait4). Exits 1 if any ratio exceeds
15 (10x the input may cost at most 15x the time), 2 if rolebook crashed.

Inputs:
  broken links    one page, N links to missing files on one line
  role: links     one page, N `role:` links to an existing role on one line
  nested lists    a page of lines of `- ` repeated N deep
  reports_to      a chain of N roles, each reporting to the previous one
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BOOK_TOML = """[book]
default_language = "en"

[languages.en]
name = "English"
title = "Linear Bench"
"""
MAX_RATIO = 15.0


def page(role_id, title, body, reports_to=None):
    front = f"---\nid: {role_id}\ntitle: {title}\n"
    if reports_to:
        front += f"reports_to: {reports_to}\n"
    return front + "---\n\n" + body + "\n"


def write_book(root, pages):
    """A one-language handbook with `pages` ({file name: text}) under content/en/."""
    content = root / "content" / "en"
    content.mkdir(parents=True)
    (root / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    for name, text in pages.items():
        (content / name).write_text(text, encoding="utf-8")


def broken_links(n):
    line = " ".join(f"[f{i}](missing/{i}.pdf)" for i in range(n))
    return {"x.md": page("x", "X", line)}


def role_links(n):
    line = " ".join("[boss](role:boss)" for _ in range(n))
    return {"x.md": page("x", "X", line), "boss.md": page("boss", "Boss", "Leads.")}


def nested_lists(n):
    # A few lines, each a list item nested n deep (`- - - ... x`).
    lines = "\n".join(("- " * n) + f"item {k}" for k in range(4))
    return {"x.md": page("x", "X", lines)}


def reports_to_chain(n):
    pages = {"r0.md": page("r0", "Role 0", "Top.")}
    for i in range(1, n):
        pages[f"r{i}.md"] = page(f"r{i}", f"Role {i}", "Works.", reports_to=f"r{i - 1}")
    return pages


INPUTS = [
    ("broken links", broken_links, 2_000),
    ("role: links", role_links, 20_000),
    ("nested lists", nested_lists, 2_000),
    ("reports_to chain", reports_to_chain, 400),
]


def binary(scratch):
    built = REPO / "target" / "release" / "rolebook"
    if not built.exists():
        print("building the release binary (cargo build --release) ...", flush=True)
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    copy = scratch / "rolebook"
    shutil.copy2(built, copy)
    return copy


def run_once(exe, root):
    """Wall time (s), peak RSS (KiB) and exit code of one `rolebook check`."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(exe), "check"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the max
    # over every child so far).
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, child.returncode


def measure(exe, root, runs):
    best_time, peak = None, 0
    for _ in range(runs):
        elapsed, rss, code = run_once(exe, root)
        if code not in (0, 1):
            raise RuntimeError(f"rolebook check exited {code} in {root}")
        best_time = elapsed if best_time is None else min(best_time, elapsed)
        peak = max(peak, rss)
    return best_time, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (best is kept)")
    args = parser.parse_args()
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="rolebook-linear-") as scratch:
        scratch = Path(scratch)
        exe = binary(scratch)
        for name, make, n in INPUTS:
            results = []
            for size in (n, 10 * n):
                root = scratch / f"{name.replace(' ', '-').replace(':', '')}-{size}"
                write_book(root, make(size))
                try:
                    results.append((size,) + measure(exe, root, args.runs))
                except RuntimeError as e:
                    print(f"error: {e}", file=sys.stderr)
                    return 2
                shutil.rmtree(root)
            (n1, t1, m1), (n2, t2, m2) = results
            ratio = t2 / t1 if t1 > 0 else float("inf")
            failed |= ratio > MAX_RATIO
            rows.append((name, n1, t1, m1, n2, t2, m2, ratio))
            print(f"  {name}: {t1:.3f} s -> {t2:.3f} s", flush=True)
    print()
    print("| input | N | time | peak | 10N | time | peak | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, n1, t1, m1, n2, t2, m2, ratio in rows:
        mark = "" if ratio <= MAX_RATIO else " (over 15)"
        print(
            f"| {name} | {n1:,} | {t1:.3f} s | {m1 / 1024:.0f} MiB | {n2:,} | {t2:.3f} s"
            f" | {m2 / 1024:.0f} MiB | {ratio:.1f}{mark} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
