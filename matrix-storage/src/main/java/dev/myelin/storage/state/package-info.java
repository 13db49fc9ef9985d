/**
 * Room state stored as state groups (snapshots and bounded delta chains), and each room's current state.
 */
@NullMarked
package dev.myelin.storage.state;

import org.jspecify.annotations.NullMarked;
