/**
 * The HTTP API (Javalin): {@code /v1/sync}, {@code /v1/sync/ack}, {@code /v1/schema}, {@code /health}, and the one
 * JSON error shape. See docs/PROTOCOL.md.
 */
package dev.ferry.server.http;
