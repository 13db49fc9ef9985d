/**
 * Accounts: users, access and refresh tokens, devices, profiles, account data, tags, filters, password
 * hashing and the user directory.
 */
@NullMarked
package dev.myelin.storage.account;

import org.jspecify.annotations.NullMarked;
