"""Errors meant for the person using the device: one line, saying what is wrong and the fix."""


class UserError(Exception):
    """A mistake or missing piece the user can fix; printed as one line, never as a traceback."""


class InputExhausted(Exception):
    """A replay or typed input has no more answers: the session ends, keeping what it has."""
