"""The evaluation-sheet profile's parts, one job each; its entry points and the order of its steps are
``extract/evaluation_sheet.py`` and its words ``extract/profiles/evaluation_sheet.yaml``.
"""
