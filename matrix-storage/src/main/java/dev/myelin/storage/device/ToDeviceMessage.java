package dev.myelin.storage.device;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A message in a device's to-device inbox, with its position on the to-device stream. */
public record ToDeviceMessage(long streamId, ObjectNode message) {}
