package dev.myelin.server.api.client.admin;

import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.storage.account.Device;
import dev.myelin.storage.account.DeviceStore;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_matrix/client/v3/admin/whois/{userId}}: where a local user's devices were last
 * seen from. Open to the user themself and to server admins; anyone else gets 403 {@code
 * M_FORBIDDEN}, asked before the account is looked up so the answer reveals nothing. Each device is
 * one session, and its one connection is the last request seen from it (a device never seen since
 * login has none).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3adminwhoisuserid">spec</a>
 */
public final class WhoisEndpoint extends JsonEndpoint<NoBody, WhoisEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/admin/whois/{userId}", Response.class);

    /**
     * The user and their devices by device id.
     *
     * @param userId the user looked up
     * @param devices each device's sessions
     */
    public record Response(String userId, Map<String, DeviceInfo> devices) {}

    /** One device: its sessions (here always one, the device's login). */
    public record DeviceInfo(List<SessionInfo> sessions) {}

    /** One session: the connections seen in it. */
    public record SessionInfo(List<ConnectionInfo> connections) {}

    /**
     * One connection.
     *
     * @param ip the address last seen
     * @param lastSeen when, in milliseconds since the epoch
     * @param userAgent the user agent last seen
     */
    public record ConnectionInfo(String ip, long lastSeen, String userAgent) {}

    private final UserStore users;
    private final DeviceStore devices;
    private final ServerName serverName;

    public WhoisEndpoint(UserStore users, DeviceStore devices, ServerName serverName) {
        super(SPEC);
        this.users = users;
        this.devices = devices;
        this.serverName = serverName;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        UserId requester = request.requireRequester().userId();
        UserId target = PathParams.userId(request);
        if (!target.equals(requester)
                && !users.get(requester).map(UserAccount::admin).orElse(false)) {
            throw MatrixException.forbidden("Only server admins may look up other users");
        }
        if (!target.server().equals(serverName)) {
            throw MatrixException.invalidParam("userId", "can only look up a local user");
        }
        Map<String, DeviceInfo> byDevice = new LinkedHashMap<>();
        for (Device device : devices.list(target)) {
            List<ConnectionInfo> connections = device.lastSeenAt().isPresent()
                    ? List.of(new ConnectionInfo(
                            device.lastSeenIp().orElse(""),
                            device.lastSeenAt().get().toEpochMilli(),
                            device.lastSeenUserAgent().orElse("")))
                    : List.of();
            byDevice.put(device.deviceId().value(), new DeviceInfo(List.of(new SessionInfo(connections))));
        }
        return new Response(target.toString(), byDevice);
    }
}
