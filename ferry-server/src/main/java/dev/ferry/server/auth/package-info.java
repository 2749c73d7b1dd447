/**
 * Sync users: PBKDF2-hashed passwords in {@code ferry_user} and their verification.
 */
package dev.ferry.server.auth;
