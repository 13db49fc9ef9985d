package dev.myelin.federation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code federation_domain_whitelist} as a value: absent federates with everyone, a list with
 * exactly its servers, an empty list with no one; a denied server becomes the 403 Synapse answers.
 */
class FederationDomainWhitelistTest {
    private static final ServerName ALLOWED = ServerName.parse("allowed.test");
    private static final ServerName OTHER = ServerName.parse("other.test");

    @Test
    void everyoneAllowsEveryServer() {
        FederationDomainWhitelist everyone = FederationDomainWhitelist.everyone();
        assertThat(everyone.servers()).isEmpty();
        for (String name : new String[] {"allowed.test", "other.test", "127.0.0.1:8448", "[::1]", "a.b.c.d:1"}) {
            assertThat(everyone.allows(ServerName.parse(name))).as(name).isTrue();
            assertThatNoException().isThrownBy(() -> everyone.check(ServerName.parse(name)));
        }
    }

    @Test
    void aListAllowsExactlyItsServers() {
        FederationDomainWhitelist only = FederationDomainWhitelist.only(
                Set.of(ALLOWED, ServerName.parse("ported.test:8448"), ServerName.parse("192.0.2.1")));
        assertThat(only.allows(ALLOWED)).isTrue();
        assertThat(only.allows(ServerName.parse("ported.test:8448"))).isTrue();
        assertThat(only.allows(ServerName.parse("192.0.2.1"))).isTrue();
        assertThat(only.allows(OTHER)).isFalse();
        assertThat(only.allows(ServerName.parse("allowed.test:8448")))
                .as("a port makes another server name")
                .isFalse();
        assertThat(only.allows(ServerName.parse("ported.test"))).isFalse();
        assertThat(only.allows(ServerName.parse("sub.allowed.test"))).isFalse();
        assertThat(only.allows(ServerName.parse("192.0.2.1:8448"))).isFalse();
    }

    @Test
    void anEmptyListAllowsNoServer() {
        FederationDomainWhitelist nobody = FederationDomainWhitelist.only(Set.of());
        assertThat(nobody.servers()).contains(Set.of());
        assertThat(nobody.allows(ALLOWED)).isFalse();
        assertThat(nobody.allows(OTHER)).isFalse();
        assertThat(nobody).isNotEqualTo(FederationDomainWhitelist.everyone());
    }

    @Test
    void checkThrowsForADeniedServerOnly() {
        FederationDomainWhitelist only = FederationDomainWhitelist.only(Set.of(ALLOWED));
        assertThatNoException().isThrownBy(() -> only.check(ALLOWED));
        assertThatThrownBy(() -> only.check(OTHER))
                .isInstanceOfSatisfying(
                        FederationDeniedException.class,
                        e -> assertThat(e.server()).isEqualTo(OTHER))
                .hasMessage("Federation denied with other.test.");
    }

    @Test
    void theSetIsCopied() {
        Set<ServerName> servers = new HashSet<>(Set.of(ALLOWED));
        FederationDomainWhitelist only = FederationDomainWhitelist.only(servers);
        servers.add(OTHER);
        assertThat(only.allows(OTHER)).isFalse();
        assertThatThrownBy(() -> only.servers().orElseThrow().add(OTHER))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(new FederationDomainWhitelist(Optional.of(Set.of(ALLOWED)))).isEqualTo(only);
    }

    @Test
    void aDeniedServerIsAForbiddenErrorNamingIt() {
        FederationDeniedException denied = new FederationDeniedException(ServerName.parse("other.test:8448"));
        assertThat(denied.server()).isEqualTo(ServerName.parse("other.test:8448"));
        assertThat(denied).hasMessage("Federation denied with other.test:8448.");

        MatrixException error = denied.toMatrixException();
        assertThat(error.status()).isEqualTo(403);
        assertThat(error.errcode()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(error).hasMessage("Federation denied with other.test:8448.");
    }
}
