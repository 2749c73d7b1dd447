/**
 * The consolidated database as the server sees it: pool, Flyway system tables, identity, provisioning of
 * shadow tables and triggers, and the per-table SQL the server runs.
 */
package dev.ferry.server.consolidated;
