package dev.myelin.federation.discovery;

/**
 * Which step of the spec's server name resolution produced a {@link ResolvedDestination}. The
 * steps differ in the {@code Host} header and certificate name they call for; knowing the step
 * makes a destination explainable in logs and tests.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#resolving-server-names">Resolving
 *     server names</a>
 */
public enum DiscoveryStep {
    /** Step 1: the server name is an IP literal, used with its port or 8448. */
    IP_LITERAL("1"),
    /** Step 2: a host name with an explicit port, resolved through A/AAAA. */
    EXPLICIT_PORT("2"),
    /** Step 3.1: {@code .well-known} delegated to an IP literal. */
    DELEGATED_IP_LITERAL("3.1"),
    /** Step 3.2: {@code .well-known} delegated to a host name with an explicit port. */
    DELEGATED_EXPLICIT_PORT("3.2"),
    /** Step 3.3: {@code .well-known} delegated to a host name with a {@code _matrix-fed._tcp} SRV record. */
    DELEGATED_SRV("3.3"),
    /** Step 3.4 (deprecated): the delegated host name has a {@code _matrix._tcp} SRV record only. */
    DELEGATED_LEGACY_SRV("3.4"),
    /** Step 3.5: the delegated host name without SRV records, on port 8448. */
    DELEGATED_DEFAULT_PORT("3.5"),
    /** Step 4: no usable {@code .well-known}; the host name has a {@code _matrix-fed._tcp} SRV record. */
    SRV("4"),
    /** Step 5 (deprecated): no usable {@code .well-known}; a {@code _matrix._tcp} SRV record only. */
    LEGACY_SRV("5"),
    /** Step 6: no usable {@code .well-known}, no SRV record: the host name on port 8448. */
    DEFAULT_PORT("6");

    private final String specStep;

    DiscoveryStep(String specStep) {
        this.specStep = specStep;
    }

    /** The step's number in the spec, e.g. {@code "3.3"}. */
    public String specStep() {
        return specStep;
    }
}
