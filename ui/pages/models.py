"""Models page: the workspace's models, versions, diffs, shares and training runs."""

from ui import models

models.render()
