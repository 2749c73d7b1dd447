package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;

/** The operation an uploaded row carries; its wire form is one letter. */
public enum ChangeOp {
    INSERT("I"), UPDATE("U"), DELETE("D");

    private final String wire;

    ChangeOp(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static ChangeOp fromWire(String s) {
        for (ChangeOp op : values()) {
            if (op.wire.equals(s)) {
                return op;
            }
        }
        throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unknown row operation " + Shown.quoted(s));
    }
}
