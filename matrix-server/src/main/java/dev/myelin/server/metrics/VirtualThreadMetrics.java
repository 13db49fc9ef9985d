package dev.myelin.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The virtual-thread scheduler's numbers (JDK 24 and later publish them as an MBean): how many
 * virtual threads run on a carrier now, how many wait for one, and how many carriers there are.
 * Requests and database work run on virtual threads, so these show whether carriers are short.
 * On an older JDK, without the MBean, nothing is registered.
 */
final class VirtualThreadMetrics {
    private static final String MBEAN = "jdk.management:type=VirtualThreadScheduler";

    private VirtualThreadMetrics() {}

    static void register(PrometheusRegistry registry) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name;
        try {
            name = new ObjectName(MBEAN);
            if (!server.isRegistered(name)) {
                return;
            }
        } catch (JMException e) {
            return;
        }
        gauge(
                registry,
                server,
                name,
                "myelin_jvm_virtual_threads_mounted",
                "MountedVirtualThreadCount",
                "Virtual threads running on a carrier thread now");
        gauge(
                registry,
                server,
                name,
                "myelin_jvm_virtual_threads_queued",
                "QueuedVirtualThreadCount",
                "Virtual threads ready to run, waiting for a carrier thread");
        gauge(
                registry,
                server,
                name,
                "myelin_jvm_virtual_thread_carriers",
                "PoolSize",
                "Carrier threads of the virtual-thread scheduler");
    }

    private static void gauge(
            PrometheusRegistry registry,
            MBeanServer server,
            ObjectName name,
            String metric,
            String attribute,
            String help) {
        GaugeWithCallback.builder()
                .name(metric)
                .help(help)
                .callback(callback -> {
                    try {
                        if (server.getAttribute(name, attribute) instanceof Number n) {
                            callback.call(n.doubleValue());
                        }
                    } catch (JMException e) {
                        // the attribute is missing on this JDK: the metric has no sample
                    }
                })
                .register(registry);
    }
}
