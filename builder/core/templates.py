"""Templates: documented, loadable models shipped as package data in ``builder/templates/<name>.json`` + ``<name>.md``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .graph import Graph, loads

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    summary: str
    path: Path
    doc: str  # the markdown document

    def load(self) -> Graph:
        return loads(self.path.read_bytes())


def _title_and_summary(doc: str, fallback: str) -> tuple[str, str]:
    title, summary = fallback, ""
    lines = doc.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# "):
            title = line[2:].strip()
            para = []
            for rest in lines[i + 1 :]:
                if not rest.strip():
                    if para:
                        break
                    continue
                if rest.startswith("#"):
                    break
                para.append(rest.strip())
            summary = " ".join(para)
            break
    return title, summary


@lru_cache(maxsize=4)
def _scan(directory: Path) -> tuple[Template, ...]:
    out = []
    for path in sorted(directory.glob("*.json")):
        md = path.with_suffix(".md")
        doc = md.read_text(encoding="utf-8") if md.exists() else ""
        title, summary = _title_and_summary(doc, path.stem)
        out.append(Template(path.stem, title, summary, path, doc))
    return tuple(out)


def list_templates(directory: Path | None = None) -> list[Template]:
    return list(_scan(directory or TEMPLATE_DIR))


def get_template(name: str, directory: Path | None = None) -> Template:
    for t in list_templates(directory):
        if t.name == name:
            return t
    known = ", ".join(t.name for t in list_templates(directory))
    raise KeyError(f"no template named {name!r}; templates: {known}")
