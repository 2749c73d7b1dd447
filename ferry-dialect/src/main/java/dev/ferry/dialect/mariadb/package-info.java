/**
 * MariaDB (10.6 or later, for SKIP LOCKED; 10.7+ for the native UUID type) as the consolidated
 * database: {@link dev.ferry.dialect.mariadb.MariaDbDialect} and its helpers (type mapping, value
 * codec, failure classification, trigger DDL).
 */
package dev.ferry.dialect.mariadb;
