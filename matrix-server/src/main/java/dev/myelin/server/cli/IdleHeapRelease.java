package dev.myelin.server.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the server hand memory back to the system once a burst is over. With default settings G1
 * keeps every page of heap it grew to under load (a sync fan-out, a large join) until the next
 * collection, which an idle server may not see for hours; a periodic collection when no other ran
 * for a while shrinks the committed heap to what is live (G1 uncommits at the end of marking).
 * Set only when the operator did not choose themselves ({@code -XX:G1PeriodicGCInterval}) and the
 * collector is G1.
 */
final class IdleHeapRelease {
    private static final Logger LOG = LoggerFactory.getLogger(IdleHeapRelease.class);
    private static final String OPTION = "G1PeriodicGCInterval";

    /** How long without a collection before the idle one: under load collections come far more often. */
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private IdleHeapRelease() {}

    static void apply() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .anyMatch(name -> name.startsWith("G1"));
        if (!g1) {
            return;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption option = vm.getVMOption(OPTION);
            if (option.getOrigin() == VMOption.Origin.DEFAULT
                    && option.getValue().equals("0")) {
                vm.setVMOption(OPTION, Long.toString(INTERVAL.toMillis()));
            }
        } catch (RuntimeException e) {
            // a JVM without the option or the management bean keeps its heap as it is
            LOG.debug("cannot set {}: {}", OPTION, e.toString());
        }
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean vm, String name, String value) {
        if (vm.getVMOption(name).getOrigin() == VMOption.Origin.DEFAULT) {
            vm.setVMOption(name, value);
        }
    }
}
