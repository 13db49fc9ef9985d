package dev.myelin.server.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import java.lang.reflect.Proxy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationSecretTest {
    /** A request carrying only an Authorization header (or none). */
    private static MatrixRequest withAuthorization(String value) {
        return (MatrixRequest) Proxy.newProxyInstance(
                MatrixRequest.class.getClassLoader(), new Class<?>[] {MatrixRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("header")) {
                        return "Authorization".equals(args[0]) ? Optional.ofNullable(value) : Optional.empty();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void onlyTheConfiguredSecretPasses() {
        ReplicationSecret secret = new ReplicationSecret(Optional.of("s3cret"));
        assertThat(secret.authorization()).contains("Bearer s3cret");
        secret.check(withAuthorization("Bearer s3cret"));
        assertThatThrownBy(() -> secret.check(withAuthorization(null)))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> secret.check(withAuthorization("Bearer wrong")))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> secret.check(withAuthorization("s3cret")))
                .as("not a bearer token")
                .isInstanceOf(MatrixException.class);
    }

    @Test
    void withoutASecretNobodyPasses() {
        ReplicationSecret none = new ReplicationSecret(Optional.empty());
        assertThat(none.authorization()).isEmpty();
        assertThatThrownBy(() -> none.check(withAuthorization("Bearer ")))
                .isInstanceOfSatisfying(
                        MatrixException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
}
