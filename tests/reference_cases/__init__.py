"""Reference cases for the Keras table tests, one module per catalog category.

Each module imports ``_add``/``_grid`` (and ``N``, ``CF``) from ``tests.reference_models`` and adds its
cases; ``tests/reference_models.py`` imports every module here before it checks the table.
"""
