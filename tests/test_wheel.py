"""The package as a user installs it: a wheel built from the repository, in a fresh virtualenv.

The wheel must carry everything the commands need (the ontology, the query library, the samples,
the engine's vocabulary) under one import namespace, ``policy_kg``, and no generic top-level names.
The new venv borrows the dependencies already installed for the tests (a path file, so no download)
but not the checkout: commands run from a folder outside the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 and os.environ.get("CI") != "true" and "No matching distribution" in proc.stderr:
        pytest.skip("setuptools for the build could not be fetched")
    assert proc.returncode == 0, proc.stderr[-2000:]
    (whl,) = out.glob("policy_kg-*.whl")
    return whl


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the wheel's files go in first; the test environment's dependencies are found after them
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return subprocess.run([str(python), "-c", "import sys; from policy_kg.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_wheel_holds_one_namespace_and_the_data_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"policy_kg"}, tops
    for needed in ("policy_kg/ontology/policy.ttl", "policy_kg/ontology/shapes.ttl", "policy_kg/queries/budgets.rq",
                   "policy_kg/queries/scope/document_graphs.rq", "policy_kg/extract/engine/vocabulary.yaml",
                   "policy_kg/samples/midorino_city_evaluation_sheet.txt", "policy_kg/cli.py",
                   "policy_kg/ontology/context.jsonld", "policy_kg/queries/examples/planner_sdg_budgets.rq",
                   "policy_kg/notebook.py", "policy_kg/graph/query_page.py"):
        assert needed in names, needed
    assert not any(n.startswith("policy_kg/bench/") or "/tests/" in n for n in names)


def test_an_installed_wheel_builds_queries_and_draws_from_outside_the_checkout(venv, tmp_path):
    where = tmp_path / "work"
    where.mkdir()
    found = subprocess.run([str(venv), "-c", "import policy_kg, policy_kg.graph; print(policy_kg.graph.__file__)"],
                           capture_output=True, text=True, cwd=where)
    assert found.returncode == 0 and str(REPO) not in found.stdout, found.stdout + found.stderr
    assert run(venv, "--help", cwd=where).returncode == 0
    version = run(venv, "--version", cwd=where)
    assert version.returncode == 0 and "policy-kg" in version.stdout
    build = run(venv, "build", "--out", "out", cwd=where)  # the bundled samples, the default input
    assert build.returncode == 0, build.stderr
    rows = run(venv, "query", "projects", "--format", "csv", cwd=where)
    assert rows.returncode == 0 and "里山グリーンツーリズム推進事業" in rows.stdout, rows.stderr
    view = run(venv, "visualize", "sdg", "--out", "sdg.html", cwd=where)
    assert view.returncode == 0 and (where / "sdg.html").stat().st_size > 10_000, view.stderr
    assert "Traceback" not in build.stderr + rows.stderr + view.stderr
    # the notebook API and the prefixes, from the installed package
    notebook = subprocess.run([str(venv), "-c", "import policy_kg; kg = policy_kg.open('out/graph.trig'); "
                               "print(kg.query('SELECT (COUNT(*) AS ?n) WHERE { ?p a pkg:Project }')[0]['n'])"],
                              capture_output=True, text=True, cwd=where)
    assert notebook.returncode == 0 and int(notebook.stdout) > 10, notebook.stderr
    prefixes = run(venv, "prefixes", cwd=where)
    assert prefixes.returncode == 0 and "PREFIX pkg:" in prefixes.stdout
