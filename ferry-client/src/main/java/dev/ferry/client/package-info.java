/**
 * The embeddable client for a remote database (SQLite or H2): creating a remote, tracking its writes,
 * running sync sessions and reading row states. Depends on no server code and no consolidated-database
 * driver. Entry point: {@link dev.ferry.client.RemoteDatabase}.
 */
package dev.ferry.client;
