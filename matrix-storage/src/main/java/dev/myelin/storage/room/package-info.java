/**
 * Rooms, their aliases, forgotten rooms and content reports.
 */
@NullMarked
package dev.myelin.storage.room;

import org.jspecify.annotations.NullMarked;
