package dev.myelin.bench;

import dev.myelin.http.endpoint.EndpointCall;
import dev.myelin.server.api.client.account.LoginEndpoint;
import dev.myelin.server.api.client.account.RegisterEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code register-login}: registrations (with {@code m.login.dummy}) and then password logins of
 * the new accounts, each in a closed loop for a fixed time. Both are dominated by one BCrypt hash
 * at the server's cost, so they are compared with BCrypt measured alone in the bench process on
 * every core. The closed loop runs {@link #concurrency} requests at a time rather than the plan's
 * concurrency: with one 0.2-0.7 s hash per request, 50 queued requests only add waiting time.
 */
final class RegisterLoginScenario {
    static final String PASSWORD = "bench-password-1";

    private RegisterLoginScenario() {}

    static int concurrency() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    static void run(Context c) throws Exception {
        Plan p = c.plan();
        String prefix = "r" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "_";
        List<String> registered = new ArrayList<>();
        ClosedLoop.Result reg = ClosedLoop.run(concurrency(), p.registerTime(), Long.MAX_VALUE, (w, seq) -> {
            c.http()
                    .send(EndpointCall.of(
                            RegisterEndpoint.SPEC, RegisterEndpoint.Request.dummy(prefix + seq, PASSWORD)));
            synchronized (registered) {
                registered.add(prefix + seq);
            }
        });
        double bcrypt = c.ceilings().bcryptPerSecond();
        c.add(
                "register-login",
                "registrations/s (C=" + concurrency() + ")",
                reg.perSecond(),
                "1/s",
                "bcrypt hashes/s all cores",
                bcrypt);
        c.add(
                "register-login",
                "registration p50",
                reg.latency().p50(),
                "ms",
                "one bcrypt hash",
                c.ceilings().bcryptMillis());
        c.add("register-login", "registration errors", reg.errors(), "");
        if (reg.firstError() != null) {
            System.err.println("register: first error: " + reg.firstError());
        }
        if (registered.isEmpty()) {
            return;
        }
        ClosedLoop.Result login = ClosedLoop.run(concurrency(), p.loginTime(), Long.MAX_VALUE, (w, seq) -> {
            c.http()
                    .send(EndpointCall.of(
                            LoginEndpoint.SPEC,
                            LoginEndpoint.Request.password(registered.get((int) (seq % registered.size())), PASSWORD)));
        });
        c.add(
                "register-login",
                "logins/s (C=" + concurrency() + ")",
                login.perSecond(),
                "1/s",
                "bcrypt hashes/s all cores",
                bcrypt);
        c.add(
                "register-login",
                "login p50",
                login.latency().p50(),
                "ms",
                "one bcrypt hash",
                c.ceilings().bcryptMillis());
        c.add("register-login", "login errors", login.errors(), "");
        if (login.firstError() != null) {
            System.err.println("login: first error: " + login.firstError());
        }
    }
}
