package dev.myelin.server;

import dev.myelin.federation.client.FederationTransport;
import dev.myelin.federation.discovery.ServerNameResolver;

/**
 * How a homeserver reaches other servers when not through DNS and sockets: homeservers in one JVM
 * (matrix-testing's {@code TestFederation}) find each other with {@code resolver} and hand each
 * other requests with {@code transport}. Signing, verification, key fetching, backoff and the
 * transaction queue work as over the network.
 *
 * @param resolver where each server is
 * @param transport delivers a request (its URI names the server) and returns the answer
 */
public record FederationNetwork(ServerNameResolver resolver, FederationTransport transport) {}
