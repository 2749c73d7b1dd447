/**
 * Dialects: the only place SQL differs between databases. One package per database, each with the
 * same kit ({@code <Db>Dialect} and helpers). {@link dev.ferry.dialect.Dialects} picks one from a JDBC
 * URL; an unsupported database is an explicit error, never a generic fallback.
 */
package dev.ferry.dialect;
