"""docs/benchmarks-scale.md from bench/scale.sh's results (one JSON object a line).

Usage: scale_report.py RESULTS DATE REVISION MACHINE SECONDS
"""
import json
import statistics
import sys

RESULTS, DATE, REVISION, MACHINE, SECONDS = sys.argv[1:6]
rows = [json.loads(line) for line in open(RESULTS) if line.strip()]
# A call's figure was measured in rounds (the small and the large database in turn): its
# medians; errors add up. Other figures were measured once.
runs = {}
for r in rows:
    runs.setdefault((r["backend"], r["samples"], r["figure"]), []).append(r)


def combined(measured):
    if len(measured) == 1:
        return measured[0]
    out = dict(measured[0])
    for field in ("p50_us", "p99_us", "calls_per_s"):
        out[field] = statistics.median(m[field] for m in measured)
    out["errors"] = sum(m["errors"] for m in measured)
    return out


by = {key: combined(measured) for key, measured in runs.items()}
ROUNDS = max((r.get("round", 1) for r in rows), default=1)
backends = [b for b in ("sqlite", "mariadb") if any(r["backend"] == b for r in rows)]

CALLS = [
    ("resolve-first", "ResolveBarcode, 1 client, from cold (the first run over the keys)", None),
    ("resolve-1", "ResolveBarcode, 1 client", 1.2),
    ("resolve-8", "ResolveBarcode, 8 clients", 1.2),
    ("history", "a tube's history (GetSampleHistory)", None),
    ("box", "a box's contents (GetBoxContents, 81 tubes)", None),
    ("completeness", "a protocol's completeness, first page of 50 patients", None),
    ("criteria", "criteria preview: one timepoint, serum, one site, 1 a patient", None),
]


def ms(us):
    return f"{us / 1000:.2f}"


def table(backend):
    sizes = sorted({r["samples"] for r in rows if r["backend"] == backend and r["figure"] == "generate"})
    small, large = sizes[0], sizes[-1]
    out = [f"| figure | {small:,} samples | {large:,} samples | ratio | target |",
           "|:--|--:|--:|--:|:--|"]
    misses = []
    for key, name, bound in CALLS:
        a, b = by.get((backend, small, key)), by.get((backend, large, key))
        if not a or not b:
            continue
        ratio = b["p99_us"] / a["p99_us"]
        verdict = ""
        if bound:
            met = ratio <= bound
            verdict = f"p99 ≤ {bound}×: {'met' if met else 'missed'}"
            if not met:
                misses.append(f"{backend}: {name}")
        errors = a["errors"] + b["errors"]
        if errors:
            verdict += f" ({errors} errors)"
        out.append(f"| {name}: p50 / p99 ms | {ms(a['p50_us'])} / {ms(a['p99_us'])} | "
                   f"{ms(b['p50_us'])} / {ms(b['p99_us'])} | {ratio:.2f} | {verdict} |")
        out.append(f"| {name}: calls a second | {a['calls_per_s']:.0f} | {b['calls_per_s']:.0f} | "
                   f"{b['calls_per_s'] / a['calls_per_s']:.2f} | |")
    a, b = by[(backend, small, "memory")], by[(backend, large, "memory")]
    ratio = b["VmRSS"] / a["VmRSS"]
    met = ratio <= 1.10
    if not met:
        misses.append(f"{backend}: resident memory")
    out.append(f"| lims-server resident memory after the work (VmRSS), MB | {a['VmRSS'] / 1024:.0f} | "
               f"{b['VmRSS'] / 1024:.0f} | {ratio:.2f} | ≤ 1.10×: {'met' if met else 'missed'} |")
    out.append(f"| of which its own (RssAnon) / the database's files (RssFile), MB | "
               f"{a['RssAnon'] / 1024:.0f} / {a['RssFile'] / 1024:.0f} | "
               f"{b['RssAnon'] / 1024:.0f} / {b['RssFile'] / 1024:.0f} | | |")
    out.append(f"| lims-server peak resident memory (VmHWM), MB | {a['VmHWM'] / 1024:.0f} | "
               f"{b['VmHWM'] / 1024:.0f} | {b['VmHWM'] / a['VmHWM']:.2f} | |")
    g_a, g_b = by[(backend, small, "generate")], by[(backend, large, "generate")]
    s_a, s_b = by[(backend, small, "start")], by[(backend, large, "start")]
    out.append(f"| database generated in, s | {g_a['seconds']:.1f} | {g_b['seconds']:.1f} | | |")
    out.append(f"| lims-server start to serving, s | {s_a['ms'] / 1000:.1f} | {s_b['ms'] / 1000:.1f} | | |")
    return "\n".join(out), misses


print(f"""# Scale benchmark: ten million samples

The same work on a small and a large database generated in the same run
(`bench/src/scale_gen.cc`: 10 sites, one patient per 48 tubes, two protocols of 8 timepoints,
at each timepoint a primary serum tube with 3 aliquots and a primary plasma tube with one, 10 %
consumed or shipped, every stored tube in a 9×9 box with its location history, consent events,
one chained audit event per tube): ResolveBarcode at 1 and 8 clients, then one client for each
read, {SECONDS} s a figure, keys spread over the whole database (about 2,000 tubes and 200 boxes
at either size). Both databases are served at once, by a fresh lims-server each, and every
figure is measured on the one and then the other, {ROUNDS} times: the tables give the medians
(the noise of this shared machine falls on both alike). The first run over the keys, from cold,
is a figure of its own; the others are measured after it. Then each lims-server's resident
memory, once it has been idle 31 s (every 30 s it gives back memory freed by finished calls and
the page caches of its idle connections). Targets (issue 22): ResolveBarcode's p99 on the large
database within 1.2× of the small one's; resident memory within 10 %.

- Command: `bench/scale.sh`
- Date: {DATE}, commit {REVISION}
- Machine: {MACHINE}. The load generator, lims-server and MariaDB share the cores.
- MariaDB: a throw-away server (tests/mariadb.sh) with a 4 GB InnoDB buffer pool, otherwise
  defaults.
""")
all_misses = []
for backend in backends:
    text, misses = table(backend)
    all_misses += misses
    print(f"## {'SQLite (the embedded default)' if backend == 'sqlite' else 'MariaDB'}\n")
    print(text)
    print()
print("Targets missed: " + ("; ".join(all_misses) if all_misses else "none") + ".")
