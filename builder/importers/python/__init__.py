"""The Python-source importer (model code is parsed, never run)."""
