package dev.myelin.bench;

import java.util.List;
import java.util.Optional;

/**
 * What every scenario gets: the client, the plan, where results go, the database label, the child
 * process when the bench started one, the server's processes whose CPU time a scenario divides by
 * its operations (one for a child, several for a worker deployment), the seeded accounts ({@code admin} creates rooms and sends the fanout messages, {@code syncer} is the initial-sync user,
 * {@code users} are ordinary users) and this run's ceilings.
 */
record Context(
        MatrixHttp http,
        Plan plan,
        Report report,
        String db,
        Optional<ServerProcess> server,
        ProcessCpu cpu,
        Seeder.Account admin,
        Seeder.Account syncer,
        List<Seeder.Account> users,
        Ceilings ceilings) {

    /**
     * The ceiling figures measured in this run; {@code insert} is the one-row-per-request insert
     * into the database the server under test uses, {@code insertName} says which ("sqlite
     * insert", "postgres insert").
     */
    record Ceilings(
            ClosedLoop.Result fixed,
            ClosedLoop.Result insert,
            String insertName,
            double bcryptMillis,
            double bcryptPerSecond) {

        /** These ceilings with another database's insert ceiling. */
        Ceilings withInsert(String name, ClosedLoop.Result result) {
            return new Ceilings(fixed, result, name, bcryptMillis, bcryptPerSecond);
        }
    }

    /**
     * The {@code k}-th user from the end of {@link #users}: accounts that the scenarios before
     * {@code join-large-room} (which joins every user) leave alone, for scenarios that need a user
     * in no other room.
     */
    Seeder.Account spare(int k) {
        return users.get(users.size() - 1 - k);
    }

    void add(String scenario, String metric, double value, String unit) {
        report.add(db, scenario, metric, value, unit);
    }

    void add(String scenario, String metric, double value, String unit, String ceilingName, double ceiling) {
        report.add(db, scenario, metric, value, unit, ceilingName, ceiling);
    }
}
