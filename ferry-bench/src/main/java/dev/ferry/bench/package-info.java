/**
 * The end-to-end benchmark of issue 12: runs the real server (its own JVM, {@code -Xmx256m}) and the
 * real CLI (a new JVM per command) against fresh databases, measures a plain baseline beside each
 * figure in the same run, and prints one table ({@link dev.ferry.bench.ResultTable}). Started by
 * {@code ./ferry bench}; see docs/PERFORMANCE.md for what each row measures.
 */
package dev.ferry.bench;
