package dev.myelin.server.area;

import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.ratelimit.RateLimit;
import dev.myelin.http.ratelimit.RateLimiter;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.todevice.SendToDeviceEndpoint;
import dev.myelin.server.handler.federation.EduHandler;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.todevice.InboundToDeviceLimits;
import dev.myelin.server.handler.todevice.ToDeviceHandler;
import dev.myelin.storage.device.ToDeviceStore;

/** Send-to-device messaging, locally and to other servers. Offers the devices' inboxes, which sync drains and device deletion empties. */
public final class ToDeviceArea {
    private final ToDeviceStore inbox;
    private final EduHandler inbound;

    private ToDeviceArea(ToDeviceStore inbox, EduHandler inbound) {
        this.inbox = inbox;
        this.inbound = inbound;
    }

    public static ToDeviceArea install(
            Router router,
            Core core,
            TransactionIds transactions,
            TransactionSender federation,
            FederationDomainWhitelist whitelist,
            RateLimit keyRequests) {
        ToDeviceStore inbox = new ToDeviceStore(core.database(), core.streams());
        ToDeviceHandler handler = new ToDeviceHandler(
                core.serverName(), inbox, core.devices(), core.notifier(), transactions, federation, whitelist);
        router.register(new SendToDeviceEndpoint(handler));
        return new ToDeviceArea(
                inbox, new InboundToDeviceLimits(handler::receive, new RateLimiter(core.clock()), keyRequests));
    }

    public ToDeviceStore inbox() {
        return inbox;
    }

    /** What an {@code m.direct_to_device} EDU from another server does. */
    public EduHandler inbound() {
        return inbound;
    }
}
