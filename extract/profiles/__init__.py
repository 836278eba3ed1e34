"""Layout knowledge of the two profiles, as data: ``<profile>.yaml`` beside this module.

The profiles (``extract/evaluation_sheet.py``, ``extract/business_plan.py``) read the two layouts
policy-kg was first built on. Their words — labels, section titles, legends, direction and status
words, unit endings — are the YAML files here; the profile modules build their patterns from them.
Each file is read once (like the engine's ``vocabulary.yaml``, see ``extract/engine/vocabulary.py``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROFILES_DIR = Path(__file__).parent


@cache
def profile_words(profile: str) -> dict[str, Any]:
    """The words of ``profile`` (``evaluation_sheet`` or ``business_plan``), read once.

    >>> profile_words("evaluation_sheet")["sections"]["table"]
    '事務事業一覧'
    """
    path = PROFILES_DIR / f"{profile}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping of the profile's words")
    return data
