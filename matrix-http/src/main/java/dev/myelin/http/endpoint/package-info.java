/**
 * Typed endpoint definitions: one {@link dev.myelin.http.endpoint.EndpointSpec} per endpoint, served by
 * {@link dev.myelin.http.endpoint.JsonEndpoint} and sent by clients as an {@link
 * dev.myelin.http.endpoint.EndpointCall}, with JSON bound in one place ({@link
 * dev.myelin.http.endpoint.EndpointJson}).
 */
@NullMarked
package dev.myelin.http.endpoint;

import org.jspecify.annotations.NullMarked;
