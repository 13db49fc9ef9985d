-- End-to-end encryption keys (POST /keys/upload, /keys/device_signing/upload,
-- /keys/signatures/upload). Key objects are kept as the JSON the client sent.

-- A device's identity keys: one object per device, replaced by a later upload.
CREATE TABLE e2e_device_keys (
    user_id   VARCHAR NOT NULL,
    device_id VARCHAR NOT NULL,
    key_json  VARCHAR NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

-- Unclaimed one-time keys. upload_seq orders uploads per device (keys of one upload
-- share it), so claims hand out the oldest first. A claimed key's row is deleted.
CREATE TABLE e2e_one_time_keys (
    user_id    VARCHAR NOT NULL,
    device_id  VARCHAR NOT NULL,
    algorithm  VARCHAR NOT NULL,
    key_id     VARCHAR NOT NULL,
    key_json   VARCHAR NOT NULL,
    upload_seq BIGINT  NOT NULL,
    PRIMARY KEY (user_id, device_id, algorithm, key_id)
);
CREATE INDEX e2e_one_time_keys_claim ON e2e_one_time_keys (user_id, device_id, algorithm, upload_seq);

-- At most one fallback key per device and algorithm; claiming one marks it used
-- instead of deleting it.
CREATE TABLE e2e_fallback_keys (
    user_id   VARCHAR NOT NULL,
    device_id VARCHAR NOT NULL,
    algorithm VARCHAR NOT NULL,
    key_id    VARCHAR NOT NULL,
    key_json  VARCHAR NOT NULL,
    used      BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, device_id, algorithm)
);

-- Cross-signing keys: key_type is master, self_signing or user_signing.
CREATE TABLE e2e_cross_signing_keys (
    user_id  VARCHAR NOT NULL,
    key_type VARCHAR NOT NULL,
    key_json VARCHAR NOT NULL,
    PRIMARY KEY (user_id, key_type)
);

-- Signatures uploaded with /keys/signatures/upload, merged into the signed key when it is
-- queried. target_key is a device id or a cross-signing public key; signer_key_id is
-- the signature's key id (ed25519:...).
CREATE TABLE e2e_key_signatures (
    target_user_id VARCHAR NOT NULL,
    target_key     VARCHAR NOT NULL,
    signer_user_id VARCHAR NOT NULL,
    signer_key_id  VARCHAR NOT NULL,
    signature      VARCHAR NOT NULL,
    PRIMARY KEY (target_user_id, target_key, signer_user_id, signer_key_id)
);
