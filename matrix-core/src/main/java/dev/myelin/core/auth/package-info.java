/**
 * Event authorization: the auth rules of each room version as pure functions over an event and the state
 * it is checked against, and power levels.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v11/#authorization-rules">Authorization rules</a>
 */
@NullMarked
package dev.myelin.core.auth;

import org.jspecify.annotations.NullMarked;
