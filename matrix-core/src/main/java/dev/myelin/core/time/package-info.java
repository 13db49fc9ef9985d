/**
 * Time as an injected seam: {@link dev.myelin.core.time.Clock}, the real {@link
 * dev.myelin.core.time.SystemClock}, and {@link dev.myelin.core.time.LoopingCall} for periodic
 * work. Tests use {@code dev.myelin.testing.FakeClock} from {@code matrix-testing}.
 */
@NullMarked
package dev.myelin.core.time;

import org.jspecify.annotations.NullMarked;
