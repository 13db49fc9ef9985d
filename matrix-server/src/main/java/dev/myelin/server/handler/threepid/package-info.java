/**
 * Third-party identifiers: validating email addresses by mail, the 3PIDs of accounts, and the
 * identity servers they are bound on.
 */
@NullMarked
package dev.myelin.server.handler.threepid;

import org.jspecify.annotations.NullMarked;
