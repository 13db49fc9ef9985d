package dev.myelin.testing;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test a fresh {@link TestHomeserver} (fresh database, own
 * {@link FakeClock}), closed after the test. Use it with {@code @ExtendWith(HomeserverExtension.class)}
 * and a {@code TestHomeserver} parameter on a test, {@code @BeforeEach} or {@code @AfterEach}
 * method (they all get the same server).
 *
 * <ul>
 *   <li>{@link OverrideConfig} on the class or the method changes the config;
 *   <li>{@link LoopbackListener} adds a listener on 127.0.0.1 for a bot's real HTTP client,
 *       keeping the fake clock;
 *   <li>{@link WallClock} runs the server on the system clock with a loopback listener;
 *   <li>{@link HomeserverPerClass} on the class shares one server among all its tests, which
 *       {@code @BeforeAll} methods can take as a parameter too.
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(HomeserverExtension.class)
 * class GreeterTest {
 *     @Test
 *     void greetsNewMembers(TestHomeserver hs) {
 *         TestClient alice = hs.registerUser("alice");
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class HomeserverExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HomeserverExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestHomeserver.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<ExtensionContext> perClass = perClassContext(context);
        if (perClass.isEmpty() && context.getTestMethod().isEmpty()) {
            throw new ExtensionConfigurationException("a TestHomeserver parameter of a @BeforeAll method or a "
                    + "constructor needs @HomeserverPerClass on "
                    + context.getRequiredTestClass().getName()
                    + "; without it each test gets its own homeserver");
        }
        ExtensionContext owner = perClass.orElse(context);
        if (perClass.isPresent()) {
            // the shared server was (or will be) started without this method's settings
            context.getTestMethod().ifPresent(HomeserverExtension::rejectMethodSettings);
        }
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent("homeserver", key -> new Closing(start(context, owner)), Closing.class)
                .server();
    }

    /** The class context that owns a shared homeserver, if the test class asks for one. */
    private static Optional<ExtensionContext> perClassContext(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()) {
                return c.getTestClass().get().isAnnotationPresent(HomeserverPerClass.class)
                        ? Optional.of(c)
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static TestHomeserver start(ExtensionContext context, ExtensionContext owner) {
        TestHomeserver.Builder builder = TestHomeserver.builder();
        apply(builder, owner.getRequiredTestClass());
        if (owner == context) {
            context.getTestMethod().ifPresent(m -> apply(builder, m));
        }
        return builder.start();
    }

    private static void rejectMethodSettings(Method method) {
        if (method.getAnnotationsByType(OverrideConfig.class).length > 0
                || method.isAnnotationPresent(WallClock.class)
                || method.isAnnotationPresent(LoopbackListener.class)) {
            throw new ExtensionConfigurationException(
                    method.getName() + " has @OverrideConfig, @WallClock or @LoopbackListener, but its class "
                            + "shares one homeserver (@HomeserverPerClass); put them on the class or move the test");
        }
    }

    private static void apply(TestHomeserver.Builder builder, AnnotatedElement element) {
        for (OverrideConfig override : element.getAnnotationsByType(OverrideConfig.class)) {
            builder.config(override.key(), override.value());
        }
        if (element.isAnnotationPresent(LoopbackListener.class)) {
            builder.listenOnLoopback();
        }
        WallClock wallClock = element.getAnnotation(WallClock.class);
        if (wallClock != null) {
            builder.wallClock();
            if (wallClock.loopback()) {
                builder.listenOnLoopback();
            }
        }
    }

    /** Closes the homeserver when JUnit closes the store it lives in (the test's or the class's). */
    private record Closing(TestHomeserver server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
