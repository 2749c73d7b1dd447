package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code ferry}: the command line. Every failure prints one line, {@code error: CODE: message (hint)},
 * and exits with the code's exit status (see the README's error table).
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "Ferry 0.1.0",
        description = "Two-way sync between a consolidated database and SQLite/H2 remotes.",
        subcommands = {ServerCommand.class, SchemaCommand.class, UserCommand.class, RemoteCommand.class, ConflictsCommand.class, DownloadFileCommand.class,
                DemoCommand.class})
public final class FerryCli {

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("server") && !args[0].equals("demo")) {
            // Client commands print results, not server chatter.
            System.setProperty("FERRY_LOG_LEVEL", System.getProperty("FERRY_LOG_LEVEL", "WARN"));
        }
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests too). */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new FerryCli());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(commandLine.getErr(), e));
        cmd.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("error: " + ErrorCode.USAGE + ": " + e.getMessage());
            e.getCommandLine().usage(err);
            return ErrorCode.USAGE.exitCode();
        });
        return cmd.execute(args);
    }

    static int report(PrintWriter err, Exception e) {
        if (e instanceof FerryException fe) {
            err.println("error: " + fe.oneLine());
            err.flush();
            return fe.code().exitCode();
        }
        err.println("error: " + ErrorCode.INTERNAL + ": " + e);
        e.printStackTrace(err);
        err.flush();
        return ErrorCode.INTERNAL.exitCode();
    }
}
