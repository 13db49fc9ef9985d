/**
 * Typed, leniently read contents of the state events that the auth rules and the server look at.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#room-events">Room events</a>
 */
@NullMarked
package dev.myelin.core.event.content;

import org.jspecify.annotations.NullMarked;
