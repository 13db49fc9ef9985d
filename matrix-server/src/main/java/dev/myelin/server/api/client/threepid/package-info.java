/** Client-Server endpoints of third-party identifiers: validation by email, and the account's 3PIDs. */
@NullMarked
package dev.myelin.server.api.client.threepid;

import org.jspecify.annotations.NullMarked;
