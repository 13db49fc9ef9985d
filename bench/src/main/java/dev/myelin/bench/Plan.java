package dev.myelin.bench;

import java.time.Duration;

/**
 * The size and time bound of every scenario. {@link #standard} keeps the whole run under about
 * fifteen minutes on two cores, {@link #quick} under about three (on an unloaded machine).
 */
record Plan(
        int concurrency,
        Duration ceilingTime,
        Duration sendTime,
        int sendUsers,
        int sendRooms,
        int fanoutClients,
        int fanoutRooms,
        Duration fanoutTime,
        Duration fanoutInterval,
        int initialSyncRooms,
        int initialSyncEvents,
        int initialSyncMembers,
        int incrementalSyncRooms,
        int incrementalSyncRepeats,
        int incrementalSyncChanges,
        int joinUsers,
        Duration joinTime,
        Duration registerTime,
        Duration loginTime,
        int bcryptSamples) {

    static Plan standard(int concurrency) {
        return new Plan(
                concurrency,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                50,
                10,
                1000,
                10,
                Duration.ofSeconds(20),
                Duration.ofMillis(100),
                200,
                50,
                5,
                500,
                1000,
                200,
                10_000,
                Duration.ofSeconds(180),
                Duration.ofSeconds(15),
                Duration.ofSeconds(15),
                6);
    }

    static Plan quick(int concurrency) {
        return new Plan(
                concurrency,
                Duration.ofSeconds(4),
                Duration.ofSeconds(10),
                50,
                10,
                200,
                10,
                Duration.ofSeconds(8),
                Duration.ofMillis(100),
                40,
                20,
                3,
                100,
                300,
                50,
                1_000,
                Duration.ofSeconds(40),
                Duration.ofSeconds(6),
                Duration.ofSeconds(6),
                3);
    }

    /** How many accounts the scenarios need seeded: the joiners cover every other scenario's users. */
    int seededUsers() {
        return Math.max(Math.max(joinUsers, fanoutClients), Math.max(sendUsers, initialSyncMembers));
    }
}
