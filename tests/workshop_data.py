"""The README's worked example as steps the tests take (unit golden pages and the browser test):
three devices' exports (tests/fixtures/workshop) imported, planned, the scenarios written, four
dilemmas decided, through the command line exactly as a moderator types it.
"""

from __future__ import annotations

from pathlib import Path

from assistant.cli import main

DEVICES = Path(__file__).parent / "fixtures" / "workshop"
EXPORTS = ("office.json", "laptop.json", "van.json")
SCENARIOS = {  # dilemma -> its three scenarios (the third in line with the strategy)
    1: ("Accept the higher price today", "Wait for the framework contract", "Patch it now, repair within the contract"),
    2: ("The lock first", "The heating first", "Call in a second mechanic for the heating"),
    3: ("Repair it for free", "Refuse", "Repair it and charge the standard fee"),
    4: ("A third plan", "Hand it to the arrears team", "A plan together with a budget coach"),
    5: ("Give the best guess", "Promise a call back next week", "Ask the team lead today"),
    6: ("Advice only", "Share the cost", "Clean and insulate, with advice on airing"),
    7: ("Say no", "Make an exception", "Put it to the allocation team"),
    8: ("The standard only", "Any colour, paid by the tenant", "A short list of colours"),
}
DECISIONS = (("1", "yes", "3"), ("2", "yes", "1"), ("3", "no", None), ("6", "no", None))
UNSAFE = 'A <script>alert("x")</script> & <b>bold</b> scenario'


def moderate(data: Path, language: str = "en", unsafe: bool = False) -> None:
    """The whole loop up to the pages; every step must succeed."""
    common = ["--data-dir", str(data), "--lang", language]
    assert main(["workshop", "import", *(str(DEVICES / name) for name in EXPORTS), *common]) == 0
    assert main(["workshop", "plan", *common]) == 0
    for number, texts in SCENARIOS.items():
        for n, text in enumerate(texts, start=1):
            said = UNSAFE if unsafe and (number, n) == (3, 2) else text
            assert main(["workshop", "scenario", str(number), str(n), said, *common]) == 0
    for number, consensus, scenario in DECISIONS:
        extra = ["--scenario", scenario] if scenario else []
        assert main(["workshop", "decide", number, "--consensus", consensus, *extra, *common]) == 0
