"""The jar's test-server mode driven from Python, as docs/testing.md shows it: a long-poll /sync
that returns when the test moves the server's clock past its timeout, and a reset."""

import asyncio

import aiohttp
import nio
from nio import responses as r

from harness import check, fails, ok


async def clock(http, base):
    async with http.get(f"{base}/_myelin/test/v1/clock") as response:
        check(response.status == 200, f"GET clock: {response.status} {await response.text()}")
        return await response.json()


async def advance(http, base, ms):
    async with http.post(f"{base}/_myelin/test/v1/clock/advance", json={"ms": ms}) as response:
        check(response.status == 200, f"advance {ms}: {response.status} {await response.text()}")
        return await response.json()


async def test_long_poll_follows_the_fake_clock(t):
    """a ten-minute long-poll /sync (nio's sync) returns once the clock passes its timeout

    Still waiting after 599 999 ms of advance, answered after 1 ms more, with no real ten
    minutes spent; a reset then empties the server (the old token is unknown, the name is free)."""
    base = await t.test_server()
    async with aiohttp.ClientSession() as http:
        client = t.client(base_url=base)
        ok(await client.register("alice", "alice-Password-1"), nio.RegisterResponse)
        first = ok(await client.sync(timeout=0), nio.SyncResponse)
        timers = (await clock(http, base))["pending_timers"]
        before = (await clock(http, base))["now_ms"]

        poll = asyncio.create_task(client.sync(timeout=600_000, since=first.next_batch))
        for _ in range(500):
            if (await clock(http, base))["pending_timers"] > timers:
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the long-poll never waited on the server's clock")
        await advance(http, base, 599_999)
        await asyncio.sleep(0.3)
        check(not poll.done(), "still waiting one millisecond before its timeout")
        after = await advance(http, base, 1)
        check(after["now_ms"] == before + 600_000, f"the clock moved by the advances only: {after}")
        response = ok(await asyncio.wait_for(poll, 10), nio.SyncResponse)
        check(response.next_batch == first.next_batch, "nothing happened meanwhile")

        async with http.post(f"{base}/_myelin/test/v1/reset") as reset:
            check(reset.status == 200, f"reset: {reset.status}")
        fails(await client.whoami(), r.WhoamiError, "M_UNKNOWN_TOKEN", 401)
        again = t.client(base_url=base)
        ok(await again.register("alice", "alice-Password-1"), nio.RegisterResponse)
