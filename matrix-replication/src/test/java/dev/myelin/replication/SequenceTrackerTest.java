package dev.myelin.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.myelin.replication.ReplicationCommand.Replicate;
import dev.myelin.replication.SequenceTracker.Outcome;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker();

    private Outcome observe(String instance, String incarnation, long sequence) {
        return tracker.observe(new ReplicationMessage(instance, incarnation, sequence, new Replicate()));
    }

    @Test
    void theFirstMessageOfARunAndEachNextOneAreInOrder() {
        assertThat(observe("w1", "a", 1)).isEqualTo(Outcome.IN_ORDER);
        assertThat(observe("w1", "a", 2)).isEqualTo(Outcome.IN_ORDER);
        assertThat(observe("w1", "a", 3)).isEqualTo(Outcome.IN_ORDER);
    }

    @Test
    void joiningInTheMiddleOfARunIsAGap() {
        assertThat(observe("w1", "a", 7)).isEqualTo(Outcome.GAP);
        assertThat(observe("w1", "a", 8)).isEqualTo(Outcome.IN_ORDER);
    }

    @Test
    void skippedNumbersAreAGap() {
        observe("w1", "a", 1);
        assertThat(observe("w1", "a", 3)).isEqualTo(Outcome.GAP);
        assertThat(observe("w1", "a", 4)).isEqualTo(Outcome.IN_ORDER);
    }

    @Test
    void aNumberAlreadySeenIsADuplicateAndChangesNothing() {
        observe("w1", "a", 1);
        observe("w1", "a", 2);
        assertThat(observe("w1", "a", 2)).isEqualTo(Outcome.DUPLICATE);
        assertThat(observe("w1", "a", 1)).isEqualTo(Outcome.DUPLICATE);
        assertThat(observe("w1", "a", 3)).isEqualTo(Outcome.IN_ORDER);
    }

    @Test
    void aNewIncarnationIsARestartWhateverItsNumber() {
        observe("w1", "a", 5);
        assertThat(observe("w1", "b", 1)).isEqualTo(Outcome.RESTARTED);
        assertThat(observe("w1", "b", 2)).isEqualTo(Outcome.IN_ORDER);
        assertThat(observe("w1", "c", 9)).isEqualTo(Outcome.RESTARTED);
        assertThat(observe("w1", "c", 9)).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void instancesAreTrackedApart() {
        observe("w1", "a", 1);
        assertThat(observe("w2", "a", 1)).isEqualTo(Outcome.IN_ORDER);
        assertThat(observe("w1", "a", 2)).isEqualTo(Outcome.IN_ORDER);
        assertThat(observe("w2", "a", 3)).isEqualTo(Outcome.GAP);
    }

    @Test
    void aForgottenInstanceStartsAfresh() {
        observe("w1", "a", 4);
        tracker.forget("w1");
        assertThat(observe("w1", "a", 4)).isEqualTo(Outcome.GAP);
    }
}
