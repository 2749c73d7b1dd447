/**
 * Sync users and what they may do: PBKDF2-hashed passwords in {@code ferry_user} and their
 * verification, and the rule of who may act for a remote id (owner and grantees).
 */
package dev.ferry.server.auth;
