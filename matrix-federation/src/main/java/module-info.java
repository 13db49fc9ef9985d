/**
 * Federation between homeservers (server discovery, request signing, key fetching, the federation
 * client).
 */
module dev.myelin.federation {
    requires transitive dev.myelin.core;
    requires transitive dev.myelin.http;

    exports dev.myelin.federation.auth;
    exports dev.myelin.federation.keys;
}
