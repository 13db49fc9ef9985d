/**
 * Coordination primitives for blocking code on virtual threads: per-key serialisation ({@link
 * dev.myelin.core.concurrent.Linearizer}), per-key read/write locks ({@link
 * dev.myelin.core.concurrent.KeyedReadWriteLock}), interruptible back-off ({@link
 * dev.myelin.core.concurrent.AwakenableSleeper}) and future helpers ({@link
 * dev.myelin.core.concurrent.Futures}).
 */
@NullMarked
package dev.myelin.core.concurrent;

import org.jspecify.annotations.NullMarked;
