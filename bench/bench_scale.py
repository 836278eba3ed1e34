"""Scale benchmark (not a test): the build of a generated corpus, compared with its baselines.

``python bench/bench_scale.py [--documents 10000] [--subset 1000] [--work DIR]`` prints one table:

* end-to-end ``policy-kg build --store`` (``bulk-build``, its alias) of the corpus into an on-disk store
  (target < 5 min) and its ratio to pyoxigraph alone bulk-loading the same quads from an N-Quads file
  (target ≤ 3×);
* ``policy-kg build`` of the first ``--subset`` documents (graph.trig and report, as the command
  runs), its peak memory (target < 2 GiB), its ratio to pyoxigraph alone bulk-loading the graph.trig
  it wrote (target ≤ 2.5×), and its speed-up over ``build`` as it was before issue 18 (an rdflib
  ``Dataset``, ``graph.pipeline.build_documents``, and rdflib's TriG writer; target ≥ 3×;
  ``--skip-before``, or ``--before FILE``: the JSON line of an earlier ``build_before`` step, since
  at 1,000 documents it takes a quarter of an hour and 6 GiB); the ``Dataset`` part alone is the
  in-memory rdflib build the store build is compared with;
* the same build with its tasks on a local Dask cluster of ``--jobs`` workers (``--executor dask``;
  ``--skip-dask``), and whether its graph.trig has the same bytes;
* a re-build after changing 1 % of the documents (target < 5 % of the full build);
* the median time of every library query on the full store (target < 2 s each): asked about one
  document (``document=…``, five documents spread over the corpus), and over the whole corpus (an
  unfiltered listing: every budget line of every document, so bound by the size of its answer);
* peak memory (max RSS of the process and its largest child) of the store build (target < 4 GiB).

``--skip-queries`` leaves the query timings out (the whole-corpus listings take minutes).

Each measured step runs in a fresh subprocess, so its time and peak memory are its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GIB = 1024**3
#: Folders copied into the benchmark's work folder, so every step runs the same code even while the
#: working tree is being edited (a changed extractor rightly invalidates the record cache).
CODE_DIRS = ("extract", "graph", "bench", "ontology", "queries", "policy_kg")  # policy_kg: else the import
# finds the checkout's package (installed in editable mode), which maps policy_kg.graph etc. to the working tree


def _peak_rss() -> int:
    """Bytes: max RSS of this process plus that of its largest waited-for child (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) * 1024


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its waited-for children: on a shared machine
    the time a step's own work took, where wall-clock time also counts the other programs' turns."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --- steps, each run in its own process ----------------------------------------------------------------


def step_generate(work: Path, documents: int) -> dict:
    from bench.generate import cities_for, generate_corpus

    corpus = work / "corpus"
    marker = corpus / f".generated-{documents}"
    if not marker.exists():
        shutil.rmtree(corpus, ignore_errors=True)
        generate_corpus(corpus, cities_for(documents), seed=2024, max_documents=documents, expected=False)
        marker.touch()
    return {"documents": len(list(corpus.glob("*.txt")))}


def step_bulk(work: Path, store: str, inputs: list[str], fresh: bool, jobs: int) -> dict:
    """``policy-kg build --store`` (``bulk-build``): the corpus into an on-disk store, incrementally."""
    from policy_kg.graph.bulk import build_corpus

    store_dir, cache = work / store, work / f"{store}.cache"
    if fresh:
        shutil.rmtree(store_dir, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    start = time.perf_counter()
    result = build_corpus(inputs, store_dir=store_dir, cache_dir=cache, jobs=jobs)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "extracted": result.extracted, "cached": result.cached,
            "unchanged": result.unchanged, "failed": len(result.failures), "quads": result.quads_loaded,
            "peak_rss": _peak_rss(), "cpu": _cpu(), "timings": result.timings}


def step_dump(work: Path, store: str) -> dict:
    import pyoxigraph as ox

    target = work / "dump.nq"
    s = ox.Store.read_only(str(work / store))
    s.dump(output=str(target), format=ox.RdfFormat.N_QUADS)
    return {"bytes": target.stat().st_size, "quads": len(s)}


def _oxigraph_alone(work: Path, source: Path, fmt: str, store_name: str) -> dict:
    """pyoxigraph alone bulk-loading ``source`` into a fresh store: the baseline each build is set against."""
    import pyoxigraph as ox

    store_dir = work / store_name
    shutil.rmtree(store_dir, ignore_errors=True)
    start = time.perf_counter()
    s = ox.Store(str(store_dir))
    s.bulk_load(path=str(source), format=getattr(ox.RdfFormat, fmt))
    s.flush()
    seconds = time.perf_counter() - start
    cpu = _cpu()
    quads = len(s)
    del s
    shutil.rmtree(store_dir, ignore_errors=True)
    return {"seconds": seconds, "quads": quads, "peak_rss": _peak_rss(), "cpu": cpu}


def step_oxigraph_load(work: Path) -> dict:
    return _oxigraph_alone(work, work / "dump.nq", "N_QUADS", "oxigraph-only")


def step_build(work: Path, inputs: list[str], options: list[str] | None = None, out: str = "build-out") -> dict:
    """``policy-kg build`` as the command runs it (graph.trig written from the tasks' N-Quads by Oxigraph)."""
    import hashlib

    import policy_kg.graph.bulk as bulk
    from policy_kg.cli import main

    outcomes = []
    run = bulk.build_corpus
    bulk.build_corpus = lambda *a, **k: outcomes.append(run(*a, **k)) or outcomes[-1]  # to read its timings

    folder = work / out
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    code = main(["build", *inputs, "--out", str(folder), "--quiet", *(options or [])])
    seconds = time.perf_counter() - start
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    data = (folder / "graph.trig").read_bytes()
    return {"seconds": seconds, "exit": code, "quads": report["totals"]["quads"], "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "peak_rss": _peak_rss(), "cpu": _cpu(),
            "timings": outcomes[0].timings}


def step_build_before(work: Path, inputs: list[str]) -> dict:
    """``build`` as it was before issue 18: an rdflib Dataset, serialised by rdflib's TriG writer."""
    from policy_kg.graph.io import _rdflib_trig
    from policy_kg.graph.pipeline import build_documents

    start = time.perf_counter()
    result = build_documents(inputs)
    built = time.perf_counter() - start
    data = _rdflib_trig(result.dataset)
    seconds = time.perf_counter() - start
    (work / "build-before.trig").write_bytes(data)
    return {"seconds": seconds, "dataset_seconds": built, "peak_rss": _peak_rss(), "cpu": _cpu()}


def step_oxigraph_load_trig(work: Path) -> dict:
    """pyoxigraph alone bulk-loading the TriG file ``build`` wrote."""
    return _oxigraph_alone(work, work / "build-out" / "graph.trig", "TRIG", "oxigraph-trig-only")


def step_change(work: Path, fraction: float) -> dict:
    """Change a direction word in the project table of every 1/fraction-th document."""
    paths = sorted((work / "corpus").glob("*.txt"))
    step = max(1, round(1 / fraction))
    changed = 0
    for path in paths[::step]:
        text = path.read_text(encoding="utf-8")
        new = text.replace(" 継続 ", " 拡充 ", 1) if " 継続 " in text else text + "\n"
        path.write_text(new, encoding="utf-8")
        changed += 1
    return {"changed": changed}


def step_query_names() -> dict:
    from policy_kg.graph.query import list_queries

    queries = [q for q in list_queries() if not any(p.required for p in q.params)]
    return {"names": [q.name for q in queries],
            "per_document": [q.name for q in queries if any(p.name == "document" for p in q.params)]}


def step_query(work: Path, store: str, name: str, repeats: int, params: dict | None = None) -> dict:
    from policy_kg.graph.query import run_query
    from policy_kg.graph.stores import open_oxigraph

    backend = open_oxigraph(work / store)
    times, rows = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        rows = len(run_query(backend, name, params=params).rows)
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "rows": rows}


STEPS = {"generate": step_generate, "bulk": step_bulk, "dump": step_dump, "oxigraph_load": step_oxigraph_load,
         "build": step_build, "build_before": step_build_before, "oxigraph_load_trig": step_oxigraph_load_trig,
         "change": step_change, "query_names": step_query_names, "query": step_query}


_CODE: Path = ROOT


def snapshot_code(work: Path) -> Path:
    """Copy the code the steps run into ``work/code`` (see ``CODE_DIRS``); returns that folder."""
    global _CODE
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    for name in CODE_DIRS:
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    _CODE = code
    return code


def _in_subprocess(step: str, timeout: float | None = None, **kwargs) -> dict:
    """Run a step in a fresh interpreter on the code snapshot; its stderr (progress) passes through."""
    payload = json.dumps({"step": step, "kwargs": {k: str(v) if isinstance(v, Path) else v for k, v in kwargs.items()}})
    proc = subprocess.run([sys.executable, str(_CODE / "bench" / "bench_scale.py"), "--step", payload],
                          stdout=subprocess.PIPE, text=True, cwd=_CODE, check=True, timeout=timeout)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _run_step(payload: str) -> None:
    data = json.loads(payload)
    kwargs = {k: Path(v) if k == "work" else v for k, v in data["kwargs"].items()}
    print(json.dumps(STEPS[data["step"]](**kwargs)))


# --- the table ------------------------------------------------------------------------------------------


def _extractor_version(code: Path) -> str:
    out = subprocess.run([sys.executable, "-c", "from graph.bulk import extractor_version; print(extractor_version())"],
                         cwd=code, stdout=subprocess.PIPE, text=True, check=True)
    return out.stdout.strip()


def _timings(timings: dict) -> str:
    """``BuildOutcome.timings`` in words: the task phase (extraction and triples on the workers, the
    parent loading the store meanwhile), then the parent's serial steps."""
    return (f"tasks {timings['tasks']:.1f} s (of it loading the store {timings['load']:.1f} s), "
            f"then finishing the store {timings['store']:.1f} s, writing graph.trig and the report {timings['write']:.1f} s")


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, value: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append((what, value, target, "" if ok is None else ("PASS" if ok else "FAIL")))
        print(f"  {what}: {value}" + (f"  (target {target}: {self.rows[-1][3]})" if target else ""),
              file=sys.stderr, flush=True)

    def render(self) -> str:
        header = ("measure", "value", "target", "result")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(4)]
        lines = ["  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in [header, *self.rows]]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--subset", type=int, default=1_000, help="documents `build` (graph.trig) is timed on")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--work", type=Path, default=Path("/tmp/policy-kg-bench"))
    parser.add_argument("--repeats", type=int, default=3, help="runs of each query (median reported)")
    parser.add_argument("--query-timeout", type=float, default=300.0, help="seconds before a query is stopped")
    parser.add_argument("--skip-before", action="store_true",
                        help="do not time `build` as it was before issue 18 (rdflib's TriG writer: slow)")
    parser.add_argument("--before", type=Path, default=None,
                        help="the output of an earlier `--step` run of build_before, instead of timing it again")
    parser.add_argument("--skip-dask", action="store_true", help="do not time the build on a local Dask cluster")
    parser.add_argument("--skip-queries", action="store_true", help="do not time the library queries")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        _run_step(args.step)
        return 0

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    code = snapshot_code(work)
    t = Table()
    t.add("code", f"snapshot of {ROOT} in {code} (extractor version {_extractor_version(code)})")
    t.add("machine", f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, jobs={args.jobs}")
    gen = _in_subprocess("generate", work=work, documents=args.documents)
    n = gen["documents"]
    corpus = sorted(str(p) for p in (work / "corpus").glob("*.txt"))
    subset = corpus[: args.subset]
    t.add("corpus", f"{n} generated documents ({sum(Path(p).stat().st_size for p in corpus) / 1e6:.0f} MB)")

    full = _in_subprocess("bulk", work=work, store="store", inputs=[str(work / "corpus")], fresh=True, jobs=args.jobs)
    t.add("full build --store (bulk-build)", f"{full['seconds']:.1f} s, CPU {full['cpu']:.1f} s ({n / full['seconds']:.1f} documents/s, "
          f"{full['quads']} quads, {full['failed']} failed)", "< 300 s", full["seconds"] < 300)
    t.add("  where the time went", _timings(full["timings"]))
    t.add("peak memory, build --store", f"{full['peak_rss'] / GIB:.2f} GiB", "< 4 GiB", full["peak_rss"] < 4 * GIB)

    _in_subprocess("dump", work=work, store="store")
    ox_only = _in_subprocess("oxigraph_load", work=work)
    ratio = full["seconds"] / ox_only["seconds"]
    t.add("pyoxigraph alone: bulk_load of the same N-Quads file",
          f"{ox_only['seconds']:.1f} s, CPU {ox_only['cpu']:.1f} s ({ox_only['quads']} quads)")
    t.add("build --store / pyoxigraph alone", f"{ratio:.2f}×", "≤ 3×", ratio <= 3)

    # `policy-kg build` (graph.trig + report), before issue 18 and now, and pyoxigraph alone loading its TriG
    cli = _in_subprocess("build", work=work, inputs=subset, options=["--jobs", str(args.jobs)])
    ox_trig = _in_subprocess("oxigraph_load_trig", work=work)
    t.add(f"policy-kg build, {len(subset)} documents",
          f"{cli['seconds']:.1f} s, CPU {cli['cpu']:.1f} s ({len(subset) / cli['seconds']:.1f} documents/s = "
          f"{len(subset) / cli['seconds'] / args.jobs:.2f} per core; exit {cli['exit']}, {cli['quads']} quads, "
          f"graph.trig {cli['bytes'] / 1e6:.0f} MB)")
    t.add("  where the time went", _timings(cli["timings"]))
    t.add("  peak memory, build", f"{cli['peak_rss'] / GIB:.2f} GiB", "< 2 GiB", cli["peak_rss"] < 2 * GIB)
    t.add("  pyoxigraph alone: bulk_load of that graph.trig",
          f"{ox_trig['seconds']:.1f} s, CPU {ox_trig['cpu']:.1f} s ({ox_trig['quads']} quads)")
    t.add("  build / pyoxigraph alone", f"{cli['seconds'] / ox_trig['seconds']:.2f}×", "≤ 2.5×",
          cli["seconds"] / ox_trig["seconds"] <= 2.5)
    before = None
    if args.before is not None:
        before = json.loads(args.before.read_text(encoding="utf-8").strip().splitlines()[-1])
        where = f"measured earlier ({args.before})"
    elif not args.skip_before:
        before = _in_subprocess("build_before", work=work, inputs=subset)
        where = "this run"
    if before is not None:
        t.add(f"  build as before issue 18 (rdflib Dataset + rdflib TriG writer), {where}",
              f"{before['seconds']:.1f} s, CPU {before.get('cpu', float('nan')):.1f} s (Dataset {before['dataset_seconds']:.1f} s, "
              f"peak {before['peak_rss'] / GIB:.2f} GiB) = {before['seconds'] / cli['seconds']:.1f}× today's",
              "≥ 3×", before["seconds"] / cli["seconds"] >= 3)
    if not args.skip_dask:
        dask = _in_subprocess("build", work=work, inputs=subset, out="build-dask-out",
                              options=["--executor", "dask", "--jobs", str(args.jobs)])
        t.add(f"  the same build on a local Dask cluster of {args.jobs} workers (--executor dask)",
              f"{dask['seconds']:.1f} s = {dask['seconds'] / cli['seconds']:.2f}× the process pool's "
              f"(CPU {dask['cpu']:.1f} s); graph.trig "
              + ("the same bytes" if dask["sha256"] == cli["sha256"] else "DIFFERENT bytes"),
              "same bytes", dask["sha256"] == cli["sha256"])

    changed = _in_subprocess("change", work=work, fraction=0.01)
    rebuild = _in_subprocess("bulk", work=work, store="store", inputs=[str(work / "corpus")], fresh=False, jobs=args.jobs)
    share = rebuild["seconds"] / full["seconds"]
    t.add(f"re-build --store after changing {changed['changed']} documents (1 %)",
          f"{rebuild['seconds']:.1f} s = {share * 100:.1f} % of the full build ({rebuild['extracted']} extracted, "
          f"{rebuild['unchanged']} unchanged)", "< 5 %", share < 0.05)

    if args.skip_queries:
        print(t.render())
        return 0
    names = _in_subprocess("query_names")
    # asked about one document, as a reader browsing the corpus would: five documents across the corpus
    docs = sorted((work / "corpus").glob("*.txt"))
    sample = [docs[i * (len(docs) - 1) // 4].name for i in range(5)]
    for name in names["per_document"]:
        times, rows, stopped = [], [], False
        for one in sample:
            try:
                q = _in_subprocess("query", timeout=args.query_timeout, work=work, store="store", name=name,
                                   repeats=args.repeats, params={"document": one})
            except subprocess.TimeoutExpired:
                stopped = True
                break
            times.append(q["median"])
            rows.append(q["rows"])
        if stopped:
            t.add(f"query {name}, one document", f"> {args.query_timeout:.0f} s (stopped)", "< 2 s", False)
            continue
        median = statistics.median(times)
        t.add(f"query {name}, one document (median over {len(sample)} documents × {args.repeats} runs, "
              f"{min(rows)}–{max(rows)} rows)", f"{median:.3f} s (slowest {max(times):.3f} s)", "< 2 s", median < 2)
    # the whole corpus at once: listings whose answer grows with the corpus
    for name in names["names"]:
        try:
            q = _in_subprocess("query", timeout=args.query_timeout, work=work, store="store", name=name,
                               repeats=args.repeats)
        except subprocess.TimeoutExpired:
            t.add(f"query {name}, whole corpus", f"> {args.query_timeout:.0f} s (stopped)", "< 2 s", False)
            continue
        t.add(f"query {name}, whole corpus (median of {args.repeats}, {q['rows']} rows)", f"{q['median']:.2f} s",
              "< 2 s", q["median"] < 2)
    print(t.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
