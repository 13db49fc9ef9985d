package dev.myelin.server.area;

import dev.myelin.federation.client.FederationClient;
import dev.myelin.http.client.MatrixHttpClient;
import dev.myelin.http.client.TrustedCertificates;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.threepid.AddThreePidEndpoint;
import dev.myelin.server.api.client.threepid.BindThreePidEndpoint;
import dev.myelin.server.api.client.threepid.DeleteThreePidEndpoint;
import dev.myelin.server.api.client.threepid.EmailRequestTokenEndpoint;
import dev.myelin.server.api.client.threepid.LegacyAddThreePidEndpoint;
import dev.myelin.server.api.client.threepid.MsisdnRequestTokenEndpoint;
import dev.myelin.server.api.client.threepid.SubmitTokenEndpoint;
import dev.myelin.server.api.client.threepid.SubmitTokenPageEndpoint;
import dev.myelin.server.api.client.threepid.ThreePidsEndpoint;
import dev.myelin.server.api.client.threepid.UnbindThreePidEndpoint;
import dev.myelin.server.api.federation.ExchangeThirdPartyInviteEndpoint;
import dev.myelin.server.api.federation.OnBindEndpoint;
import dev.myelin.server.config.OutboundSettings;
import dev.myelin.server.config.ThreePidConfig;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.room.MembershipHandler;
import dev.myelin.server.handler.threepid.EmailIdentityStage;
import dev.myelin.server.handler.threepid.EmailValidation;
import dev.myelin.server.handler.threepid.IdentityServerClient;
import dev.myelin.server.handler.threepid.ThirdPartyBinds;
import dev.myelin.server.handler.threepid.ThirdPartyInvites;
import dev.myelin.server.handler.threepid.ThreePids;
import dev.myelin.server.handler.threepid.ValidationPurpose;
import dev.myelin.server.mail.Mailer;
import dev.myelin.server.mail.SmtpMailer;
import dev.myelin.storage.account.ProfileStore;
import dev.myelin.storage.threepid.ThreePidStore;
import java.time.Duration;
import java.util.Optional;

/**
 * Third-party identifiers: validating email addresses by mail ({@code requestToken} and {@code
 * submit_token}), the account's 3PIDs (add, delete, bind and unbind on identity servers), the
 * {@code m.login.email.identity} auth stage that registration and password reset use, and the
 * unbinding of a deactivated account's 3PIDs. Built before the accounts area, which takes its
 * auth stage, and installed after it.
 */
public final class ThreepidArea {
    private final Core core;
    private final RoomCore rooms;
    private final ThreePidConfig config;
    private final EmailValidation validation;
    private final ThreePids threePids;
    private final IdentityServerClient identityServers;
    private final EmailIdentityStage emailStage;
    private final ThirdPartyInvites thirdPartyInvites;

    private ThreepidArea(
            Core core,
            RoomCore rooms,
            ThreePidConfig config,
            EmailValidation validation,
            ThreePids threePids,
            IdentityServerClient identityServers,
            EmailIdentityStage emailStage,
            ThirdPartyInvites thirdPartyInvites) {
        this.thirdPartyInvites = thirdPartyInvites;
        this.core = core;
        this.rooms = rooms;
        this.config = config;
        this.validation = validation;
        this.threePids = threePids;
        this.identityServers = identityServers;
        this.emailStage = emailStage;
    }

    /**
     * Builds the area: the SMTP mailer when the {@code email} section is set, and the identity
     * server client over the outbound HTTP client (its blocklist and trusted CAs).
     */
    public static ThreepidArea create(
            Core core,
            RoomCore rooms,
            ProfileStore profiles,
            ThreePidConfig config,
            String publicBaseUrl,
            OutboundSettings outbound) {
        Optional<Mailer> mailer = config.email().map(email -> new SmtpMailer(email, core.clock()));
        ThreePidStore store = new ThreePidStore(core.database());
        EmailValidation validation = new EmailValidation(store, config.email(), mailer, publicBaseUrl, core.clock());
        MatrixHttpClient http = MatrixHttpClient.create(outbound.clientConfig()
                .withTrust(
                        config.verifyIdentityServerCertificates() ? outbound.trust() : TrustedCertificates.unverified())
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .withMaxResponseBytes(64 * 1024));
        IdentityServerClient identityServers = new IdentityServerClient(http);
        ThreePids threePids = new ThreePids(store, validation, identityServers, core.clock());
        return new ThreepidArea(
                core,
                rooms,
                config,
                validation,
                threePids,
                identityServers,
                new EmailIdentityStage(validation, threePids, core.clock()),
                new ThirdPartyInvites(identityServers, rooms.creator(), rooms.roomState(), profiles));
    }

    /** The {@code m.login.email.identity} stage, for registration and password reset. */
    public EmailIdentityStage emailStage() {
        return emailStage;
    }

    /** Invitations by 3PID, which the rooms area's invite and createRoom endpoints send. */
    public ThirdPartyInvites thirdPartyInvites() {
        return thirdPartyInvites;
    }

    /** Registers the endpoints, and unbinds a deactivated account's 3PIDs. */
    public void install(Router router, AccountLifecycle lifecycle) {
        for (ValidationPurpose purpose : ValidationPurpose.values()) {
            router.register(new EmailRequestTokenEndpoint(purpose, validation));
            router.register(new MsisdnRequestTokenEndpoint(purpose));
            router.register(new SubmitTokenPageEndpoint(purpose, validation));
            router.register(new SubmitTokenEndpoint(purpose, validation));
        }
        boolean changes = config.enable3pidChanges();
        router.register(new ThreePidsEndpoint(threePids));
        router.register(new LegacyAddThreePidEndpoint(threePids, changes));
        router.register(new AddThreePidEndpoint(threePids, core.uia(), changes));
        router.register(new DeleteThreePidEndpoint(threePids, changes));
        for (String version : new String[] {"v3", "unstable"}) {
            router.register(new BindThreePidEndpoint(version, threePids));
            router.register(new UnbindThreePidEndpoint(version, threePids));
        }
        lifecycle.onDeactivation(threePids::deactivated);
    }

    /**
     * Registers the federation side of third-party invites ({@code 3pid/onbind} and {@code
     * exchange_third_party_invite}), which invite through the rooms area's {@code membership}.
     */
    public void installBinds(Router router, MembershipHandler membership, FederationClient federation) {
        ThirdPartyBinds binds =
                new ThirdPartyBinds(core.serverName(), rooms.roomState(), membership, identityServers, federation);
        router.register(new OnBindEndpoint(HttpMethod.PUT, binds));
        router.register(new OnBindEndpoint(HttpMethod.POST, binds));
        router.register(new ExchangeThirdPartyInviteEndpoint(binds));
    }
}
