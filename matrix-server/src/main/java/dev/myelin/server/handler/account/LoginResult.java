package dev.myelin.server.handler.account;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;
import dev.myelin.storage.account.IssuedTokens;

/** What a successful registration or login hands to the client. */
public record LoginResult(UserId userId, DeviceId deviceId, IssuedTokens tokens, String homeServer) {}
