/**
 * Time as an injected seam: {@link dev.myelin.core.time.Clock}, the real {@link
 * dev.myelin.core.time.SystemClock}, and {@link dev.myelin.core.time.LoopingCall} for periodic
 * work, and {@link dev.myelin.core.time.ManualClock}, the deterministic clock every test uses
 * (the test kit names it {@code dev.myelin.testing.FakeClock}).
 */
@NullMarked
package dev.myelin.core.time;

import org.jspecify.annotations.NullMarked;
