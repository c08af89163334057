"""The only Flask code: the app factory, routes and error handlers."""

from bot.server.app import create_app

__all__ = ["create_app"]
