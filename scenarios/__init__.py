"""Scenario data: loading and checking place tables, policies and run settings.

The public entry points are :func:`scenarios.validate.validate` (a composed config to typed objects)
and :func:`scenarios.loader.load_scenario` (a folder of tables to a :class:`scenarios.model.Scenario`).
"""
