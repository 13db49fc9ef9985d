/**
 * Test helpers for application services (bridges): {@link dev.myelin.testing.appservice.AppServiceRegistration}
 * builds a registration, {@link dev.myelin.testing.appservice.TestAppService} receives in process
 * what the homeserver pushes to it. {@link dev.myelin.testing.TestHomeserver.Builder#appService}
 * registers one with a test homeserver, and {@link dev.myelin.testing.TestHomeserver#appServiceClient}
 * plays the service's side towards it.
 */
@NullMarked
package dev.myelin.testing.appservice;

import org.jspecify.annotations.NullMarked;
