/**
 * Request-scoped logging context ({@link dev.myelin.core.log.LogContext}) on the SLF4J MDC,
 * carried into tasks that a request spawns on other threads.
 */
@NullMarked
package dev.myelin.core.log;

import org.jspecify.annotations.NullMarked;
