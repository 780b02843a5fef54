"""The journal: the person's answers on the device, and nothing ever lost.

Week files written atomically and checksummed, backups and repair, migration of old layouts,
answers a full card would not take held for later, the profile, and the commands that read or
change what is kept (export, list, edit, forget). Never imports speech, the service or pages.
"""
