"""Messaging-platform adapters: platform payload <-> Message/Reply.

Each adapter verifies the request before parsing it, turns it into the engine's
:class:`~bot.core.models.Message`, and renders the :class:`~bot.core.models.Reply`
in the platform's own markup. Adapters never decide what to answer and never
import Flask: ``bot.server.webhooks`` translates HTTP to :class:`Inbound` and back.
"""
