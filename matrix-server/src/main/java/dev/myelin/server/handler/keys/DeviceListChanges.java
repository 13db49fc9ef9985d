package dev.myelin.server.handler.keys;

import java.util.List;

/**
 * Whose device lists changed between two sync tokens: the answer of {@code GET /keys/changes} and
 * the {@code device_lists} section of {@code /sync}.
 *
 * @param changed users sharing a room with the requester whose devices or keys changed
 * @param left users who no longer share a room with the requester
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3keyschanges">spec</a>
 */
public record DeviceListChanges(List<String> changed, List<String> left) {

    /** The changes as user id strings. */
    public static DeviceListChanges of(DeviceLists.Changes changes) {
        return new DeviceListChanges(
                changes.changed().stream().map(Object::toString).toList(),
                changes.left().stream().map(Object::toString).toList());
    }
}
