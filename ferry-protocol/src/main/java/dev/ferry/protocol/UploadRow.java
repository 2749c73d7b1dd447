package dev.ferry.protocol;

/**
 * One uploaded row. {@code newValues} is the full row after the change (null for a delete);
 * {@code oldValues} is the row as the remote last had it from the server (null for an insert). Values
 * are canonical (see {@link dev.ferry.core.value.Values}) and follow the table's column order.
 */
public record UploadRow(ChangeOp op, Object[] newValues, Object[] oldValues) {
    /** The row whose key identifies this change: the new image, or the old one for a delete. */
    public Object[] image() {
        return newValues != null ? newValues : oldValues;
    }

    /** True when the remote sent this row without some of the table's columns ({@link Absent}). */
    public boolean lacksColumns() {
        return Absent.any(newValues) || Absent.any(oldValues);
    }
}
