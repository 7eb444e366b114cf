"""Templates gallery page."""

from ui import gallery

gallery.render()
