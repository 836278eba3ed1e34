"""policy-kg: Japanese public-policy documents as an RDF knowledge graph.

One import namespace, ``policy_kg``, for the folders the project keeps at its top level:
``policy_kg.extract`` (documents → records), ``policy_kg.graph`` (records → RDF, stores, queries),
``policy_kg.visualize`` (views) and ``policy_kg.cli`` (the ``policy-kg`` command). In a wheel they are
installed under ``policy_kg/``; in a checkout they stay beside this folder, and ``__path__`` below
lets the same imports find them there.

For notebooks (``policy_kg.notebook``; imported on first use, so ``import policy_kg`` stays fast)::

    kg = policy_kg.open("out/graph.trig")       # or a store folder, or an http(s) SPARQL endpoint
    kg.query("budgets", fiscal_year=2023)       # rows of Python values; kg.query_df(...) a DataFrame
    kg = policy_kg.build(["samples/"])          # documents → a graph in memory
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.2.0"

# In a checkout, extract/, graph/, visualize/ (and ontology/, queries/, samples/) sit beside this
# folder, not in it: look for subpackages there too. In a wheel they are inside, and this is a no-op.
_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "graph" / "builder.py").is_file() and str(_CHECKOUT) not in __path__:
    __path__.append(str(_CHECKOUT))


def open(source, **options):  # noqa: A001 — policy_kg.open(path), as the notebook habit has it
    """A :class:`policy_kg.notebook.KG` of a graph file, an Oxigraph store folder or an endpoint URL."""
    from policy_kg import notebook

    return notebook.open(source, **options)


def build(inputs, **options):
    """Extract documents into a :class:`policy_kg.notebook.KG` in memory (see ``notebook.build``)."""
    from policy_kg import notebook

    return notebook.build(inputs, **options)


__all__ = ["__version__", "open", "build"]
