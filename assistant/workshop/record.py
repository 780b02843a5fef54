"""One dilemma as the moderator holds it: what the teller shared, where it came from, and what
the moderator and the group added (three scenarios, a session, consensus and the scenario agreed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SCENARIOS = (1, 2, 3)
STRATEGY_SCENARIO = 3  # the one the moderator prepares in line with the strategy
SHARED_PARTS = ("situation", "goals", "options", "last_time")  # the teller's words, as confirmed


def is_text(value: str) -> bool:
    """Whether the text can be written (UTF-8): a lone surrogate cannot. It comes from "\\ud800"
    in an export's JSON, or from a command-line argument in another encoding (Python decodes
    those bytes as surrogates), and would make every later write of the workshop file fail."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


NOT_TEXT = "not valid text (half of a character, or another encoding than UTF-8)"


class Consensus(StrEnum):
    OPEN = ""      # not discussed yet
    YES = "yes"
    NO = "no"


class Route(StrEnum):
    """Where a dilemma goes after its session."""

    OPEN = "open"          # not decided yet
    APPROVAL = "approval"  # consensus: put to the board for approval
    VOTE = "vote"          # no consensus: the board votes, with cards, at the same moment


@dataclass(frozen=True)
class WorkshopDilemma:
    id: int              # the moderator's number: what `workshop decide ID` takes
    key: str             # device/recording: the same dilemma on every re-import, from any file
    source: str          # the export file it came from
    participant: str     # who told it (see exchange.py: a device, or each teller on a shared one)
    date: str            # the day it was recorded, YYYY-MM-DD
    family: str          # function family, lower case
    situation: str
    goals: str
    options: str
    last_time: str
    scenarios: tuple[str, str, str] = ("", "", "")
    session: int = 0     # its family's session number (0: not planned)
    consensus: Consensus = Consensus.OPEN
    agreed: int = 0      # the scenario the group agreed on (with consensus yes)

    def scenario(self, number: int) -> str:
        return self.scenarios[number - 1]

    @property
    def route(self) -> Route:
        if self.consensus is Consensus.YES:
            return Route.APPROVAL
        return Route.VOTE if self.consensus is Consensus.NO else Route.OPEN

    @property
    def off_strategy(self) -> bool:
        """Agreed, but on a scenario other than the one in line with the strategy: flagged."""
        return self.consensus is Consensus.YES and self.agreed != STRATEGY_SCENARIO
