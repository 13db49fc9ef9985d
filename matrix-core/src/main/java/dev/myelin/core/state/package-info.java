/**
 * State resolution as pure functions: auth chains, the auth difference and the resolution of
 * several room states into one, over events the caller supplies through an {@link
 * dev.myelin.core.state.EventLookup}. Nothing here reads a database.
 *
 * @see <a href="https://spec.matrix.org/v1.19/rooms/v2/#state-resolution">State resolution (v2)</a>
 */
@NullMarked
package dev.myelin.core.state;

import org.jspecify.annotations.NullMarked;
