/**
 * JDBC building blocks the dialects share: identifier quoting, schema reading through
 * {@link java.sql.DatabaseMetaData}, canonical value binding, shadow-table DDL and walking a
 * {@link java.sql.SQLException} chain. Nothing here knows a particular database; each dialect
 * plugs in what differs (type mapping, quoting character, value overrides).
 */
package dev.ferry.dialect.jdbc;
