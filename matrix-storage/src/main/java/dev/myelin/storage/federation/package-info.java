/**
 * What federation keeps about other servers: the retry timings of each destination and
 * the queue of what is waiting to be sent to it; the answers given to the transactions other
 * servers sent.
 */
@NullMarked
package dev.myelin.storage.federation;

import org.jspecify.annotations.NullMarked;
