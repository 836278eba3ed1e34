"""Benchmark: size and load time of the explorer and budget pages against today's overview page.

Not a timed test. ``.venv/bin/python bench/bench_explorer.py GRAPH.trig`` (e.g. a 200-document
corpus: ``policy-kg generate --cities 50 --seed 1 --out corpus/ && policy-kg build corpus/ --out c200``).
For each page: bytes written, seconds to write it, and the milliseconds headless Chromium takes from
navigation to the page's ready mark (``data-ready-ms``: the explorer has indexed its data and drawn its
controls; a view has drawn and laid out its network), over the DevTools pipe with no network. The
overview page (``visualize overview``) is the baseline; ratios are page / overview.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_kg import visualize  # noqa: E402
from tests.test_visualize_explorer import Browser  # noqa: E402
from policy_kg.visualize.explorer import render_explorer  # noqa: E402
from policy_kg.visualize.facts import load_data  # noqa: E402


def _load_ms(browser: Browser, page: Path, ready: str) -> float:
    browser.open(page.resolve().as_uri())
    browser.wait_for(ready, tries=2000)
    return float(browser.js("document.body.getAttribute('data-ready-ms')") or "nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="browser loads per page (median reported)")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_data(args.graph)
    print(f"graph loaded in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pages: dict[str, tuple[Path, float, str]] = {}
        for name, write, ready in (
            ("overview", lambda: visualize.render_view(data, "overview", out=out / "overview.html"),
             "document.body.hasAttribute('data-ready-ms')"),
            ("sdg", lambda: visualize.render_view(data, "sdg", out=out / "sdg.html"),
             "document.body.hasAttribute('data-ready-ms')"),
            ("explorer", lambda: render_explorer(data, out / "site"), "document.body.hasAttribute('data-ready-ms')"),
        ):
            t0 = time.perf_counter()
            path = write()
            pages[name] = (path, time.perf_counter() - t0, ready)
        try:
            from policy_kg.visualize.budget import render_budget

            t0 = time.perf_counter()
            path = render_budget(data, out / "budget.html")
            pages["budget"] = (path, time.perf_counter() - t0, "document.body.hasAttribute('data-drawn')")
        except RuntimeError as exc:
            print(f"budget page skipped: {exc}")
        browser = Browser(out)
        try:
            results = {}
            for name, (path, write_s, ready) in pages.items():
                loads = sorted(_load_ms(browser, path, ready) for _ in range(args.runs))
                results[name] = (path.stat().st_size, write_s, loads[len(loads) // 2])
        finally:
            browser.close()
    base_size, _, base_ms = results["overview"]
    print(f"{'page':<10} {'bytes':>12} {'× overview':>10} {'write s':>8} {'load ms':>8} {'× overview':>10}")
    for name, (size, write_s, ms) in results.items():
        print(f"{name:<10} {size:>12,} {size / base_size:>10.2f} {write_s:>8.2f} {ms:>8.0f} {ms / base_ms:>10.2f}")


if __name__ == "__main__":
    main()
