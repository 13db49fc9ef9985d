package dev.myelin.server.area;

import dev.myelin.federation.client.FederationDomainWhitelist;
import dev.myelin.federation.sender.TransactionSender;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.todevice.SendToDeviceEndpoint;
import dev.myelin.server.handler.federation.EduHandler;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.todevice.ToDeviceHandler;
import dev.myelin.storage.device.ToDeviceStore;

/** Send-to-device messaging, locally and to other servers. Offers the devices' inboxes, which sync drains and device deletion empties. */
public final class ToDeviceArea {
    private final ToDeviceStore inbox;
    private final ToDeviceHandler handler;

    private ToDeviceArea(ToDeviceStore inbox, ToDeviceHandler handler) {
        this.inbox = inbox;
        this.handler = handler;
    }

    public static ToDeviceArea install(
            Router router,
            Core core,
            TransactionIds transactions,
            TransactionSender federation,
            FederationDomainWhitelist whitelist) {
        ToDeviceStore inbox = new ToDeviceStore(core.database(), core.streams());
        ToDeviceHandler handler = new ToDeviceHandler(
                core.serverName(), inbox, core.devices(), core.notifier(), transactions, federation, whitelist);
        router.register(new SendToDeviceEndpoint(handler));
        return new ToDeviceArea(inbox, handler);
    }

    public ToDeviceStore inbox() {
        return inbox;
    }

    /** What an {@code m.direct_to_device} EDU from another server does. */
    public EduHandler inbound() {
        return handler::receive;
    }
}
