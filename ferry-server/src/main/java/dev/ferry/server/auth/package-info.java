/**
 * Sync users and what they may do: PBKDF2-hashed passwords in {@code ferry_user} and their
 * verification, per-remote credentials ({@code ferry_remote_credential}), login throttling
 * ({@code ferry_login_failure}), and the rule of who may act for a remote id (owner and grantees).
 * See docs/SECURITY.md.
 */
package dev.ferry.server.auth;
