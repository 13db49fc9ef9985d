package dev.myelin.server.handler.keys;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.UserId;

/** Told, after it is stored, of every change of a local user's devices, device keys or cross-signing keys. */
public interface DeviceListListener {

    /** {@code device} of {@code user} was added, renamed or given new keys, or was deleted. */
    void onDeviceChange(UserId user, DeviceId device, boolean deleted);

    /** {@code user}'s master or self-signing key changed. */
    void onCrossSigningChange(UserId user);
}
