"""Speech: sound in and out, and words from sound.

The audio edges (PortAudio microphone and speaker, WAV and typed front doors), the speech
detector and turn timing, the Vosk listener and the wake watcher, the voices (Piper,
espeak-ng) with their cache and downloads, and the Vosk models. What was said goes up as
`Heard`; what to say comes down as text. Never imports the journal, the service or the pages.
"""
