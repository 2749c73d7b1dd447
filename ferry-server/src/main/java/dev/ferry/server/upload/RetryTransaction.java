package dev.ferry.server.upload;

import java.sql.SQLException;

/** Thrown inside an upload transaction when the database asks for it to be rolled back and replayed. */
public final class RetryTransaction extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetryTransaction(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlCause() {
        return (SQLException) getCause();
    }
}
