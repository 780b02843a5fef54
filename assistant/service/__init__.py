"""The always-on service: one conversation at a time, from the schedule, a trigger or the wake
phrase; the control socket `assistant trigger` talks to; systemd's notify and watchdog.

It receives its parts (device.py's OpenParts) from the wiring in assistant/parts.py.
"""
