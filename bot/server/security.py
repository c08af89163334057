"""Security headers on every response, and CORS for the widget's chat endpoint.

The widget is embedded on other sites, so ``/api/chat`` must answer cross-origin
requests -- but only from the sites the operator listed in
``HEALTHBOT_CORS_ORIGINS``. Nothing else gets CORS headers: the admin API in
particular must never be readable from a browser on another origin.
"""

from __future__ import annotations

from flask import Flask, Request, Response, request

from bot.runtime import Runtime

#: The only path a browser on another origin may call.
CORS_PATHS = frozenset({"/api/chat"})
CORS_METHODS = "POST, OPTIONS"
CORS_HEADERS = "Content-Type, X-Healthbot-Locale"
CORS_MAX_AGE = "600"

#: For JSON and anything without its own policy: load nothing, be framed by no one.
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)
#: Paths other sites may load as a resource (the embed script).
CROSS_ORIGIN_RESOURCES = frozenset({"/widget.js"})


def normalize_origin(origin: str) -> str:
    """Origins compare as scheme://host[:port], lower case, no trailing slash."""
    return origin.strip().rstrip("/").lower()


class CorsPolicy:
    """Decides which ``Origin`` may read ``/api/chat``; ``*`` allows any."""

    def __init__(self, origins: tuple[str, ...]) -> None:
        cleaned = {normalize_origin(o) for o in origins if o.strip()}
        self.any = "*" in cleaned
        self.origins = frozenset(cleaned - {"*"})

    def allowed(self, origin: str | None) -> bool:
        if not origin or origin == "null":
            return False
        return self.any or normalize_origin(origin) in self.origins

    def headers(self, origin: str) -> dict[str, str]:
        # '*' is only ever sent without credentials; this API uses none.
        return {"Access-Control-Allow-Origin": "*" if self.any else origin}


def _is_cors_path(req: Request) -> bool:
    return req.path in CORS_PATHS


def _preflight(policy: CorsPolicy) -> Response | None:
    """Answer ``OPTIONS /api/chat`` ourselves, before Flask's automatic OPTIONS."""
    if request.method != "OPTIONS" or not _is_cors_path(request):
        return None
    origin = request.headers.get("Origin")
    response = Response(status=204)
    response.headers["Allow"] = CORS_METHODS
    response.vary.add("Origin")
    if policy.allowed(origin):
        assert origin is not None
        response.headers.update(policy.headers(origin))
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    return response


def _add_cors(response: Response, policy: CorsPolicy) -> None:
    if request.path.startswith("/admin"):
        # Defence in depth: whatever another hook did, admin is never cross-origin.
        for key in [k for k in response.headers.keys() if k.lower().startswith("access-control-")]:
            del response.headers[key]
        return
    if not _is_cors_path(request):
        return
    if "Vary" in response.headers:
        response.vary.add("Origin")
    else:  # the common case, without parsing and re-serialising a header set
        response.headers["Vary"] = "Origin"
    origin = request.headers.get("Origin")
    if policy.allowed(origin) and request.method != "OPTIONS":
        assert origin is not None
        response.headers.update(policy.headers(origin))


#: Headers every response gets unless a route set its own (name, value): checked once per response.
_SECURITY_HEADERS = (
    ("Content-Security-Policy", DEFAULT_CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


def _add_security_headers(response: Response) -> None:
    headers = response.headers
    # One pass over the names a route set, rather than a scan of the list per header.
    present = {name.lower() for name in headers.keys()}
    path = request.path
    missing = [(name, value) for name, value in _SECURITY_HEADERS if name.lower() not in present]
    if "cross-origin-resource-policy" not in present:
        missing.append(("Cross-Origin-Resource-Policy",
                        "cross-origin" if path in CROSS_ORIGIN_RESOURCES else "same-origin"))
    if request.is_secure and "strict-transport-security" not in present:
        missing.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    headers.extend(missing)
    if path.startswith(("/api/", "/admin")):
        # Patient text and operator data must not sit in shared or browser caches.
        headers["Cache-Control"] = "no-store"


def init_app(app: Flask, runtime: Runtime) -> None:
    policy = CorsPolicy(runtime.settings.cors_origins)
    app.extensions["healthbot.cors"] = policy

    @app.before_request
    def _cors_preflight():
        return _preflight(policy)

    @app.after_request
    def _secure(response: Response) -> Response:
        _add_cors(response, policy)
        _add_security_headers(response)
        return response
