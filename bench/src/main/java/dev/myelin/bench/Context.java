package dev.myelin.bench;

import java.util.List;
import java.util.Optional;

/**
 * What every scenario gets: the client, the plan, where results go, the database label, the child
 * process when the bench started one, the seeded accounts ({@code admin} creates rooms and sends the fanout messages, {@code syncer} is the initial-sync user,
 * {@code users} are ordinary users) and this run's ceilings.
 */
record Context(
        MatrixHttp http,
        Plan plan,
        Report report,
        String db,
        Optional<ServerProcess> server,
        Seeder.Account admin,
        Seeder.Account syncer,
        List<Seeder.Account> users,
        Ceilings ceilings) {

    /** The ceiling figures measured in this run. */
    record Ceilings(ClosedLoop.Result fixed, ClosedLoop.Result insert, double bcryptMillis, double bcryptPerSecond) {}

    void add(String scenario, String metric, double value, String unit) {
        report.add(db, scenario, metric, value, unit);
    }

    void add(String scenario, String metric, double value, String unit, String ceilingName, double ceiling) {
        report.add(db, scenario, metric, value, unit, ceilingName, ceiling);
    }
}
