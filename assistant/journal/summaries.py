"""The week summaries: the one last composed of each week, in that week's file.

A summary quotes answers, so it must not outlive them: when answers of a week are erased or
corrected, the summaries that may repeat the old words go too (and their older backups).
"""

from __future__ import annotations

from datetime import date, timedelta

from tinydb.table import Table

from assistant.conversation.dialogue import StoredSummary
from assistant.journal.records import stored_summary, summary_record
from assistant.journal.weekfiles import SUMMARIES, WeekFiles
from assistant.weeks import week_files, week_of_date


class Summaries:
    """The summaries table of every week file in files."""

    def __init__(self, files: WeekFiles) -> None:
        self._files = files

    def save(self, iso_year: int, iso_week: int, summary: StoredSummary) -> None:
        """Keep the summary composed of that week (replacing an older one), durably."""
        record = summary_record(summary)

        def replace(table: Table) -> None:
            table.truncate()
            table.insert(record)
        with self._files.writing():
            self._files.change(iso_year, iso_week, replace, table=SUMMARIES)

    def of_week(self, iso_year: int, iso_week: int) -> StoredSummary | None:
        """The summary last composed of that week, or None."""
        found = self._files.read([(iso_year, iso_week)], table=SUMMARIES)
        return stored_summary(found[-1][1]) if found else None

    def last(self) -> StoredSummary | None:
        """The stored summary of the newest week that has one (most often this week or the last)."""
        for year, week, _ in reversed(week_files(self._files.folder)):
            found = self.of_week(year, week)
            if found is not None:
                return found
        return None

    def drop_quoting(self, year: int, week: int) -> None:
        """Summaries of this week and the next may repeat erased words: they go too.

        (The next week's summary names the intention set in this one.) Caller holds the lock.
        """
        monday = date.fromisocalendar(year, week, 1)
        for y, w in (week_of_date(monday), week_of_date(monday + timedelta(days=7))):
            path = self._files.path(y, w)
            if path.exists() and self._files.read_week(y, w, True, SUMMARIES):
                self._files.change(y, w, lambda t: t.truncate(), table=SUMMARIES)
                self._files.backups.keep_newest_only(path)
