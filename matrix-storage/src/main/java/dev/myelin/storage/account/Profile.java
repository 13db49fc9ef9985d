package dev.myelin.storage.account;

import java.util.Optional;

/** A user's global profile ({@code GET /_matrix/client/v3/profile/{userId}}). */
public record Profile(Optional<String> displayName, Optional<String> avatarUrl) {
    public static final Profile EMPTY = new Profile(Optional.empty(), Optional.empty());
}
