"""Reading a post's platform and id from its address (``campaigns.post_urls``, pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.post_urls import NOT_WEB, PostRef, post_url_problem, read_post_url

IG = "https://www.instagram.com"
YT_ID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Instagram: /p/, /reel/, /reels/, /tv/, behind a username, any host form.
        (f"{IG}/p/CxYz123AbC/", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        ("https://instagram.com/p/CxYz123AbC", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        ("instagram.com/p/CxYz123AbC/?igsh=abc123", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        ("http://m.instagram.com/p/CxYz123AbC/#c", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        ("www.instagram.com/reel/C9abcDEF_-1/", PostRef("instagram", "C9abcDEF_-1", "reel", f"{IG}/reel/C9abcDEF_-1/")),
        (f"{IG}/reels/C9abcDEF_-1/", PostRef("instagram", "C9abcDEF_-1", "reel", f"{IG}/reel/C9abcDEF_-1/")),
        (f"{IG}/tv/B7xyzabcdE/", PostRef("instagram", "B7xyzabcdE", "video", f"{IG}/tv/B7xyzabcdE/")),
        (f"{IG}/mia.glow/p/CxYz123AbC/", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        ("HTTPS://WWW.INSTAGRAM.COM/p/CxYz123AbC/", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        ("  https://www.instagram.com/p/CxYz123AbC/  ", PostRef("instagram", "CxYz123AbC", None, f"{IG}/p/CxYz123AbC/")),
        # TikTok: /@user/video/<id>.
        (
            "https://www.tiktok.com/@mia.glow/video/7301234567890123456?is_from_webapp=1",
            PostRef("tiktok", "7301234567890123456", "video",
                    "https://www.tiktok.com/@mia.glow/video/7301234567890123456"),
        ),
        (
            "m.tiktok.com/@Mia_Glow/video/7301234567890123456/",
            PostRef("tiktok", "7301234567890123456", "video",
                    "https://www.tiktok.com/@mia_glow/video/7301234567890123456"),
        ),
        (
            "tiktok.com/@mia/photo/7301234567890123456",
            PostRef("tiktok", "7301234567890123456", None,
                    "https://www.tiktok.com/@mia/photo/7301234567890123456"),
        ),
        # YouTube: watch?v=, youtu.be, shorts, embed, live.
        (f"https://www.youtube.com/watch?v={YT_ID}", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"youtube.com/watch?feature=share&v={YT_ID}&t=42s", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"https://m.youtube.com/watch?v={YT_ID}", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"https://youtu.be/{YT_ID}?si=xyz", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"youtu.be/{YT_ID}/", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"https://www.youtube.com/shorts/{YT_ID}/", PostRef("youtube", YT_ID, "short", f"https://www.youtube.com/shorts/{YT_ID}")),
        (f"https://www.youtube.com/embed/{YT_ID}?autoplay=1", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"https://www.youtube-nocookie.com/embed/{YT_ID}", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"https://www.youtube.com/live/{YT_ID}?feature=shared", PostRef("youtube", YT_ID, "live", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"//www.youtube.com/watch?v={YT_ID}", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
        (f"https://www.youtube.com:443/watch?v={YT_ID}", PostRef("youtube", YT_ID, "video", f"https://www.youtube.com/watch?v={YT_ID}")),
    ],
)
def test_it_reads_a_post_address(url: str, expected: PostRef) -> None:
    assert read_post_url(url) == expected
    assert post_url_problem(url) == ""


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("", "Not a web address"),
        ("javascript:alert(1)", "Not a web address"),
        ("ftp://www.instagram.com/p/CxYz123AbC/", "Not a web address"),
        ("data:text/html,hi", "Not a web address"),
        ("mailto:mia@instagram.com", "Not a web address"),
        ("https://www.instagram.com/p/Cx Yz/", "Not a web address"),
        ("https://[::1", "Not a web address"),
        # A host that only contains a platform's name is another host.
        ("https://instagram.com.evil.io/p/CxYz123AbC/", "instagram.com.evil.io"),
        ("https://evil-instagram.com/p/CxYz123AbC/", "evil-instagram.com"),
        ("https://www.instagram.com@evil.io/p/CxYz123AbC/", "evil.io"),
        ("https://notyoutube.com/watch?v=dQw4w9WgXcQ", "notyoutube.com"),
        ("https://youtu.be.evil.io/dQw4w9WgXcQ", "youtu.be.evil.io"),
        ("https://www.facebook.com/mia/posts/123456", "www.facebook.com"),
        # A platform's address that is not one post.
        ("https://www.instagram.com/mia.glow/", "not a link to one post"),
        ("https://www.instagram.com/p/", "not a link to one post"),
        ("https://www.instagram.com/p/ab/", "not a link to one post"),
        ("https://www.tiktok.com/@mia.glow", "not a link to one post"),
        ("https://vm.tiktok.com/ZMabc123/", "vm.tiktok.com"),
        ("https://www.tiktok.com/@mia/video/notanumber", "not a link to one post"),
        ("https://www.youtube.com/@miaglow", "not a link to one post"),
        ("https://www.youtube.com/watch?v=short", "not a link to one post"),
        ("https://www.youtube.com/watch", "not a link to one post"),
        ("https://youtu.be/", "not a link to one post"),
    ],
)
def test_it_refuses_what_is_not_a_post_and_says_why(url: str, why: str) -> None:
    assert read_post_url(url) is None
    assert why in post_url_problem(url)


def test_a_non_web_address_is_named_as_such() -> None:
    assert post_url_problem("javascript:alert(document.cookie)") == NOT_WEB


@given(st.text())
def test_it_never_raises_on_arbitrary_text(text: str) -> None:
    found = read_post_url(text)
    assert found is None or isinstance(found, PostRef)
    assert isinstance(post_url_problem(text), str)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_it_never_raises_after_a_platform_prefix(tail: str) -> None:
    for prefix in ("https://www.instagram.com/", "https://youtu.be/", "tiktok.com/@a/video/",
                   "https://www.youtube.com/watch?v=", "http://", "//"):
        found = read_post_url(prefix + tail)
        assert found is None or (found.platform and found.external_id)


@given(st.from_regex(r"[A-Za-z0-9_-]{11}", fullmatch=True))
def test_every_youtube_id_reads_back_from_its_canonical_url(video_id: str) -> None:
    found = read_post_url(f"https://youtu.be/{video_id}")
    assert found is not None and found.external_id == video_id
    assert read_post_url(found.url) == found
