/** Outgoing mail: a small SMTP client and the messages the server sends. */
@NullMarked
package dev.myelin.server.mail;

import org.jspecify.annotations.NullMarked;
