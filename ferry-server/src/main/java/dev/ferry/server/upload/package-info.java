/**
 * Applying an upload: holding it whole (spilling to temporary files), checking values, reading and locking the
 * rows it changes, detecting conflicts and writing in foreign-key order with per-row results.
 */
package dev.ferry.server.upload;
