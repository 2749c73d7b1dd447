/**
 * Keys created offline (issue 13; docs/SCHEMAS.md "Keys created offline"): {@link dev.ferry.server.keys.KeyRanges}
 * hands each remote blocks of keys of the tables {@code sync.keyRanges.tables} names, reserved from the
 * table's own key generator so that neither the server nor another remote ever issues a key in them.
 */
package dev.ferry.server.keys;
