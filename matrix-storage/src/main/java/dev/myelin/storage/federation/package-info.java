/**
 * What outbound federation keeps about other servers: the retry timings of each destination.
 */
@NullMarked
package dev.myelin.storage.federation;

import org.jspecify.annotations.NullMarked;
