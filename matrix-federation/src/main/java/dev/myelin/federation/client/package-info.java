/**
 * The federation client: signed requests to other homeservers, sent where server discovery says.
 */
@NullMarked
package dev.myelin.federation.client;

import org.jspecify.annotations.NullMarked;
