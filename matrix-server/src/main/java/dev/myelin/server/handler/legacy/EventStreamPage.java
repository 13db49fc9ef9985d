package dev.myelin.server.handler.legacy;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * One answer of the event stream. Events stay JSON trees, since their content is free-form.
 *
 * @param chunk the events, room events first in stream order
 * @param start the token the answer starts at: the request's {@code from}, or now
 * @param end the token to go on from in the next request
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3events">GET /events</a>
 */
public record EventStreamPage(ArrayNode chunk, String start, String end) {}
