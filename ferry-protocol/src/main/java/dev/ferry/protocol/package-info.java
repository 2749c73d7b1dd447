/**
 * The sync wire protocol: message model and a streaming JSON codec. One sync is one HTTP exchange;
 * see docs/PROTOCOL.md. No JDBC and no HTTP server here.
 */
package dev.ferry.protocol;
