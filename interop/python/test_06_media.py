"""Media through matrix-nio 0.20.1, which uses the /_matrix/media/r0/ prefix: upload, download,
thumbnail, and what the freeze of unauthenticated media means for such a client."""

import io
from urllib.parse import urlparse

import nio
from nio import ResizingMethod
from nio import responses as r

from harness import check, describe, event_in, fails, image_size, ok, png, raw, shared_room, sync_until


def parts(mxc):
    url = urlparse(mxc)
    return url.netloc, url.path.lstrip("/")


async def authenticated(client, kind, mxc, query=""):
    """GET /_matrix/client/v1/media/{kind}/... with the token, as newer nio versions do."""
    server, media_id = parts(mxc)
    resp = await client.send("GET", f"/_matrix/client/v1/media/{kind}/{server}/{media_id}{query}",
                             headers={"Authorization": f"Bearer {client.access_token}"})
    return resp.status, resp.headers.get("Content-Type", ""), await resp.read()


async def test_upload_and_config(t):
    """uploads a PNG and a text file (r0 upload) and reads the upload limit (r0 config)"""
    alice = await t.user("alice")
    image = png(200, 150)
    up, keys = await alice.upload(io.BytesIO(image), "image/png", "gradient.png",
                                  filesize=len(image))
    ok(up, r.UploadResponse)
    check(keys is None, "no decryption keys for a plain upload")
    check(up.content_uri.startswith("mxc://"), f"{up.content_uri}")
    text = "grüße, nio\n".encode()
    up2, _ = await alice.upload(io.BytesIO(text), "text/plain; charset=utf-8", "hello.txt",
                                filesize=len(text))
    ok(up2, r.UploadResponse)
    check(up2.content_uri != up.content_uri, "two media ids")
    status, ctype, body = await authenticated(alice, "download", up2.content_uri)
    check(status == 200 and body == text, f"the text back: {status} {body!r}")
    check(ctype.startswith("text/plain"), f"content type {ctype}")
    config = ok(await alice.content_repository_config(), r.ContentRepositoryConfigResponse)
    check(config.upload_size and config.upload_size >= len(image), f"{config}")


async def test_download_frozen(t):
    """r0 download and thumbnail of new media are 404 under the freeze; v1 serves them to the token

    As on Synapse with enable_authenticated_media on (the default): nio 0.20.1 sends no token to
    /_matrix/media/r0/download, and media uploaded now are served only on the authenticated
    /_matrix/client/v1/media endpoints (which newer nio versions use)."""
    alice = await t.user("alice")
    image = png(200, 150)
    up = ok((await alice.upload(io.BytesIO(image), "image/png", "g.png",
                                filesize=len(image)))[0], r.UploadResponse)
    server, media_id = parts(up.content_uri)
    download = await alice.download(up.content_uri)
    if isinstance(download, r.DownloadResponse):
        # The server does not freeze unauthenticated media (enable_authenticated_media off):
        # nio's own download works; the next test checks it fully.
        check(download.body == image, "the same bytes")
        return
    fails(download, r.DownloadError, "M_NOT_FOUND", 404)
    thumb = await alice.thumbnail(server, media_id, 96, 96, ResizingMethod.crop)
    # nio reads a JSON error to a thumbnail request as "invalid content type": look at the body.
    check(isinstance(thumb, r.ThumbnailError) and thumb.transport_response.status == 404
          and raw(thumb)["errcode"] == "M_NOT_FOUND", f"404 M_NOT_FOUND: {describe(thumb)}")

    status, ctype, body = await authenticated(alice, "download", up.content_uri)
    check(status == 200 and body == image, f"byte-identical with the token: {status}")
    check(ctype == "image/png", f"content type {ctype}")
    status, ctype, body = await authenticated(
        alice, "thumbnail", up.content_uri, "?width=96&height=96&method=crop")
    check(status == 200 and image_size(body) == (96, 96), f"a 96x96 thumbnail: {status} {ctype}")
    anonymous = await alice.send("GET", f"/_matrix/client/v1/media/download/{server}/{media_id}")
    check(anonymous.status == 401, f"401 without the token, got {anonymous.status}")


async def test_download_r0(t):
    """downloads and thumbnails with nio's r0 calls on a server without the freeze

    A server of the test's own with enable_authenticated_media off: download (with the upload's
    file name, and with another), thumbnails cropped and scaled, an unknown media id."""
    hs = await t.own_server({"enable_authenticated_media": False})
    alice = await t.user("alice", base_url=hs)
    image = png(200, 150)
    up = ok((await alice.upload(io.BytesIO(image), "image/png", "gradient.png",
                                filesize=len(image)))[0], r.UploadResponse)
    server, media_id = parts(up.content_uri)
    download = ok(await alice.download(up.content_uri), r.DownloadResponse)
    check(download.body == image, "byte-identical")
    check(download.content_type == "image/png", f"{download.content_type}")
    check(download.filename == "gradient.png", f"the upload's name: {download.filename}")
    named = ok(await alice.download(up.content_uri, filename="other.png"), r.DownloadResponse)
    check(named.filename == "other.png" and named.body == image, f"{named.filename}")
    crop = ok(await alice.thumbnail(server, media_id, 96, 96, ResizingMethod.crop),
              r.ThumbnailResponse)
    check(image_size(crop.body) == (96, 96), f"crop to 96x96: {image_size(crop.body)}")
    scale = ok(await alice.thumbnail(server, media_id, 100, 100, ResizingMethod.scale),
               r.ThumbnailResponse)
    width, height = image_size(scale.body)
    check(width <= 200 and height <= 150 and abs(width / height - 4 / 3) < 0.05,
          f"scaled, same aspect: {width}x{height}")
    fails(await alice.download(f"mxc://{server}/nosuchmedia"), r.DownloadError, "M_NOT_FOUND", 404)


async def test_encrypted_attachment(t):
    """uploads an encrypted attachment, sends it as m.file, and the other member decrypts it

    upload(encrypt=True) gives the keys that go in the event; bob downloads the ciphertext and
    decrypts it with nio's decrypt_attachment."""
    alice = await t.user("alice")
    bob = await t.user("bob")
    room_id = await shared_room(t, alice, bob)
    secret = b"attachment bytes " * 100
    up, keys = await alice.upload(io.BytesIO(secret), "application/octet-stream", "s.bin",
                                  encrypt=True, filesize=len(secret))
    ok(up, r.UploadResponse)
    check(keys and keys["key"]["alg"] == "A256CTR", f"decryption keys: {keys}")
    content = {"msgtype": "m.file", "body": "s.bin", "file": {**keys, "url": up.content_uri}}
    sent = ok(await alice.room_send(room_id, "m.room.message", content), r.RoomSendResponse)
    got = await sync_until(bob, lambda resp: event_in(
        resp, room_id, lambda e: e.event_id == sent.event_id), "the m.file")
    file = got.source["content"]["file"]
    status, _, body = await authenticated(bob, "download", file["url"])
    check(status == 200 and body != secret, f"ciphertext served: {status}")
    plain = nio.crypto.decrypt_attachment(body, file["key"]["k"], file["hashes"]["sha256"],
                                          file["iv"])
    check(plain == secret, "decrypts to the original bytes")
