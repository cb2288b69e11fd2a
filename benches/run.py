#!/usr/bin/env python3
"""rolebook benchmarks: build time and memory vs the floor, Zola, Hugo and mdBook,
and live-preview latency (save -> served). See BENCHMARKS.md for results.

    python3 benches/run.py --roles 1000 10000          # (B) build benchmark, ~10 min
    python3 benches/run.py --preview                   # (A) live-preview latency only, ~1 min
    python3 benches/run.py --roles 1000 10000 --skip-big zola hugo mdbook   # quicker (~6 min)
    python3 benches/run.py --roles 1000 10000 --rev HEAD   # the last commit, not the working tree
    python3 benches/run.py --roles 10000 --against OLD_BINARY  # this tree vs another build, interleaved

What it does (everything outside the repository, in --scratch, default
/tmp/rolebook-bench):

1. `cargo build --release` of rolebook (the repo's own target/; or with
   --rev REV, REV exported by `git archive` and built in scratch), then copies
   the binary to the scratch folder so other people's rebuilds cannot swap it
   mid-run; builds the floor (benches/floor, its own target dir in scratch).
2. For each --roles N: generates the handbook with
   ../shared/bench/gen_corpus.py --roles N --seed 1 (kept and reused), and
   converts the same content for every other tool found:
     zola   TOML front matter (title, description=summary, [extra] id, ...),
            en as page.md and zh as page.zh.md (two languages), `role:` links
            -> internal `@/dept/id(.zh).md#anchor` links (checked by Zola),
            minimal page/section templates: title, body, language switch.
     hugo   the YAML front matter as is (minus `lang`), content/en and
            content/zh as the contentDirs of two languages, `role:` links ->
            relative URLs, minimal single/list layouts: title, body, switch.
     mdbook two books (en, zh; mdBook has no multilingual support) with
            SUMMARY.md by department, front matter -> `# Title`, a link to the
            other language's page, `role:` links -> relative `.md` links;
            mdBook's default theme and settings (search index, print page).
     floor  benches/floor: walk, split front matter, pulldown-cmark, write.
     floor-same  the same, then filler files until it has written as many
            files and bytes as rolebook's build of that size did.
     check  `rolebook check ROOT` (everything but writing).
3. Per size: one warm-up run per tool (discarded, page cache warm), then
   --runs rounds in which every tool runs once, in turn (so that drift of the
   machine's speed, up to 10% within minutes on the VM of BENCHMARKS.md,
   falls on every tool alike; --sequential runs each tool's runs one after
   another instead). Timed under `/usr/bin/time -v`, each run into a fresh,
   not yet existing output folder (see Outputs below for why nothing is
   deleted while timing). Before each run it waits (up to --quiet-wait s) for
   other processes to go quiet, and reports how many cores others used during
   the run ("others' load"). Reports the median wall time, the median (and
   max) peak RSS ("Maximum resident set size"), and median CPU (user+sys).
   A run longer than --timeout (300 s) is stopped and the tool reported as
   skipped; mdBook is skipped at 10,000 roles unless you say `--skip-big`.
4. Per size: the live-preview rebuild after one page edit (save -> served,
   see below), --edits times.
5. Prints a Markdown table, ratios (tool / rolebook), and the goals from the
   issue (at 10,000 roles) as met/missed. Results also go to
   SCRATCH/results.json.

--preview measures (A): `rolebook serve ROOT --port 0` on a copy of the
sample handbook (book.toml + content/ + themes/ of this repo) and on the
2,000-role handbook; --edits times (default 10) it appends a unique marker
line to one page's Markdown and polls GET /en/<id>.html until the marker is in
the response. That is save -> rebuilt -> served; a browser also needs the
WebSocket message and its own reload (a few ms more). It also collects the
server's own "rebuilt in N ms" lines.

Tool binaries: looked up on PATH, then in /work/bench-tools (where they were
installed by hand for BENCHMARKS.md); override with --zola/--hugo/--mdbook,
or leave a tool out with --tools. Missing tools are skipped and reported.
Needs Python 3.9+, cargo, GNU time (/usr/bin/time; apt-get install time).
"""

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.normpath(os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
ALL_TOOLS = ["rolebook", "check", "floor", "floor-same", "zola", "hugo", "mdbook"]
TOOL_FALLBACKS = {
    "zola": ["/work/bench-tools/zola-target/release/zola"],
    "hugo": ["/usr/bin/hugo"],
    "mdbook": ["/work/bench-tools/mdbook/bin/mdbook", os.path.expanduser("~/.cargo/bin/mdbook")],
}
SEED = 1


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


# --------------------------------------------------------------------------- setup

def build_rolebook(scratch, rev=None, binary=None):
    """The rolebook binary to measure, copied into scratch: the working tree's
    release build, or (--rev) a commit exported with `git archive` and built in
    scratch with its own target dir, or (--rolebook-bin) a given binary."""
    dst = os.path.join(scratch, "bin", "rolebook")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if binary:
        src = binary
    elif rev:
        tree = os.path.join(scratch, "rolebook-src")
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(tree)
        archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True, capture_output=True).stdout
        # -m: files get the current time, so cargo never mistakes an older build for this one
        subprocess.run(["tar", "-x", "-m", "-C", tree], input=archive, check=True)
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(scratch, "rolebook-target"))
        run(["cargo", "build", "--release", "--quiet", "--locked", "--bin", "rolebook"], cwd=tree, env=env)
        src = os.path.join(scratch, "rolebook-target", "release", "rolebook")
    else:
        run(["cargo", "build", "--release", "--quiet", "--bin", "rolebook"], cwd=REPO)
        src = os.path.join(REPO, "target", "release", "rolebook")
    shutil.copy2(src, dst)
    return dst


def build_floor(scratch):
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(scratch, "floor-target"))
    run(["cargo", "build", "--release", "--quiet", "--locked",
         "--manifest-path", os.path.join(REPO, "benches", "floor", "Cargo.toml")], env=env)
    return os.path.join(scratch, "floor-target", "release", "rolebook-floor")


def find_tool(name, override):
    if override:
        return override if os.access(override, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return found
    for p in TOOL_FALLBACKS.get(name, []):
        if os.access(p, os.X_OK):
            return p
    return None


def tool_version(name, path):
    try:
        out = subprocess.run([path, "version" if name == "hugo" else "--version"],
                             capture_output=True, text=True, timeout=30).stdout
        return out.strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - report, don't fail
        return "unknown (%s)" % e


def git_state(rev=None, binary=None):
    def g(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    if binary:
        return "binary %s" % binary
    if rev:
        return "commit %s" % g("rev-parse", "--short", rev)
    dirty = g("status", "--porcelain", "--untracked-files=no", "src", "themes", "Cargo.toml", "Cargo.lock")
    return "%s%s" % (g("rev-parse", "--short", "HEAD"), " + uncommitted changes in src/themes" if dirty else "")


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "mem_gib": round(mem_kb / 2**20, 1),
            "kernel": platform.release(), "loadavg_at_start": os.getloadavg()[0]}


def corpus(scratch, n):
    d = os.path.join(scratch, "corpus-%d" % n)
    if not os.path.exists(os.path.join(d, "book.toml")):
        tmp = d + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        run([sys.executable, GEN, "--roles", str(n), "--out", tmp, "--seed", str(SEED)],
            stdout=subprocess.DEVNULL)
        os.rename(tmp, d)
    return d


# --------------------------------------------------------------------------- conversion

ROLE_LINK = re.compile(r"\]\(role:([a-z0-9][a-z0-9_-]*)(#[^)\s]*)?\)")


def read_pages(root):
    """[(lang, dept_slug, id, fields, body)] of a gen_corpus handbook."""
    pages = []
    for lang in ("en", "zh"):
        base = os.path.join(root, "content", lang)
        for dept in sorted(os.listdir(base)):
            for name in sorted(os.listdir(os.path.join(base, dept))):
                with open(os.path.join(base, dept, name), encoding="utf-8") as f:
                    text = f.read()
                _, front, body = text.split("---\n", 2)
                fields = {}
                for line in front.splitlines():
                    k, v = line.split(": ", 1)
                    if v.startswith('"'):
                        v = json.loads(v)
                    elif v.startswith("["):
                        v = [x.strip() for x in v[1:-1].split(",") if x.strip()]
                    fields[k] = v
                pages.append((lang, dept, fields["id"], fields, body))
    return pages


def dept_titles(pages):
    t = {}
    for lang, dept, _, fields, _ in pages:
        t.setdefault((lang, dept), fields.get("department", dept))
    return t


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


ZOLA_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body>
<nav>{% for t in page.translations %}{% if t.lang != lang %}<a href="{{ t.permalink | safe }}" hreflang="{{ t.lang }}">{{ t.lang }}</a>{% endif %}{% endfor %}</nav>
<h1>{{ page.title }}</h1>
{{ page.content | safe }}
</body></html>
"""
ZOLA_SECTION = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ section.title }}</title></head>
<body>
<nav>{% for t in section.translations %}{% if t.lang != lang %}<a href="{{ t.permalink | safe }}" hreflang="{{ t.lang }}">{{ t.lang }}</a>{% endif %}{% endfor %}</nav>
<h1>{{ section.title }}</h1>
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
</body></html>
"""


def convert_zola(pages, site):
    write(os.path.join(site, "config.toml"),
          'base_url = "http://localhost"\ntitle = "Handbook"\ndefault_language = "en"\n'
          "compile_sass = false\nbuild_search_index = false\ngenerate_feeds = false\n"
          '\n[languages.zh]\ntitle = "岗位手册"\n')
    write(os.path.join(site, "templates", "page.html"), ZOLA_PAGE)
    write(os.path.join(site, "templates", "section.html"), ZOLA_SECTION)
    write(os.path.join(site, "templates", "index.html"), ZOLA_SECTION)
    suffix = {"en": "", "zh": ".zh"}
    depts = {p[2]: p[1] for p in pages}
    write(os.path.join(site, "content", "_index.md"), '+++\ntitle = "Handbook"\n+++\n')
    write(os.path.join(site, "content", "_index.zh.md"), '+++\ntitle = "岗位手册"\n+++\n')
    for (lang, dept), title in dept_titles(pages).items():
        write(os.path.join(site, "content", dept, "_index%s.md" % suffix[lang]),
              "+++\ntitle = %s\n+++\n" % toml_str(title))
    for lang, dept, pid, f, body in pages:
        body = ROLE_LINK.sub(lambda m: "](@/%s/%s%s.md%s)" % (depts[m.group(1)], m.group(1), suffix[lang], m.group(2) or ""), body)
        fm = ["+++", "title = " + toml_str(f["title"])]
        if "summary" in f:
            fm.append("description = " + toml_str(f["summary"]))
        fm.append("[extra]")
        for k in ("id", "department", "reports_to"):
            if k in f:
                fm.append("%s = %s" % (k, toml_str(f[k])))
        fm.append("related = [%s]" % ", ".join(toml_str(x) for x in f.get("related", [])))
        fm.append("+++")
        write(os.path.join(site, "content", dept, pid + suffix[lang] + ".md"), "\n".join(fm) + "\n" + body)


HUGO_SINGLE = """<!doctype html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav>
<h1>{{ .Title }}</h1>
{{ .Content }}
</body></html>
"""
HUGO_LIST = """<!doctype html>
<html lang="{{ .Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<nav>{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}</nav>
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


def convert_hugo(pages, site):
    write(os.path.join(site, "config.toml"),
          'baseURL = "http://localhost/"\ndefaultContentLanguage = "en"\n'
          "defaultContentLanguageInSubdir = true\n"
          'disableKinds = ["taxonomy", "term", "RSS"]\n'
          '[languages.en]\ncontentDir = "content/en"\nlanguageName = "English"\ntitle = "Handbook"\nweight = 1\n'
          '[languages.zh]\ncontentDir = "content/zh"\nlanguageName = "中文"\ntitle = "岗位手册"\nweight = 2\n')
    write(os.path.join(site, "layouts", "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(site, "layouts", "_default", "list.html"), HUGO_LIST)
    depts = {p[2]: p[1] for p in pages}
    for (lang, dept), title in dept_titles(pages).items():
        write(os.path.join(site, "content", lang, dept, "_index.md"), "---\ntitle: %s\n---\n" % toml_str(title))
    for lang, dept, pid, f, body in pages:
        # pages are at /<lang>/<dept>/<id>/ (pretty URLs)
        body = ROLE_LINK.sub(lambda m: "](../../%s/%s/%s)" % (depts[m.group(1)], m.group(1), m.group(2) or ""), body)
        fm = ["---"]
        for k, v in f.items():
            if k == "lang":
                continue
            fm.append("%s: %s" % (k, json.dumps(v, ensure_ascii=False)))
        fm.append("---")
        write(os.path.join(site, "content", lang, dept, pid + ".md"), "\n".join(fm) + "\n" + body)


def convert_mdbook(pages, site):
    depts = {p[2]: p[1] for p in pages}
    titles = dept_titles(pages)
    other = {"en": ("zh", "中文"), "zh": ("en", "English")}
    for lang in ("en", "zh"):
        book = os.path.join(site, lang)
        write(os.path.join(book, "book.toml"),
              '[book]\ntitle = %s\nlanguage = "%s"\nsrc = "src"\n'
              % (toml_str("Handbook" if lang == "en" else "岗位手册"), lang))
        mine = [p for p in pages if p[0] == lang]
        summary = ["# Summary", "", "[Introduction](index.md)", ""]
        write(os.path.join(book, "src", "index.md"), "# %s\n" % ("Handbook" if lang == "en" else "岗位手册"))
        by_dept = {}
        for p in mine:
            by_dept.setdefault(p[1], []).append(p)
        for dept in sorted(by_dept):
            summary.append("- [%s](%s/index.md)" % (titles[(lang, dept)], dept))
            write(os.path.join(book, "src", dept, "index.md"), "# %s\n" % titles[(lang, dept)])
            for _, _, pid, f, body in by_dept[dept]:
                summary.append("  - [%s](%s/%s.md)" % (f["title"].replace("]", "\\]"), dept, pid))
                body = ROLE_LINK.sub(lambda m: "](../%s/%s.md%s)" % (depts[m.group(1)], m.group(1), m.group(2) or ""), body)
                olang, oname = other[lang]
                head = "# %s\n\n[%s](../../%s/%s/%s.html)\n\n" % (f["title"], oname, olang, dept, pid)
                write(os.path.join(book, "src", dept, pid + ".md"), head + body)
        write(os.path.join(book, "src", "SUMMARY.md"), "\n".join(summary) + "\n")


# --------------------------------------------------------------------------- timing

def busy_seconds():
    """CPU seconds used so far by the whole machine (all cores, all processes)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]  # idle + iowait
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_quiet(max_wait):
    """Waits (up to max_wait s) until other processes use less than 0.3 of a core."""
    deadline = time.time() + max_wait
    while True:
        b0 = busy_seconds()
        time.sleep(0.5)
        load = (busy_seconds() - b0) / 0.5
        if load < 0.3 or time.time() > deadline:
            return load
        log("  (machine busy: %.1f cores in use by others; waiting)" % load)
        time.sleep(2)


QUIET_WAIT = [60.0]
RUN_TIMEOUT = [300.0]


# ext4 without a journal (as on these VMs) will not reuse an inode deleted less
# than dirty_expire_centisecs ago, and scans past every such inode when creating
# a file: writing 20,000 files right after deleting 20,000 costs seconds of
# kernel time, and more with each run. So nothing is deleted while timing: every
# run writes into a fresh folder, and old folders are deleted at the start and
# end of the script, followed by a wait. (On tmpfs none of this applies.)

def is_tmpfs(path):
    path = os.path.abspath(path)
    best, fstype = "", ""
    with open("/proc/mounts") as f:
        for line in f:
            mnt, typ = line.split()[1], line.split()[2]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
                best, fstype = mnt, typ
    return fstype == "tmpfs"


def delete_and_settle(paths):
    """Deletes paths; if anything on disk was deleted, waits until ext4 will reuse its inodes."""
    waited = False
    for p in paths:
        if os.path.exists(p):
            shutil.rmtree(p, ignore_errors=True)
            waited = waited or not is_tmpfs(os.path.dirname(p))
    if waited:
        with open("/proc/sys/vm/dirty_expire_centisecs") as f:
            wait = int(f.read()) / 100 + 5
        log("  (deleted old output; waiting %.0f s so new files do not pay for the deleted inodes)" % wait)
        time.sleep(wait)


class Outputs:
    """Fresh output folders, deleted only when it cannot distort a timing."""

    def __init__(self, root):
        self.root = root
        self.tmpfs = is_tmpfs(root) if os.path.exists(root) else is_tmpfs(os.path.dirname(root))
        self.used = []

    def fresh(self, name):
        path = os.path.join(self.root, "%s.%d" % (name, len(self.used)))
        if self.tmpfs:
            for p in self.used:
                shutil.rmtree(p, ignore_errors=True)
            self.used = []
            path = os.path.join(self.root, name)
        self.used.append(path)
        return path

    def clean(self):
        delete_and_settle(self.used)
        self.used = []


def timed(cmd, out_dir, cwd=None):
    """Runs cmd (whose output goes to the fresh folder out_dir) under /usr/bin/time -v;
    returns (wall s, peak RSS KiB, cpu s, others' cpu s)."""
    tfile = os.path.join(os.path.dirname(out_dir.rstrip("/")), ".time-v.txt")
    if QUIET_WAIT[0] > 0:
        wait_quiet(QUIET_WAIT[0])
    b0 = busy_seconds()
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile] + cmd, cwd=cwd, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=RUN_TIMEOUT[0])
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RuntimeError("stopped after %.0f s (--timeout)" % RUN_TIMEOUT[0])
    p = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    wall = time.perf_counter() - t0
    machine_cpu = busy_seconds() - b0
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s\n%s" % (" ".join(cmd), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
    with open(tfile) as f:
        tv = f.read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", tv).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", tv).group(1))
    return wall, rss, user + sys_, max(0.0, machine_cpu - user - sys_)


def measure(name, make_cmd, outputs, runs):
    """make_cmd(out) -> argv; one warm-up run, then `runs` timed ones."""
    out = outputs.fresh(name)
    timed(make_cmd(out), out)  # warm-up
    walls, rsss, cpus, others = [], [], [], []
    for i in range(runs):
        out = outputs.fresh(name)
        w, r, c, o = timed(make_cmd(out), out)
        walls.append(w)
        rsss.append(r)
        cpus.append(c)
        others.append(o / w)
        log("  %-8s run %d: %.3f s, %.1f MiB, cpu %.2f s (others used %.2f cores meanwhile)" % (name, i + 1, w, r / 1024, c, o / w))
    files, size, largest = output_size(out)
    return {"wall": statistics.median(walls), "walls": walls,
            "rss_mib": statistics.median(rsss) / 1024, "rss_max_mib": max(rsss) / 1024,
            "cpu": statistics.median(cpus), "others_cores": statistics.median(others),
            "files": files, "bytes": size, "largest_role_page": largest}


def measure_interleaved(cmds, outputs, runs, on_warm=None):
    """cmds: [(name, make_cmd)], in order. One warm-up each, in order (then
    `on_warm(name, (files, bytes, largest))`, so a later tool's command can
    use an earlier one's output size), then `runs` rounds of one timed run
    per tool: drift of the machine's speed (this VM's drifts by up to 10%
    within minutes) falls on every tool alike, and the ratios stay fair.
    Returns ({name: result as `measure` gives}, {name: error})."""
    sizes, failed = {}, {}
    for name, make in cmds:
        out = outputs.fresh(name)
        try:
            timed(make(out), out)
        except RuntimeError as e:
            failed[name] = e
            continue
        sizes[name] = output_size(out)
        if on_warm:
            on_warm(name, sizes[name])
    data = {name: ([], [], [], []) for name, _ in cmds if name not in failed}
    for i in range(runs):
        for name, make in cmds:
            if name not in data:
                continue
            out = outputs.fresh(name)
            try:
                w, r, c, o = timed(make(out), out)
            except RuntimeError as e:
                failed[name] = e
                del data[name]
                continue
            for values, v in zip(data[name], (w, r, c, o / w)):
                values.append(v)
            log("  %-10s run %d: %.3f s, %.1f MiB, cpu %.2f s (others used %.2f cores meanwhile)" % (name, i + 1, w, r / 1024, c, o / w))
    results = {}
    for name, (walls, rsss, cpus, others) in data.items():
        files, size, largest = sizes[name]
        results[name] = {"wall": statistics.median(walls), "walls": walls,
                         "rss_mib": statistics.median(rsss) / 1024, "rss_max_mib": max(rsss) / 1024,
                         "cpu": statistics.median(cpus), "others_cores": statistics.median(others),
                         "files": files, "bytes": size, "largest_role_page": largest}
    return results, failed


def output_size(out):
    """(files, bytes, largest role page) in the folder a run wrote; a role
    page is `<lang>/<id>.html` (not an index, print book or side-by-side)."""
    files = size = largest = 0
    special = {"index.html", "changes.html", "translations.html", "404.html", "print.html"}
    for dirpath, _, names in os.walk(out):
        lang_dir = (dirpath != out and os.path.dirname(os.path.relpath(dirpath, out)) == ""
                    and os.path.basename(dirpath) not in ("parallel", "static"))
        for name in names:
            files += 1
            n = os.path.getsize(os.path.join(dirpath, name))
            size += n
            if lang_dir and name.endswith(".html") and name.count(".") == 1 and name not in special:
                largest = max(largest, n)
    return files, size, largest


def measure_against(make_new, make_old, outputs, runs):
    """Two rolebook builds of the same handbook, run in turn (new, old, new,
    old, ...) after one warm-up each, so drift of the machine's speed hits
    both alike. Returns per binary the medians and the per-pair ratios."""
    for name, make in (("new", make_new), ("old", make_old)):
        out = outputs.fresh(name)
        timed(make(out), out)
    runs_of = {"new": [], "old": []}
    for i in range(runs):
        for name, make in (("new", make_new), ("old", make_old)):
            out = outputs.fresh(name)
            w, r, c, _ = timed(make(out), out)
            runs_of[name].append((w, r / 1024, c))
            log("  %-4s run %d: %.3f s, %.1f MiB, cpu %.2f s" % (name, i + 1, w, r / 1024, c))
    result = {}
    for name, rs in runs_of.items():
        result[name] = {"wall": statistics.median(x[0] for x in rs), "rss_mib": statistics.median(x[1] for x in rs),
                        "cpu": statistics.median(x[2] for x in rs), "walls": [x[0] for x in rs]}
    result["ratio_wall"] = statistics.median(n[0] / o[0] for n, o in zip(runs_of["new"], runs_of["old"]))
    return result


def against_report(results):
    lines = ["| roles | new wall (median) | old wall (median) | new/old (median of pairs) | new RSS | old RSS | new CPU | old CPU |",
             "|---|---|---|---|---|---|---|---|"]
    for n, r in results.items():
        lines.append("| %s | %.3f s | %.3f s | %.3f | %.0f MiB | %.0f MiB | %.2f s | %.2f s |" % (
            n, r["new"]["wall"], r["old"]["wall"], r["ratio_wall"], r["new"]["rss_mib"], r["old"]["rss_mib"],
            r["new"]["cpu"], r["old"]["cpu"]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- preview

def preview(binary, root, page_file, url_path, edits, poll, settle=0.4, timeout=60.0):
    """Save -> served latency of `rolebook serve`: list of (seconds, server_ms)."""
    if QUIET_WAIT[0] > 0:
        wait_quiet(QUIET_WAIT[0])
    proc = subprocess.Popen([binary, "serve", root, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)
    rebuilt = []  # server-reported rebuild times, ms
    lock = threading.Lock()

    def drain_err():
        for line in proc.stderr:
            m = re.match(r"rebuilt in (\d+) ms", line.strip())
            if m:
                with lock:
                    rebuilt.append(int(m.group(1)))
            elif "rebuild failed" in line:
                log("  server: " + line.rstrip())
    threading.Thread(target=drain_err, daemon=True).start()
    original = None
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise RuntimeError("rolebook serve did not start: %r" % line)
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        port = int(m.group(1))
        conn = [http.client.HTTPConnection("127.0.0.1", port, timeout=10)]

        def get():
            for _ in range(3):
                try:
                    conn[0].request("GET", url_path)
                    r = conn[0].getresponse()
                    return r.status, r.read()
                except (http.client.HTTPException, OSError):
                    conn[0].close()
                    conn[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            raise RuntimeError("GET %s keeps failing" % url_path)

        status, _ = get()
        if status != 200:
            raise RuntimeError("GET %s: %d" % (url_path, status))
        with open(page_file, "rb") as f:
            original = f.read()
        time.sleep(settle)
        results = []
        for i in range(edits):
            with lock:
                before = len(rebuilt)
            marker = ("benchmark-marker-%s" % uuid.uuid4().hex).encode()
            t0 = time.perf_counter()
            with open(page_file, "ab") as f:
                f.write(b"\n" + marker + b"\n")
            while True:
                _, body = get()
                if marker in body:
                    break
                if time.perf_counter() - t0 > timeout:
                    raise RuntimeError("marker never served")
                if poll:
                    time.sleep(poll)
            dt = time.perf_counter() - t0
            # let this save's rebuild(s) finish and stray events settle
            deadline = time.time() + 5
            while time.time() < deadline:
                with lock:
                    if len(rebuilt) > before:
                        break
                time.sleep(0.005)
            time.sleep(settle)
            with lock:
                server_ms = rebuilt[before] if len(rebuilt) > before else None
                extra = len(rebuilt) - before - 1
            results.append((dt, server_ms))
            log("  edit %2d: save->served %.1f ms (server: rebuilt in %s ms%s)"
                % (i + 1, dt * 1000, server_ms, ", +%d more rebuild(s)" % extra if extra > 0 else ""))
        return results
    finally:
        if original is not None:
            with open(page_file, "wb") as f:
                f.write(original)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def summarize_preview(res):
    ms = sorted(r[0] * 1000 for r in res)
    srv = [r[1] for r in res if r[1] is not None]
    return {"median_ms": statistics.median(ms), "max_ms": max(ms), "min_ms": min(ms), "all_ms": ms,
            "server_median_ms": statistics.median(srv) if srv else None}


def sample_copy(scratch, src):
    """A copy of the sample handbook (book.toml, content/, themes/ of src), so
    the edits never touch the repository."""
    d = os.path.join(scratch, "sample")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    shutil.copy2(os.path.join(src, "book.toml"), d)
    for sub in ("content", "themes"):
        if os.path.isdir(os.path.join(src, sub)):
            shutil.copytree(os.path.join(src, sub), os.path.join(d, sub))
    return d


def gen_page(root):
    """The general manager's English page of a gen_corpus handbook."""
    return os.path.join(root, "content", "en", "general-office", "general-manager.md"), "/en/general-manager.html"


# --------------------------------------------------------------------------- report

def fmt_s(x):
    return "%.2f s" % x if x >= 0.1 else "%.0f ms" % (x * 1000)


def report(results, sizes, info):
    lines = []
    lines.append("rolebook %s; %s; %d cores, %s GiB; %s; load average %.2f at start, %.2f at end"
                 % (info["rolebook"], info["machine"]["cpu"], info["machine"]["nproc"], info["machine"]["mem_gib"],
                    time.strftime("%Y-%m-%d %H:%M"), info["machine"]["loadavg_at_start"], os.getloadavg()[0]))
    for t, v in info["versions"].items():
        lines.append("  %s: %s" % (t, v))
    lines.append("")
    lines.append("| tool | roles | wall (median of %d) | peak RSS (median / max) | CPU (user+sys) | time / rolebook | RSS / rolebook | others' load |" % info["runs"])
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        base = results["build"].get("rolebook", {}).get(str(n))
        for tool in ALL_TOOLS:
            r = results["build"].get(tool, {}).get(str(n))
            if r is None:
                continue
            rt = "%.2fx" % (r["wall"] / base["wall"]) if base else "-"
            rr = "%.2fx" % (r["rss_mib"] / base["rss_mib"]) if base else "-"
            lines.append("| %s | %d | %s | %.0f / %.0f MiB | %.2f s | %s | %s | %.2f |" % (
                tool, n, fmt_s(r["wall"]), r["rss_mib"], r["rss_max_mib"], r["cpu"], rt, rr, r["others_cores"]))
    skipped = results.get("skipped", [])
    if skipped:
        lines.append("")
        lines.append("skipped: " + "; ".join(skipped))
    if results["edit"]:
        lines.append("")
        lines.append("| live preview: one page edit | median | max | server's \"rebuilt in\" (median) |")
        lines.append("|---|---:|---:|---:|")
        for k, p in results["edit"].items():
            lines.append("| %s | %.0f ms | %.0f ms | %s ms |" % (k, p["median_ms"], p["max_ms"], p["server_median_ms"]))
    lines.append("")
    lines += goals(results)
    return "\n".join(lines)


def goals(results):
    b = results["build"]
    out = []

    def g(ok, text):
        out.append("%s %s" % ("MET   " if ok else "MISSED", text))
    rb = b.get("rolebook", {})
    e = results["edit"]
    if "sample" in e:
        g(e["sample"]["median_ms"] < 100, "(A) sample handbook save->served < 100 ms: median %.0f ms, max %.0f ms" % (e["sample"]["median_ms"], e["sample"]["max_ms"]))
    if "2000 roles" in e:
        g(e["2000 roles"]["median_ms"] < 300, "(A) 2,000 roles save->served < 300 ms: median %.0f ms, max %.0f ms" % (e["2000 roles"]["median_ms"], e["2000 roles"]["max_ms"]))
    big = rb.get("10000")
    if big:
        for other, most in (("zola", 0.25), ("hugo", 0.20)):
            o = b.get(other, {}).get("10000")
            if o:
                g(big["wall"] <= o["wall"] * most, "10,000 roles: at most %.2fx %s's time: %s vs %s (%.2fx)" % (most, other, fmt_s(big["wall"]), fmt_s(o["wall"]), big["wall"] / o["wall"]))
        for floor, what in (("floor", "the floor"), ("floor-same", "the floor writing the same files and bytes")):
            f = b.get(floor, {}).get("10000")
            if f:
                g(big["wall"] <= 2 * f["wall"], "10,000 roles: within 2x of %s: %s vs %s (%.1fx)" % (what, fmt_s(big["wall"]), fmt_s(f["wall"]), big["wall"] / f["wall"]))
        c = b.get("check", {}).get("10000")
        if c:
            g(c["wall"] <= 0.6 * big["wall"], "10,000 roles: check at most 0.6x the build: %s vs %s (%.2fx)" % (fmt_s(c["wall"]), fmt_s(big["wall"]), c["wall"] / big["wall"]))
        if big.get("largest_role_page"):
            g(big["largest_role_page"] <= 40_000, "10,000 roles: a role page's HTML at most 40 kB: largest %.1f kB (of %d files, %.0f MB in all)" % (big["largest_role_page"] / 1000, big["files"], big["bytes"] / 1e6))
        g(big["rss_mib"] <= 250, "10,000 roles: peak memory <= 250 MiB: %.0f MiB" % big["rss_mib"])
        if "10000 roles" in e:
            g(e["10000 roles"]["median_ms"] < 150, "10,000 roles: one-page edit -> served < 150 ms: median %.0f ms" % e["10000 roles"]["median_ms"])
        if "1000 roles" in e:
            g(e["1000 roles"]["median_ms"] < 50, "1,000 roles: one-page edit -> served < 50 ms: median %.0f ms" % e["1000 roles"]["median_ms"])
        small = rb.get("1000")
        if small:
            g(big["wall"] <= 11 * small["wall"], "10,000-role build <= 11x the 1,000-role build: %.1fx" % (big["wall"] / small["wall"]))
    return out


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--roles", type=int, nargs="*", default=[], help="handbook sizes for the build benchmark (e.g. 1000 10000)")
    ap.add_argument("--preview", action="store_true", help="measure live-preview latency (A): sample handbook and 2,000 roles")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    ap.add_argument("--edits", type=int, default=10, help="page edits per live-preview measurement (default 10)")
    ap.add_argument("--poll", type=float, default=0.001, help="seconds between GETs while waiting for an edit (default 0.001; 0 = busy loop, which takes a core from the rebuild on a 2-core machine)")
    ap.add_argument("--tools", nargs="+", default=ALL_TOOLS, choices=ALL_TOOLS, help="tools to run (default: all found)")
    ap.add_argument("--skip-big", nargs="*", default=["mdbook"], choices=ALL_TOOLS, metavar="TOOL",
                    help="run these tools only at sizes below --big (default: mdbook, whose build time grows with "
                         "the square of the page count: over 8 minutes per run at 10,000 roles; "
                         "`--skip-big` alone runs everything, `--skip-big zola hugo mdbook` is the quick run)")
    ap.add_argument("--timeout", type=float, default=300, help="stop a tool's run after this many seconds and report it (default 300)")
    ap.add_argument("--big", type=int, default=5000, help="what --skip-big counts as big (default 5000 roles)")
    ap.add_argument("--quiet-wait", type=float, default=60, help="before each timed run, wait up to this many seconds for other processes to use < 0.3 core (0: don't wait; default 60)")
    ap.add_argument("--no-edit", action="store_true", help="skip the rebuild-after-one-edit measurement in build mode")
    ap.add_argument("--sequential", action="store_true", help="time each tool's runs one after another (the default takes the tools in turn, run by run, so that drift of the machine's speed falls on all of them alike)")
    ap.add_argument("--rev", help="measure this commit (exported with git archive, built in scratch) instead of the working tree")
    ap.add_argument("--rolebook-bin", help="measure this rolebook binary instead of building one")
    ap.add_argument("--against", help="another rolebook binary (e.g. a build of the commit before a change): only rolebook and it are run, in turn, at each --roles size")
    ap.add_argument("--zola")
    ap.add_argument("--hugo")
    ap.add_argument("--mdbook")
    ap.add_argument("--out-root", help="where the tools write their output (default SCRATCH/out; e.g. /dev/shm/rb to take the file system out of the figures)")
    ap.add_argument("--scratch", default="/tmp/rolebook-bench", help="scratch folder, outside the repo (default /tmp/rolebook-bench)")
    a = ap.parse_args()
    if not a.roles and not a.preview:
        ap.error("give --roles N [N ...] and/or --preview")
    scratch = os.path.abspath(a.scratch)
    if scratch == REPO or scratch.startswith(REPO + os.sep):
        ap.error("--scratch must be outside the repository")
    os.makedirs(scratch, exist_ok=True)
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("needs GNU time: apt-get install -y time")

    QUIET_WAIT[0] = a.quiet_wait
    RUN_TIMEOUT[0] = a.timeout
    info = {"machine": machine(), "rolebook": git_state(a.rev, a.rolebook_bin), "runs": a.runs, "versions": {}}
    results = {"build": {}, "edit": {}, "skipped": []}
    rolebook = build_rolebook(scratch, a.rev, a.rolebook_bin)
    info["versions"]["rolebook"] = tool_version("rolebook", rolebook)
    tools = {"rolebook": rolebook}
    if a.roles and "check" in a.tools:
        tools["check"] = rolebook
    if a.roles and ("floor" in a.tools or "floor-same" in a.tools):
        tools["floor"] = build_floor(scratch)
        if "floor-same" in a.tools:
            tools["floor-same"] = tools["floor"]
    for t in ("zola", "hugo", "mdbook"):
        if t in a.tools and a.roles:
            p = find_tool(t, getattr(a, t))
            if p:
                tools[t] = p
                info["versions"][t] = tool_version(t, p)
            else:
                results["skipped"].append("%s (not installed)" % t)

    if a.preview:
        log("== live preview: sample handbook")
        s = sample_copy(scratch, os.path.join(scratch, "rolebook-src") if a.rev else REPO)
        results["edit"]["sample"] = summarize_preview(preview(
            rolebook, s, os.path.join(s, "content", "en", "office-director.md"), "/en/office-director.html", a.edits, a.poll))
        log("== live preview: 2000 roles")
        root = corpus(scratch, 2000)
        f, u = gen_page(root)
        results["edit"]["2000 roles"] = summarize_preview(preview(rolebook, root, f, u, a.edits, a.poll))

    out_root = os.path.abspath(a.out_root or os.path.join(scratch, "out"))
    if out_root == REPO or out_root.startswith(REPO + os.sep):
        ap.error("--out-root must be outside the repository")
    # converted sites are kept between script runs, keyed by this script's text
    with open(os.path.abspath(__file__), "rb") as f:
        tag = hashlib.sha256(f.read()).hexdigest()[:10]
    stale = [os.path.join(scratch, d) for d in os.listdir(scratch) if d.startswith("site-") and not d.endswith("-" + tag)]
    delete_and_settle(stale + ([out_root] if os.path.exists(out_root) else []))
    os.makedirs(out_root, exist_ok=True)
    outputs = Outputs(out_root)

    if a.against:
        paired = {}
        for n in a.roles:
            root = corpus(scratch, n)
            log("== rolebook vs --against, %d roles" % n)
            paired[str(n)] = measure_against(lambda out: [rolebook, "build", root, "--out", out],
                                             lambda out: [a.against, "build", root, "--out", out], outputs, a.runs)
        outputs.clean()
        with open(os.path.join(scratch, "results-against.json"), "w") as f:
            json.dump({"info": info, "results": paired}, f, indent=1)
        print(against_report(paired))
        return

    for n in a.roles:
        root = corpus(scratch, n)
        pages = None
        cmds = []
        for tool in ALL_TOOLS:
            if tool not in tools:
                continue
            if tool in a.skip_big and n >= a.big:
                results["skipped"].append("%s at %d roles (--skip-big)" % (tool, n))
                continue
            site = os.path.join(scratch, "site-%s-%d-%s" % (tool, n, tag))
            if tool in ("zola", "hugo", "mdbook") and not os.path.exists(site):
                if pages is None:
                    pages = read_pages(root)
                log("   converting for %s" % tool)
                {"zola": convert_zola, "hugo": convert_hugo, "mdbook": convert_mdbook}[tool](pages, site + ".tmp")
                os.rename(site + ".tmp", site)
            # Bound now (default arguments): with the tools taken in turn,
            # the commands run after this loop has moved on.
            exe = tools[tool]
            make_cmd = {
                "rolebook": lambda out, exe=exe, root=root: [exe, "build", root, "--out", out],
                "check": lambda out, root=root: [tools["rolebook"], "check", root],
                "floor": lambda out, exe=exe, root=root: [exe, root, out],
                # The floor writing as many files and bytes as rolebook did.
                "floor-same": lambda out, exe=exe, root=root, n=n: [exe, root, out] + [
                    str(results["build"].get("rolebook", {}).get(str(n), {}).get(k, 0)) for k in ("files", "bytes")],
                "zola": lambda out, exe=exe, site=site: [exe, "--root", site, "build", "--output-dir", out],
                "hugo": lambda out, exe=exe, site=site: [exe, "--quiet", "--source", site, "--destination", out],
                "mdbook": lambda out, exe=exe, site=site: ["/bin/sh", "-c", '"$0" build "$1/en" -d "$2/en" && "$0" build "$1/zh" -d "$2/zh"', exe, site, out],
            }[tool]
            if not a.sequential:
                cmds.append((tool, make_cmd))
                continue
            log("== %s, %d roles" % (tool, n))
            try:
                results["build"].setdefault(tool, {})[str(n)] = measure(tool, make_cmd, outputs, a.runs)
            except RuntimeError as e:
                log(str(e))
                results["skipped"].append("%s at %d roles (failed: %s)" % (tool, n, str(e).splitlines()[0]))
        if cmds:
            log("== %s, %d roles, in turn" % (", ".join(t for t, _ in cmds), n))

            def warm(tool, size, n=n):
                # floor-same's command reads rolebook's file and byte count.
                files, nbytes, largest = size
                results["build"].setdefault(tool, {})[str(n)] = {"files": files, "bytes": nbytes}

            measured, failed = measure_interleaved(cmds, outputs, a.runs, warm)
            for tool, _ in cmds:
                if tool in measured:
                    results["build"].setdefault(tool, {})[str(n)] = measured[tool]
                else:
                    results["build"].get(tool, {}).pop(str(n), None)
                    log(str(failed[tool]))
                    results["skipped"].append("%s at %d roles (failed: %s)" % (tool, n, str(failed[tool]).splitlines()[0]))
        if not a.no_edit:
            log("== live preview rebuild, %d roles" % n)
            f, u = gen_page(root)
            results["edit"]["%d roles" % n] = summarize_preview(preview(rolebook, root, f, u, a.edits, a.poll))

    if a.roles:
        log("== cleaning up outputs")
        outputs.clean()
    text = report(results, a.roles, info)
    with open(os.path.join(scratch, "results.json"), "w") as f:
        json.dump({"info": info, "results": results}, f, indent=1)
    print(text)
    log("\n(results also in %s)" % os.path.join(scratch, "results.json"))


if __name__ == "__main__":
    main()
