/**
 * Federation between homeservers (server discovery, request signing, key fetching, the federation
 * client). Planned: the module holds no code yet, so it exports nothing.
 */
module dev.myelin.federation {
    requires transitive dev.myelin.core;
    requires transitive dev.myelin.http;
}
