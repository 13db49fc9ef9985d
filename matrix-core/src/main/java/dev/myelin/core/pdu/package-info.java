/**
 * The checks a server makes on a PDU received from another server, as pure decisions over the
 * event, the keys and the room state the caller supplies: no clock, storage or network.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu">Checks performed on receipt of a PDU</a>
 */
@NullMarked
package dev.myelin.core.pdu;

import org.jspecify.annotations.NullMarked;
