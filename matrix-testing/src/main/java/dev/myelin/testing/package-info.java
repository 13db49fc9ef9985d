/**
 * The test kit: an in-process homeserver as a JUnit 5 extension with a fake clock and a fresh database,
 * test clients, Matrix assertions on AssertJ, in-process federation and a virtual-thread pinning check.
 */
@NullMarked
package dev.myelin.testing;

import org.jspecify.annotations.NullMarked;
