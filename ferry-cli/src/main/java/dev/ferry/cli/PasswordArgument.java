package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/**
 * A {@code --password} value: the password itself, or {@code -} for the {@code FERRY_PASSWORD}
 * environment variable (which keeps it out of the process list and the shell history).
 */
final class PasswordArgument {
    private PasswordArgument() {
    }

    static char[] resolve(String value) {
        String pw = "-".equals(value) ? System.getenv("FERRY_PASSWORD") : value;
        if (pw == null || pw.isEmpty()) {
            throw new FerryException(ErrorCode.USAGE, "--password is empty" + ("-".equals(value) ? ": FERRY_PASSWORD is not set" : ""),
                    "pass the password, or set FERRY_PASSWORD and pass -");
        }
        return pw.toCharArray();
    }
}
