package dev.myelin.testing;

import org.assertj.core.api.Assertions;

/**
 * The entry point for assertions on Matrix test results, and for all of AssertJ: one static
 * import serves both.
 *
 * <pre>{@code
 * import static dev.myelin.testing.MatrixAssertions.assertThat;
 *
 * assertThat(alice.sync()).hasTimelineEvent(room, "m.room.message", "hello");
 * assertThat(alice.awaitEvent(room, e -> e.isState())).hasType("m.room.name").hasContent("name", "Lobby");
 * assertThat(bob.join(room)).hasStatus(403).hasErrcode("M_FORBIDDEN");
 * assertThat(List.of(1, 2)).hasSize(2); // plain AssertJ
 * }</pre>
 */
public class MatrixAssertions extends Assertions {

    /** For projects that extend this class with assertions of their own, as AssertJ suggests. */
    protected MatrixAssertions() {}

    /** Assertions on a {@code /sync} response. */
    public static SyncResponseAssert assertThat(SyncResponse actual) {
        return new SyncResponseAssert(actual);
    }

    /** Assertions on one event. */
    public static ClientEventAssert assertThat(ClientEvent actual) {
        return new ClientEventAssert(actual);
    }

    /** Assertions on an HTTP response of a {@link TestHomeserver}. */
    public static TestResponseAssert assertThat(TestResponse actual) {
        return new TestResponseAssert(actual);
    }
}
