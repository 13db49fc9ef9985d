/**
 * Third-party identifiers: the 3PIDs bound to local accounts, the identity servers they were bound
 * on, and the validation sessions of {@code requestToken}.
 */
@NullMarked
package dev.myelin.storage.threepid;

import org.jspecify.annotations.NullMarked;
