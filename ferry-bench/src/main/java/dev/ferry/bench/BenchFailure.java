package dev.ferry.bench;

/** A scenario could not be measured; its message is printed in the scenario's row after FAILED. */
final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
        super(message);
    }

    BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
