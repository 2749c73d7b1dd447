/** The {@code ferry} command line: one picocli class per subcommand. */
package dev.ferry.cli;
