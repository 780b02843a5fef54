"""The moderator's side of the "kleine keuzes" workshop: many devices' dilemmas merged into one
workshop file, planned into sessions, given scenarios and outcomes (pure logic and its files).

Nothing here reads a journal: a dilemma arrives only through a device's export
(`assistant dilemmas export --format json`), which holds confirmed dilemmas and nothing else.
The pages to print are in assistant/pages/ (moderator.py, board.py).
"""
