"""Reading a post's platform and id from its address, pure (no ORM; the refusals are lazy
translations, read in the active language).

``read_post_url`` knows the addresses a creator or a browser hands out for one post:

- Instagram: ``instagram.com/p/<code>/``, ``/reel/<code>/``, ``/reels/<code>/``, ``/tv/<code>/``
  (also behind a username: ``/<user>/p/<code>/``);
- TikTok: ``tiktok.com/@<user>/video/<id>`` (and ``/photo/<id>``);
- YouTube: ``youtube.com/watch?v=<id>``, ``youtu.be/<id>``, ``/shorts/<id>``, ``/embed/<id>``,
  ``/live/<id>``.

``www.`` and ``m.`` hosts, a missing scheme, query strings, fragments and trailing slashes are
fine. Anything else — another scheme, a host that merely contains a platform's name
(``instagram.com.evil.io``), a profile or a short link that hides the id (``vm.tiktok.com``) —
is not read: ``post_url_problem`` says why, and the caller asks for the platform and id instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext_lazy

MAX_URL_LENGTH = 2000

INSTAGRAM_HOSTS = frozenset({"instagram.com", "www.instagram.com", "m.instagram.com"})
TIKTOK_HOSTS = frozenset({"tiktok.com", "www.tiktok.com", "m.tiktok.com"})
YOUTUBE_HOSTS = frozenset({
    "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
    "youtube-nocookie.com", "www.youtube-nocookie.com",
})
YOUTU_BE_HOSTS = frozenset({"youtu.be", "www.youtu.be"})

INSTAGRAM_CODE = re.compile(r"[A-Za-z0-9_-]{5,64}")
TIKTOK_ID = re.compile(r"[0-9]{5,30}")
TIKTOK_USER = re.compile(r"@[A-Za-z0-9_.]{1,50}")
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
SCHEME_AND_SLASHES = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")

# Path word → the post type an Instagram address says (``/p/`` says nothing: photo, carousel
# or video).
INSTAGRAM_KINDS = {"p": None, "reel": "reel", "reels": "reel", "tv": "video"}

# Compared by the forms (``problem == NOT_WEB``): a lazy text equals its reading in the active
# language, which is what ``post_url_problem`` returns.
NOT_WEB = gettext_lazy("Not a web address: give an http(s) link.")
NOT_KNOWN = gettext_lazy(
    "Only Instagram, TikTok and YouTube links are read; %(host)s is none of them."
)
NOT_A_POST = gettext_lazy(
    "This %(platform)s link is not a link to one post (a profile or a short link?)."
)


@dataclass(frozen=True)
class PostRef:
    """What an address says about a post. ``post_type`` is ``None`` when the address does not
    say (an Instagram ``/p/`` link); ``url`` is the canonical address."""

    platform: str
    external_id: str
    post_type: str | None
    url: str


def read_post_url(url: str) -> PostRef | None:
    """The post an address points to, or ``None`` (``post_url_problem`` says why)."""
    found = _read(url)
    return found if isinstance(found, PostRef) else None


def post_url_problem(url: str) -> str:
    """Why ``read_post_url`` reads nothing from ``url`` ("" when it reads a post)."""
    found = _read(url)
    return "" if isinstance(found, PostRef) else found


def _read(url: str) -> PostRef | str:
    text = url.strip() if isinstance(url, str) else ""
    if not text or len(text) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in text):
        return str(NOT_WEB)
    if text.startswith("//"):
        text = "https:" + text
    elif SCHEME_AND_SLASHES.match(text):
        pass  # its scheme is checked below
    elif (scheme := SCHEME.match(text)) and not text[scheme.end():][:1].isdigit():
        return str(NOT_WEB)  # mailto:, javascript:, data: … (but "host:443/…" is a host and a port)
    else:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return str(NOT_WEB)
    if parts.scheme.lower() not in ("http", "https") or not host:
        return str(NOT_WEB)
    segments = [s for s in parts.path.split("/") if s]
    query = parts.query
    if host in INSTAGRAM_HOSTS:
        return _instagram(segments) or NOT_A_POST % {"platform": "Instagram"}
    if host in TIKTOK_HOSTS:
        return _tiktok(segments) or NOT_A_POST % {"platform": "TikTok"}
    if host in YOUTUBE_HOSTS or host in YOUTU_BE_HOSTS:
        return _youtube(host, segments, query) or NOT_A_POST % {"platform": "YouTube"}
    return NOT_KNOWN % {"host": host}


def _instagram(segments: list[str]) -> PostRef | None:
    # /p/<code>/ or /<user>/p/<code>/ (and the reel and tv variants).
    for kind_at in (0, 1):
        if len(segments) > kind_at + 1 and segments[kind_at].lower() in INSTAGRAM_KINDS:
            code = segments[kind_at + 1]
            if not INSTAGRAM_CODE.fullmatch(code):
                return None
            word = segments[kind_at].lower()
            path = "reel" if word == "reels" else word
            url = f"https://www.instagram.com/{path}/{code}/"
            return PostRef("instagram", code, INSTAGRAM_KINDS[word], url)
    return None


def _tiktok(segments: list[str]) -> PostRef | None:
    if len(segments) >= 3 and TIKTOK_USER.fullmatch(segments[0]):
        kind, post_id = segments[1].lower(), segments[2]
        if kind in ("video", "photo") and TIKTOK_ID.fullmatch(post_id):
            user = segments[0].lower()
            post_type = "video" if kind == "video" else None
            url = f"https://www.tiktok.com/{user}/{kind}/{post_id}"
            return PostRef("tiktok", post_id, post_type, url)
    return None


def _youtube(host: str, segments: list[str], query: str) -> PostRef | None:
    video_id, post_type = "", "video"
    if host in YOUTU_BE_HOSTS:
        video_id = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        values = parse_qs(query).get("v") or [""]
        video_id = values[0]
    elif len(segments) >= 2 and segments[0] in ("shorts", "embed", "live", "v"):
        video_id = segments[1]
        post_type = {"shorts": "short", "live": "live"}.get(segments[0], "video")
    if not YOUTUBE_ID.fullmatch(video_id):
        return None
    if post_type == "short":
        return PostRef("youtube", video_id, "short", f"https://www.youtube.com/shorts/{video_id}")
    return PostRef("youtube", video_id, post_type, f"https://www.youtube.com/watch?v={video_id}")
