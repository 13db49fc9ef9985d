package dev.myelin.server.area;

import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.todevice.SendToDeviceEndpoint;
import dev.myelin.server.handler.room.TransactionIds;
import dev.myelin.server.handler.todevice.ToDeviceHandler;
import dev.myelin.storage.device.ToDeviceStore;

/** Send-to-device messaging. Offers the devices' inboxes, which sync drains and device deletion empties. */
public final class ToDeviceArea {
    private final ToDeviceStore inbox;

    private ToDeviceArea(ToDeviceStore inbox) {
        this.inbox = inbox;
    }

    public static ToDeviceArea install(Router router, Core core, TransactionIds transactions) {
        ToDeviceStore inbox = new ToDeviceStore(core.database(), core.streams());
        router.register(new SendToDeviceEndpoint(
                new ToDeviceHandler(core.serverName(), inbox, core.devices(), core.notifier(), transactions)));
        return new ToDeviceArea(inbox);
    }

    public ToDeviceStore inbox() {
        return inbox;
    }
}
