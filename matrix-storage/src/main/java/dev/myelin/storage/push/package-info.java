/**
 * Pushers: where a user's notifications are sent.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#push-notifications">Push notifications</a>
 */
@NullMarked
package dev.myelin.storage.push;

import org.jspecify.annotations.NullMarked;
