package dev.myelin.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.json.CanonicalJson;
import dev.myelin.core.room.RoomVersions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "Event Signing" test vectors of the spec's appendix. They predate room version 11 (the
 * first keeps {@code origin}, which v11 redaction drops), so they are signed with the redaction
 * rules of room versions 1 to 10.
 */
class EventSigningVectorsTest {
    static final SigningKey KEY = SigningKey.fromSeed("1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");
    static final ServerName DOMAIN = ServerName.parse("domain");

    static final String MINIMAL = """
            {
                "room_id": "!x:domain",
                "sender": "@a:domain",
                "origin": "domain",
                "origin_server_ts": 1000000,
                "signatures": {},
                "hashes": {},
                "type": "X",
                "content": {},
                "prev_events": [],
                "auth_events": [],
                "depth": 3,
                "unsigned": {
                    "age_ts": 1000000
                }
            }""";

    static final String MINIMAL_SIGNED = """
            {
                "auth_events": [],
                "content": {},
                "depth": 3,
                "hashes": {
                    "sha256": "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"
                },
                "origin": "domain",
                "origin_server_ts": 1000000,
                "prev_events": [],
                "room_id": "!x:domain",
                "sender": "@a:domain",
                "signatures": {
                    "domain": {
                        "ed25519:1": "KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"
                    }
                },
                "type": "X",
                "unsigned": {
                    "age_ts": 1000000
                }
            }""";

    static final String REDACTABLE = """
            {
                "content": {
                    "body": "Here is the message content"
                },
                "event_id": "$0:domain",
                "origin": "domain",
                "origin_server_ts": 1000000,
                "type": "m.room.message",
                "room_id": "!r:domain",
                "sender": "@u:domain",
                "signatures": {},
                "unsigned": {
                    "age_ts": 1000000
                }
            }""";

    static final String REDACTABLE_SIGNED = """
            {
                "content": {
                    "body": "Here is the message content"
                },
                "event_id": "$0:domain",
                "hashes": {
                    "sha256": "onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g"
                },
                "origin": "domain",
                "origin_server_ts": 1000000,
                "type": "m.room.message",
                "room_id": "!r:domain",
                "sender": "@u:domain",
                "signatures": {
                    "domain": {
                        "ed25519:1": "Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA"
                    }
                },
                "unsigned": {
                    "age_ts": 1000000
                }
            }""";

    static ObjectNode json(String text) {
        return (ObjectNode) CanonicalJson.parse(text);
    }

    @Test
    void hashesAndSignsTheMinimalEventAsTheSpecVector() {
        ObjectNode signed = EventSigning.hashAndSign(json(MINIMAL), RoomVersions.V1, DOMAIN, KEY);

        assertThat(CanonicalJson.encode(signed)).isEqualTo(CanonicalJson.encode(json(MINIMAL_SIGNED)));
    }

    @Test
    void hashesAndSignsTheRedactableEventAsTheSpecVector() {
        ObjectNode signed = EventSigning.hashAndSign(json(REDACTABLE), RoomVersions.V1, DOMAIN, KEY);

        assertThat(CanonicalJson.encode(signed)).isEqualTo(CanonicalJson.encode(json(REDACTABLE_SIGNED)));
    }

    @Test
    void theVectorsCarryValidContentHashes() {
        assertThat(EventHashes.hasValidContentHash(json(MINIMAL_SIGNED))).isTrue();
        assertThat(EventHashes.hasValidContentHash(json(REDACTABLE_SIGNED))).isTrue();
    }

    @Test
    void theVectorSignaturesVerifyOverTheRedactedEvents() {
        Map<SigningKeyId, dev.myelin.core.crypto.VerifyKey> keys = Map.of(KEY.keyId(), KEY.verifyKey());
        for (String vector : new String[] {MINIMAL_SIGNED, REDACTABLE_SIGNED}) {
            ObjectNode redacted = Redaction.redact(json(vector), RoomVersions.V1);
            JsonSigning.verifyWithKnownKeys(redacted, "domain", keys);
        }
    }

    @Test
    void theMinimalVectorVerifiesAsAPdu() {
        Pdu pdu = Pdus.fromJson(json(MINIMAL_SIGNED), RoomVersions.V3);

        EventSignatures.verify(pdu, server -> Map.of(KEY.keyId(), KEY.verifyKey()));
        assertThat(EventSignatures.verifyAndCheckHash(pdu, server -> Map.of(KEY.keyId(), KEY.verifyKey())))
                .isSameAs(pdu);
    }

    @Test
    void theRedactableVectorStillVerifiesOnceRedacted() {
        ObjectNode redacted = Redaction.redact(json(REDACTABLE_SIGNED), RoomVersions.V1);

        assertThat(redacted.path("content").isEmpty()).isTrue();
        assertThat(EventHashes.hasValidContentHash(redacted)).isFalse();
        JsonSigning.verifyWithKnownKeys(redacted, "domain", Map.of(KEY.keyId(), KEY.verifyKey()));
    }
}
