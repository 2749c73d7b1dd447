package dev.ferry.core.error;

/**
 * The root of every error Ferry raises on purpose. Unchecked; carries a stable {@link ErrorCode} and
 * an optional hint telling the user what to do next. Messages name remote ids, tables and keys, never
 * passwords.
 */
public class FerryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String hint;

    public FerryException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public FerryException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    public FerryException(ErrorCode code, String message, String hint, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.hint = hint;
    }

    public ErrorCode code() {
        return code;
    }

    /** What the user should run or check next; may be null. */
    public String hint() {
        return hint;
    }

    /** One line for a terminal: code, message and hint. */
    public String oneLine() {
        return code + ": " + getMessage() + (hint == null ? "" : " (" + hint + ")");
    }
}
