/**
 * Conflict detection's other half: the per-table policies (server-wins, client-wins, newer-wins, column-merge,
 * custom Java resolvers, SQL procedures) and the {@code ferry_conflict} log. See docs/CONFLICTS.md.
 */
package dev.ferry.server.conflict;
