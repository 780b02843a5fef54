"""Pages people look at or print: the page of the weeks (HTML with charts) and the workshop
sheet. Read from the journal, never from speech or the service.
"""
