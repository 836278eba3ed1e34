"""The visualize package's names and defaults that the command line needs before anything is drawn.

Kept free of networkx, rdflib and the rest, so ``policy-kg --help`` (which lists these choices)
imports none of them; the modules that use a name import it from here.
"""

from __future__ import annotations

#: The network views (``visualize.projection``).
VIEWS = ("overview", "sdg", "logic-model", "organisations")
#: The pages that are not one network view (``visualize.explorer``, ``visualize.budget``).
PAGES = ("explorer", "budget")
#: Network export formats (``visualize.exports``).
FORMATS = ("graphml", "gexf", "json", "csv", "png", "svg")
#: The planner's analyses, in the order they are printed (``visualize.analytics.ANALYSES``).
ANALYSIS_NAMES = ("sdg_coverage", "organisation_centrality", "projects_without_sdg",
                  "measures_without_indicators", "bridging_organisations")
#: Above this many nodes the overview and SDG views fold projects into measures.
DEFAULT_MAX_NODES = 1500
#: A view opens folded when a column holds more than this many nodes (0: never).
FOLD_COLUMN = 30
