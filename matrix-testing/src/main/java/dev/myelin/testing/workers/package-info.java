/**
 * One homeserver as several real processes on loopback, for tests and benchmarks: a main process,
 * event persisters, sync and generic workers started from the homeserver jar on one PostgreSQL
 * database and one Redis, behind a reverse proxy that routes requests by path the way a
 * deployment's load balancer would. See {@link dev.myelin.testing.workers.WorkerDeployment}.
 */
@NullMarked
package dev.myelin.testing.workers;

import org.jspecify.annotations.NullMarked;
