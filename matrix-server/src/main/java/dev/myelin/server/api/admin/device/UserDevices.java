package dev.myelin.server.api.admin.device;

import dev.myelin.core.id.DeviceId;
import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import org.jspecify.annotations.Nullable;

/** What the device endpoints of the admin API share: an admin asks about an existing local user's devices. */
final class UserDevices {
    private UserDevices() {}

    /** The user the path names, once the requester is known to be an admin; 404 for an unknown user. */
    static UserId user(AdminUsers admin, MatrixRequest request) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Can only lookup local users");
        admin.existing(user);
        return user;
    }

    static DeviceId deviceId(@Nullable String value) {
        if (value == null) {
            throw MatrixException.invalidParam("devices", "device ids must be strings");
        }
        try {
            return DeviceId.parse(value);
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("device_id", "not a device id: " + value);
        }
    }
}
