/**
 * The sync server: {@link dev.ferry.server.FerryServer} wires the consolidated database, provisioning, the
 * session engine and HTTP together. Stateless between requests: every fact lives in the consolidated database.
 */
package dev.ferry.server;
