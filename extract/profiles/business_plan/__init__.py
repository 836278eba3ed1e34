"""The business-plan profile's parts, one job each; its entry points and the order of its passes are
``extract/business_plan.py`` and its words ``extract/profiles/business_plan.yaml``.
"""
