/**
 * Real databases for tests: a fresh PostgreSQL or MariaDB database, or H2 and SQLite files, per test; skipped
 * with a printed reason when a server is unreachable, except under CI, where that fails.
 */
package dev.ferry.testkit;
