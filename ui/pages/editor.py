"""Editor page (a file page so that AppTest can switch to it)."""

from ui import editor

editor.render()
