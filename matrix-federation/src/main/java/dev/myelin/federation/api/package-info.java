/**
 * Endpoint definitions of the Server-Server API shared by the federation client here and the
 * server that serves them.
 */
package dev.myelin.federation.api;
