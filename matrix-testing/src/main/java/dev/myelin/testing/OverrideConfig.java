package dev.myelin.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets a {@code homeserver.yaml} key for the homeserver of one test (on the method) or of every
 * test in a class (on the class), e.g. {@code @OverrideConfig(key = "enable_registration", value = "false")}.
 * The value is YAML.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(OverrideConfig.List.class)
public @interface OverrideConfig {
    /**
     * The dotted config key, e.g. {@code enable_registration}.
     *
     * @return the key
     */
    String key();

    /**
     * The value, in YAML.
     *
     * @return the value
     */
    String value();

    /**
     * Holds several {@link OverrideConfig}s on one element; written by the compiler for repeated annotations.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface List {
        /**
         * The overrides, in order.
         *
         * @return the overrides
         */
        OverrideConfig[] value();
    }
}
