package dev.myelin.storage.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Positions allocated from a sequence: a number on its way back holds readers below it, and only it. */
class StreamTrackerTest {
    @Test
    void aPendingAllocationHoldsThePositionOnlyBelowWhatWasKnownWhenItBegan() {
        StreamTracker tracker = new StreamTracker(10);
        long first = tracker.beginAllocation();
        long second = tracker.beginAllocation();
        tracker.register(11, first);
        tracker.finish(11, true, false);
        assertThat(tracker.current())
                .as("the second number may still be below 11's successor")
                .isEqualTo(10);

        // allocations overlap without a pause: the position still moves on
        long third = tracker.beginAllocation();
        tracker.register(12, second);
        tracker.finish(12, true, false);
        assertThat(tracker.current()).isEqualTo(11);
        tracker.register(13, third);
        tracker.finish(13, true, false);
        assertThat(tracker.current()).isEqualTo(13);
    }

    @Test
    void anAbandonedAllocationHoldsNothing() {
        StreamTracker tracker = new StreamTracker(5);
        long floor = tracker.beginAllocation();
        assertThat(tracker.current()).isEqualTo(5);
        tracker.abandonAllocation(floor);
        long id = tracker.register(6, tracker.beginAllocation());
        tracker.finish(id, true, false);
        assertThat(tracker.current()).isEqualTo(6);
    }
}
