/**
 * The device list change log and to-device messages.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#send-to-device-messaging">Send-to-Device messaging</a>
 */
@NullMarked
package dev.myelin.storage.device;

import org.jspecify.annotations.NullMarked;
