/**
 * Endpoint definitions of the Server-Server API shared by the federation client here and the
 * server that serves them, with their request and response types.
 */
@NullMarked
package dev.myelin.federation.api;

import org.jspecify.annotations.NullMarked;
