package dev.ferry.server.consolidated;

import dev.ferry.core.schema.TableDef;

/** A synchronized table and the shadow table Ferry keeps its changes in. */
public record TrackedTable(TableDef table, int tableId, String shadow) {
}
