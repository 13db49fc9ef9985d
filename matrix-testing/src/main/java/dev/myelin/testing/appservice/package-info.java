/**
 * Test helpers for application services (bridges): {@link dev.myelin.testing.appservice.AppServiceRegistration}
 * builds a registration, {@link dev.myelin.testing.appservice.TestAppService} receives what the
 * homeserver pushes, in process. They are wired to the homeserver once the Application Service
 * API lands.
 */
@NullMarked
package dev.myelin.testing.appservice;

import org.jspecify.annotations.NullMarked;
