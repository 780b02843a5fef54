"""Conversation: what the device asks, how it hears the reply, and what the answers mean.

The values that flow between the parts (Heard, Answer, StoredAnswer...), the roles they are
passed through (Listener, Voice, Journal), understanding short replies, the one turn-taking
core (asking.py), and the conversations built on it: the reflection session, the weekly talk
and its summary, the dilemma recorder. Pure logic over roles: never imports hardware (speech),
the journal's storage, the service or the pages, so all of it is tested with fakes.
"""
