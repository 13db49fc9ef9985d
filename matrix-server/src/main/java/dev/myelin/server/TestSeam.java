package dev.myelin.server;

import dev.myelin.server.area.Core;
import dev.myelin.server.area.RoomCore;
import dev.myelin.server.handler.push.NotificationCounter;
import dev.myelin.server.handler.push.PushRulesHandler;
import dev.myelin.storage.account.AccountDataStore;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.device.ToDeviceStore;
import dev.myelin.storage.media.MediaStore;
import dev.myelin.storage.room.ReportStore;

/**
 * The stores and handlers the server's own tests read or drive directly, where checking through
 * HTTP alone would not show what they assert (a row that must be gone, a count no endpoint serves).
 */
public record TestSeam(
        Core core,
        RoomCore rooms,
        MediaStore media,
        ToDeviceStore toDevice,
        ProfileStore profiles,
        AccountDataStore accountData,
        ReportStore reports,
        PushRulesHandler pushRules,
        NotificationCounter notificationCounter) {}
