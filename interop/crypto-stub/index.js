'use strict';
// Stand-in for @matrix-org/matrix-sdk-crypto-nodejs. matrix-bot-sdk requires this module at
// start-up; the interop bot never enables encryption, so every export only has to exist.
// Using any of them fails loudly instead of silently doing nothing.
function unavailable(name) {
  return class {
    constructor() {
      throw new Error(`${name}: end-to-end encryption is not available in the interop suite`);
    }
    static initialize() {
      throw new Error(`${name}: end-to-end encryption is not available in the interop suite`);
    }
  };
}
const names = [
  'Attachment', 'DeviceId', 'DeviceLists', 'EncryptedAttachment', 'EncryptionSettings',
  'OlmMachine', 'RoomId', 'UserId',
];
for (const name of names) module.exports[name] = unavailable(name);
module.exports.RequestType = Object.freeze({
  KeysUpload: 0, KeysQuery: 1, KeysClaim: 2, ToDevice: 3, SignatureUpload: 4, RoomMessage: 5, KeysBackup: 6,
});
module.exports.StoreType = Object.freeze({ Sled: 0, Sqlite: 1 });
module.exports.EncryptionAlgorithm = Object.freeze({ OlmV1Curve25519AesSha2: 0, MegolmV1AesSha2: 1 });
