#!/usr/bin/env python3
"""Repeated builds into the same output folder: what `rolebook build` costs when
editors and CI run it again and again (see src/output/staging.rs, which links the files
that did not change from the previous output instead of writing them).

    python3 benches/repeat.py                          # target/release/rolebook, 2,000 roles
    python3 benches/repeat.py --binary /tmp/rb-repeat/rolebook-before --binary target/release/rolebook
    python3 benches/repeat.py --runs 3 --root ~/my-handbook

For each --binary (default target/release/rolebook; copied into SCRATCH/bin
first, so a rebuild cannot swap it mid-run), --runs times (default 5):

  (a) fresh   into a fresh, not yet existing folder (SCRATCH/runs/fresh-*);
  (b) repeat  into the same folder again, nothing changed (SCRATCH/runs/same-*);
  (c) edit    one role's English Markdown gets a line appended (in a copy of
              the handbook, SCRATCH/hb-edit), then a build into the same folder
              (SCRATCH/runs/edit-*).

For (b) and (c) it also counts the output files whose inode changed (or that
are new) against all files: the files written rather than linked from the
previous output. Reports the median wall time of each, (b)/(a) and (c)/(a),
and the median counts, as a Markdown table.

Order, and why. ext4 (without a journal, as on these VMs) skips inodes deleted
less than about dirty_expire_centisecs (30 s) ago when it allocates new ones:
creating many files soon after deleting many is slow. That is the effect to
measure in (b) and (c), where each build removes the output it replaces, so
they run as editors and CI run them: back to back, (b) and (c) interleaved,
after two untimed warm-up builds into each folder (page cache warm, and the
steady state of one rebuild after another). (a) is the baseline without that
effect, measured as benches/run.py does: its runs come first, back to back
after one warm-up, and nothing is deleted before or between them (the fresh
folders, ~150 MB each at 2,000 roles, are all kept and deleted at the end of
the script, so whatever creates many files on this disk right after it pays
for them). Each binary runs as a phase of its own, after a sync and a wait
of --settle seconds, so that earlier deletes (the previous phase's, the
previous script run's) and unwritten files do not slow its builds. The
default is 3 x dirty_expire_centisecs (90 s). Even so, the first phase can
meet a slow disk when many files were deleted on it in the minutes before
(this script's previous run deletes ~140,000 at its end): its fresh builds
then take 2-3 s instead of 0.45 s. Look at the fresh column, and swap the
--binary order to see whether a binary's figures depend on going first.
Before each timed build it waits (up to --quiet-wait s) for other processes
to go quiet and reports how many cores others (the kernel's writeback of
earlier outputs included) used meanwhile.

The handbook (--root) defaults to SCRATCH/hb, generated when missing with
../shared/bench/gen_corpus.py --roles N --seed 1 (N from --roles, default 2000).
Python 3.9+, standard library only (the timing helpers come from run.py).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no benches/__pycache__ from importing run.py
import run as bench  # noqa: E402  (benches/run.py: log, busy_seconds, wait_quiet, is_tmpfs)

REPO = bench.REPO
log = bench.log


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_build(binary, root, out, quiet_wait):
    """`binary build ROOT --out OUT`; returns (wall s, others' cores meanwhile)."""
    if quiet_wait > 0:
        bench.wait_quiet(quiet_wait)
    b0, c0 = bench.busy_seconds(), children_cpu()
    t0 = time.perf_counter()
    p = subprocess.run([binary, "build", root, "--out", out], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("%s build %s failed (%d):\n%s" % (binary, root, p.returncode, p.stderr[-3000:]))
    others = max(0.0, bench.busy_seconds() - b0 - (children_cpu() - c0))
    return wall, others / wall


def inodes(out):
    """Every file under OUT -> (device, inode)."""
    found = {}
    for folder, _, files in os.walk(out):
        for name in files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            found[os.path.relpath(path, out)] = (st.st_dev, st.st_ino)
    return found


def role_page(root):
    """The first English role page of the handbook (sorted), to edit."""
    for folder, dirs, files in os.walk(os.path.join(root, "content", "en")):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                return os.path.join(folder, name)
    raise RuntimeError("no English Markdown page under %s/content/en" % root)


def rebuild(binary, root, out, quiet_wait):
    """A timed build into OUT that already holds a build: (wall s, others' cores,
    files with a new inode, files)."""
    before = inodes(out)
    wall, others = timed_build(binary, root, out, quiet_wait)
    after = inodes(out)
    return wall, others, sum(1 for path, ino in after.items() if before.get(path) != ino), len(after)


def phase(label, binary, root, edit_root, runs_dir, a):
    """The runs of one binary: {"fresh": [s], "repeat": [s], "edit": [s], "new_repeat": [n], ...}."""
    res = {k: [] for k in ("fresh", "repeat", "edit", "new_repeat", "new_edit", "files", "others")}
    timed_build(binary, root, os.path.join(runs_dir, "warm-%s" % label), 0)
    for i in range(a.runs):
        w, o = timed_build(binary, root, os.path.join(runs_dir, "fresh-%s-%d" % (label, i)), a.quiet_wait)
        res["fresh"].append(w)
        res["others"].append(o)
        log("  %-18s fresh run %d: %.3f s (others used %.2f cores)" % (label, i + 1, w, o))
    same, edit = (os.path.join(runs_dir, "%s-%s" % (k, label)) for k in ("same", "edit"))
    page = role_page(edit_root)
    for _ in range(2):
        timed_build(binary, root, same, 0)
        timed_build(binary, edit_root, edit, 0)
    for i in range(a.runs):
        w, o, new, files = rebuild(binary, root, same, a.quiet_wait)
        res["repeat"].append(w)
        res["new_repeat"].append(new)
        res["others"].append(o)
        with open(page, "a", encoding="utf-8") as f:
            f.write("\nEdited for run %d of %s.\n" % (i + 1, label))
        w2, o2, new2, files = rebuild(binary, edit_root, edit, a.quiet_wait)
        res["edit"].append(w2)
        res["new_edit"].append(new2)
        res["files"].append(files)
        res["others"].append(o2)
        log("  %-18s rebuild run %d: repeat %.3f s (%d new inodes), edit %.3f s (%d new inodes) of %d files (others used %.2f, %.2f cores)"
            % (label, i + 1, w, new, w2, new2, files, o, o2))
    return res


def report(results, a, root):
    med = statistics.median
    lines = [
        "Repeated builds, %s, %d runs each (medians), scratch %s (%s):" % (
            root, a.runs, a.scratch, "tmpfs" if bench.is_tmpfs(a.scratch) else "not tmpfs"),
        "",
        "| binary | (a) fresh folder | (b) same folder, no change | (c) same folder, one page edited "
        "| (b)/(a) | (c)/(a) | new inodes (b) | new inodes (c) | others' cores (median, max) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in results:
        fresh, repeat, edit = med(r["fresh"]), med(r["repeat"]), med(r["edit"])
        files = med(r["files"])
        lines.append("| %s | %.3f s | %.3f s | %.3f s | %.2fx | %.2fx | %d of %d | %d of %d | %.2f, %.2f |" % (
            label, fresh, repeat, edit, repeat / fresh, edit / fresh, med(r["new_repeat"]), files,
            med(r["new_edit"]), files, med(r["others"]), max(r["others"])))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", action="append", help="a rolebook binary (repeatable; default target/release/rolebook)")
    ap.add_argument("--root", help="handbook folder (default SCRATCH/hb, generated when missing)")
    ap.add_argument("--roles", type=int, default=2000, help="roles of the generated handbook (default 2000)")
    ap.add_argument("--scratch", default="/tmp/rb-repeat", help="scratch folder on the disk to measure (default /tmp/rb-repeat)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=float, help="seconds to wait before each binary's phase (default 3 x dirty_expire_centisecs)")
    ap.add_argument("--quiet-wait", type=float, default=30, help="before each timed build, wait up to this long for others to use < 0.3 core (0: don't)")
    a = ap.parse_args()
    a.scratch = os.path.abspath(a.scratch)
    os.makedirs(os.path.join(a.scratch, "bin"), exist_ok=True)
    root = os.path.abspath(a.root or os.path.join(a.scratch, "hb"))
    if not os.path.exists(os.path.join(root, "book.toml")):
        gen = os.path.normpath(os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
        log("generating %s (%d roles)" % (root, a.roles))
        subprocess.run([sys.executable, gen, "--roles", str(a.roles), "--out", root, "--seed", "1"], check=True)
    if a.settle is None:
        with open("/proc/sys/vm/dirty_expire_centisecs") as f:
            a.settle = 3 * int(f.read()) / 100
    binaries = []
    for given in a.binary or [os.path.join(REPO, "target", "release", "rolebook")]:
        label = os.path.basename(given)
        while label in (b[0] for b in binaries):
            label += "'"
        copy = os.path.join(a.scratch, "bin", label)
        shutil.copy2(given, copy)
        binaries.append((label, copy))
    runs_dir = os.path.join(a.scratch, "runs")
    edit_root = os.path.join(a.scratch, "hb-edit")
    for path in (runs_dir, edit_root):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(root, edit_root)
    os.makedirs(runs_dir)
    results = []
    try:
        for label, binary in binaries:
            log("%s: sync, then waiting %.0f s for earlier deletes to settle" % (label, a.settle))
            os.sync()
            time.sleep(a.settle)
            results.append((label, phase(label, binary, root, edit_root, runs_dir, a)))
    finally:
        # Only now: deleting the fresh folders frees many inodes (see above).
        shutil.rmtree(runs_dir, ignore_errors=True)
        shutil.rmtree(edit_root, ignore_errors=True)
    print(report(results, a, root))


if __name__ == "__main__":
    main()
