"""The store's errors. Every message names the model it is about (by name and id)."""

from __future__ import annotations


class StoreError(Exception):
    """Anything the workspace cannot do; the message is one line for the user."""


class NotFoundError(StoreError, KeyError):
    """No such model, version, run or share token (or it was purged)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ConflictError(StoreError):
    """The model was saved elsewhere (another tab or server) since this copy was read.

    ``expected`` is the revision this copy was based on, ``actual`` the one in the database.
    The caller reloads (``Workspace.get_model``) or keeps its graph as a new version
    (``Workspace.create_version(model_id, graph=...)``) or a new model (``create_model``).
    """

    def __init__(self, model_id: str, name: str, expected: int, actual: int) -> None:
        self.model_id, self.name, self.expected, self.actual = model_id, name, expected, actual
        super().__init__(
            f"model {name!r} was changed elsewhere (revision {actual}; this copy is based on revision "
            f"{expected}): reload it, or keep your graph as a new version or a new model"
        )


class CorruptError(StoreError):
    """A row or blob that cannot be read. Only that model is affected."""

    def __init__(self, model_id: str, name: str, what: str) -> None:
        self.model_id, self.name, self.what = model_id, name, what
        super().__init__(f"model {name!r} (id {model_id}): {what}")
