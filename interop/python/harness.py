"""Helpers for the matrix-nio tests: fresh users, checked responses, bounded sync loops.

Every test gets a `Context` (its temporary directory and the clients it made, closed by the
runner afterwards, also when the test fails or runs out of time).
"""

import asyncio
import json
import os
import random
import re
import socket
import string
import struct
import time
import zlib

import logbook
import nio
from nio import AsyncClient, AsyncClientConfig
from nio.log import logger_group

BASE_URL = os.environ.get("MYELIN_BASE_URL", "")
SERVER_NAME = os.environ.get("MYELIN_SERVER_NAME", "localhost")
PASSWORD = "interop-password-1"
# How long a test waits for something to show up through sync (seconds).
WAIT = float(os.environ.get("INTEROP_WAIT_MS", "15000")) / 1000


class SchemaWarnings(logbook.Handler):
    """Keeps nio's "Error validating response" warnings: a response that fails nio's schema
    becomes an error response whose message says only "unknown error"."""

    def __init__(self):
        super().__init__(level=logbook.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.message)


schema_warnings = SchemaWarnings()
logger_group.level = logbook.WARNING
# The handler keeps warnings only; without a handler logbook would print them to stderr.
schema_warnings.push_application()


def describe(resp):
    """The response, the request it answered and its raw body, for an assertion message."""
    text = str(resp) if isinstance(resp, nio.ErrorResponse) else type(resp).__name__
    transport = getattr(resp, "transport_response", None)
    if transport is not None:
        body = getattr(transport, "_body", None) or b""
        text += (
            f" (HTTP {transport.status} for {transport.method} {transport.url.path};"
            f" body {body[:400].decode('utf-8', 'replace')})"
        )
    invalid = [m for m in schema_warnings.messages if m.startswith("Error validating response")]
    if invalid:
        text += f"; nio's schema check: {invalid[-1]}"
    return text


def raw(resp):
    """The JSON body of the HTTP response nio made resp from (for fields nio does not keep)."""
    return json.loads(resp.transport_response._body)


def ok(resp, cls):
    """Asserts that resp is a cls (a nio success response) and returns it."""
    if not isinstance(resp, cls):
        raise AssertionError(f"expected {cls.__name__}, got {describe(resp)}")
    return resp


def fails(resp, cls, errcode, status=None):
    """Asserts that resp is the error response cls with that errcode (and HTTP status)."""
    if not isinstance(resp, cls) or resp.status_code != errcode:
        raise AssertionError(f"expected {cls.__name__} {errcode}, got {describe(resp)}")
    if status is not None:
        got = resp.transport_response.status
        assert got == status, f"expected HTTP {status} with {errcode}, got {got}"
    return resp


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def unique(prefix):
    return prefix + "-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=8))


def user_id(localpart):
    return f"@{localpart}:{SERVER_NAME}"


class Context:
    """What one test owns: a temporary directory and the clients it made."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.clients = []
        self.servers = []

    def client(self, user="", device_id="", encryption=False, base_url=None):
        if encryption:
            store = os.path.join(self.tmp, f"store-{len(self.clients)}")
            os.makedirs(store)
            config = AsyncClientConfig(
                encryption_enabled=True, store_sync_tokens=False, max_limit_exceeded=3,
                max_timeouts=2, request_timeout=30)
        else:
            store = ""
            config = AsyncClientConfig(
                encryption_enabled=False, max_limit_exceeded=3, max_timeouts=2,
                request_timeout=30)
        client = AsyncClient(base_url or BASE_URL, user, device_id=device_id, store_path=store, config=config)
        self.clients.append(client)
        return client

    async def user(self, prefix, device_name="", encryption=False, base_url=None):
        """A freshly registered user (nio's register, m.login.dummy), logged in."""
        localpart = unique(prefix)
        client = self.client(encryption=encryption, base_url=base_url)
        ok(await client.register(localpart, PASSWORD, device_name), nio.RegisterResponse)
        client.localpart = localpart
        return client

    async def login(self, user, device_name="", encryption=False):
        """Another device of the user, logged in with the password."""
        client = self.client(user.user_id, encryption=encryption)
        ok(await client.login(PASSWORD, device_name=device_name), nio.LoginResponse)
        client.localpart = user.localpart
        return client

    async def own_server(self, settings):
        """Starts a homeserver of this test's own from MYELIN_JAR (as the suite's, registration
        open and rate limits lifted) with these top-level config settings, and returns its URL.
        It is stopped, by its PID, when the test ends."""
        server = OwnServer(os.path.join(self.tmp, f"hs-{len(self.servers)}"), settings)
        self.servers.append(server)
        return await server.start()

    async def test_server(self):
        """Starts `java -jar MYELIN_JAR test-server --port 0 --fake-clock` (a throwaway server,
        name localhost, on a clock the test moves) and returns its URL once it says it is ready.
        It is stopped, by its PID, when the test ends."""
        server = TestServerProcess(os.path.join(self.tmp, f"test-server-{len(self.servers)}"))
        self.servers.append(server)
        return await server.start()

    async def close(self):
        for client in self.clients:
            try:
                await asyncio.wait_for(client.close(), 5)
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
        for server in self.servers:
            await server.stop()


class ServerProcess:
    """A homeserver process of one test's own, its output kept in a log file, stopped by its PID
    with SIGTERM (SIGKILL if it does not exit within 15 s)."""

    process = None
    log = None
    drain = None

    def log_tail(self):
        self.log.flush()
        with open(self.log.name, "rb") as f:
            return f.read()[-1500:].decode("utf-8", "replace")

    async def stop(self):
        if self.process and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self.drain:
            await asyncio.wait_for(self.drain, 5)
        if self.log:
            self.log.close()


class OwnServer(ServerProcess):
    """A homeserver process of one test's own, on a free loopback port."""

    def __init__(self, directory, settings):
        self.directory = directory
        self.settings = settings

    async def start(self):
        jar = os.environ.get("MYELIN_JAR", "")
        java = os.environ.get("MYELIN_JAVA") or "java"
        if not os.path.isfile(jar):
            raise AssertionError("needs MYELIN_JAR (the homeserver jar) to start a server of its own")
        os.makedirs(self.directory)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = os.path.join(self.directory, "homeserver.yaml")
        generate = await asyncio.create_subprocess_exec(
            java, "-jar", jar, "generate-config", "--server-name", SERVER_NAME, "--config-path",
            config, "--data-dir", os.path.join(self.directory, "data"), "--bind", "127.0.0.1",
            "--port", str(port), "--enable-registration",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        check(await generate.wait() == 0, "generate-config failed")
        with open(config) as f:
            text = f.read()
        text = re.sub(r"per_second: *[0-9.]+", "per_second: 10000", text)
        text = re.sub(r"burst_count: *[0-9]+", "burst_count: 100000", text)
        text += "".join(f"\n{key}: {json.dumps(value)}" for key, value in self.settings.items())
        with open(config, "w") as f:
            f.write(text + "\n")
        self.log = open(os.path.join(self.directory, "server.log"), "wb")
        self.process = await asyncio.create_subprocess_exec(
            java, "-jar", jar, "run", "--config", config, stdout=self.log, stderr=self.log)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            check(self.process.returncode is None,
                  f"the homeserver of its own exited: {self.log_tail()}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                return url
            except OSError:
                await asyncio.sleep(0.3)
        raise AssertionError(f"the homeserver of its own did not listen within 60s: {self.log_tail()}")



class TestServerProcess(ServerProcess):
    """The jar's test-server mode as a process of one test's own."""

    READY = re.compile(r"ready at (http://127\.0\.0\.1:[0-9]+)")

    def __init__(self, directory):
        self.directory = directory

    async def start(self):
        jar = os.environ.get("MYELIN_JAR", "")
        java = os.environ.get("MYELIN_JAVA") or "java"
        if not os.path.isfile(jar):
            raise AssertionError("needs MYELIN_JAR (the homeserver jar) to start a test server")
        os.makedirs(self.directory)
        self.log = open(os.path.join(self.directory, "server.log"), "wb")
        self.process = await asyncio.create_subprocess_exec(
            java, "-jar", jar, "test-server", "--port", "0", "--fake-clock",
            stdout=asyncio.subprocess.PIPE, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = await asyncio.wait_for(self.process.stdout.readline(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
            if not line:
                raise AssertionError(f"the test server exited: {self.log_tail()}")
            self.log.write(line)
            found = self.READY.search(line.decode("utf-8", "replace"))
            if found:
                # keep reading its output, so a full pipe never blocks it
                self.drain = asyncio.create_task(self._copy_output())
                return found.group(1)
        raise AssertionError(f"the test server was not ready within 60s: {self.log_tail()}")

    async def _copy_output(self):
        while True:
            line = await self.process.stdout.readline()
            if not line:
                return
            self.log.write(line)



async def sync(client, timeout_ms=0, **kwargs):
    return ok(await client.sync(timeout=timeout_ms, **kwargs), nio.SyncResponse)


async def sync_until(client, found, what, wait=None, **kwargs):
    """Syncs (long-polls of one second) until found(response) returns something truthy, and
    returns that; fails after `wait` seconds (INTEROP_WAIT_MS) naming `what`."""
    deadline = time.monotonic() + (wait or WAIT)
    while True:
        resp = await sync(client, 1000, **kwargs)
        result = found(resp)
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"{client.user_id} waited {wait or WAIT:.0f}s for {what}")


def timeline(resp, room_id):
    room = resp.rooms.join.get(room_id)
    return room.timeline.events if room else []


def event_in(resp, room_id, predicate):
    """The first timeline event of the room in this sync response that matches."""
    return next((e for e in timeline(resp, room_id) if predicate(e)), None)


async def shared_room(ctx, owner, *others, **create_args):
    """A room the owner creates (private chat, the others invited) and the others join."""
    resp = ok(await owner.room_create(
        invite=[o.user_id for o in others], **create_args), nio.RoomCreateResponse)
    for other in others:
        ok(await other.join(resp.room_id), nio.JoinResponse)
    return resp.room_id


def png(width, height):
    """A truecolour PNG of that size with a gradient, made without any imaging library."""
    rows = b"".join(
        b"\x00" + bytes(c for x in range(width) for c in (x * 255 // width, y * 255 // height, 128))
        for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def image_size(data):
    """Width and height of a PNG or JPEG, read from its header."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i < len(data):
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return width, height
            i += 2 + length
    raise AssertionError(f"neither PNG nor JPEG: {data[:16]!r}")
