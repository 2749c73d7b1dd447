package dev.ferry.bench;

import java.time.Duration;

/** A timed Ferry operation and what the server used meanwhile. */
record Measured(Duration time, ServerMemory memory) {
}
