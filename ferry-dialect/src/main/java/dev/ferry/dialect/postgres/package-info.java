/**
 * PostgreSQL as the consolidated database: {@link dev.ferry.dialect.postgres.PostgresDialect} and
 * its helpers (type mapping, value codec, failure classification, trigger DDL).
 */
package dev.ferry.dialect.postgres;
