package dev.myelin.testing;

import java.lang.reflect.AnnotatedElement;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test a fresh {@link TestHomeserver} (fresh database, own
 * {@link FakeClock}), closed after the test. Use it with {@code @ExtendWith(HomeserverExtension.class)}
 * and a {@code TestHomeserver} test method parameter; {@link OverrideConfig} on the class or the
 * method changes the config.
 */
public final class HomeserverExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HomeserverExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestHomeserver.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("homeserver", key -> new Closing(start(context)),
                Closing.class).server();
    }

    private static TestHomeserver start(ExtensionContext context) {
        TestHomeserver.Builder builder = TestHomeserver.builder();
        context.getTestClass().ifPresent(c -> apply(builder, c));
        context.getTestMethod().ifPresent(m -> apply(builder, m));
        return builder.start();
    }

    private static void apply(TestHomeserver.Builder builder, AnnotatedElement element) {
        for (OverrideConfig override : element.getAnnotationsByType(OverrideConfig.class)) {
            builder.config(override.key(), override.value());
        }
    }

    /** Closes the homeserver when JUnit closes the test's store. */
    private record Closing(TestHomeserver server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
