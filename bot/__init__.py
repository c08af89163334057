"""healthbot: plain-language, cited answers about health topics.

The package is split so that the answering engine (``bot.core``) knows nothing of
HTTP, platforms or disk; ``bot.content`` turns YAML into a validated snapshot,
``bot.sessions`` keeps conversation state, ``bot.channels`` translates platform
payloads, and ``bot.server`` is the only Flask code.
"""

__version__ = "0.1.0"
