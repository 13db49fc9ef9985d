/**
 * The endpoints of the {@code test-server} mode ({@code java -jar myelin.jar test-server}): the
 * server's clock and a reset, for the tests of bots and bridges written in any language.
 */
package dev.myelin.server.api.testserver;
