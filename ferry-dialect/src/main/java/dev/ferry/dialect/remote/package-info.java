/**
 * Pieces both remote dialects (SQLite, H2) share: the synchronized-table catalog kept in
 * {@code ferry_table}/{@code ferry_column}, the JSON text Ferry writes into {@code ferry_pending}, and
 * SQL token rendering. The tables, triggers and row-state rules themselves are specified in
 * docs/STATE-TABLES.md, section "Remote database".
 */
package dev.ferry.dialect.remote;
