/**
 * H2 dialects. As a remote ({@link dev.ferry.dialect.h2.H2RemoteDialect}): native H2 column types,
 * Ferry's state tables, and Java row triggers ({@link dev.ferry.dialect.h2.H2TrackingTrigger}) that
 * follow the row-state rules of docs/STATE-TABLES.md.
 */
package dev.ferry.dialect.h2;
