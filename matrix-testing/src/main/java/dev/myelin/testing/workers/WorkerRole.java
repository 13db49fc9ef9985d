package dev.myelin.testing.workers;

/**
 * What a process of a {@link WorkerDeployment} is for. Every worker is started as Synapse's
 * {@code synapse.app.generic_worker}, and any process can serve any client request; the role
 * decides the process's place in the shared configuration ({@code stream_writers}) and which
 * requests the {@link PathRoutingProxy} sends to it.
 */
public enum WorkerRole {
    /** The main process, named {@code main}: everything not routed elsewhere. */
    MAIN,
    /**
     * A writer of the {@code events} stream: rooms are sharded over the persisters, and events
     * sent through any process are persisted by the room's persister. Receives part of the
     * proxy's {@code send}, {@code state} and {@code redact} requests.
     */
    EVENT_PERSISTER,
    /** A generic worker the proxy sends {@code /sync}, {@code /events} and {@code initialSync} to. */
    SYNC,
    /** A generic worker that receives part of the proxy's {@code send}, {@code state} and {@code redact} requests. */
    GENERIC
}
