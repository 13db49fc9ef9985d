/** Moving a Myelin database from one engine to another ({@code port-db}). */
@NullMarked
package dev.myelin.storage.port;

import org.jspecify.annotations.NullMarked;
