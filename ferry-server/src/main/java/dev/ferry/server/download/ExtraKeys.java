package dev.ferry.server.download;

import java.util.List;

/**
 * Keys of one table that a download carries whatever their change position.
 *
 * @param refetched keys the remote asked for again: the server's row is sent if it exists, a delete if not
 * @param rejected  keys whose delete this session's upload refused: the server's row is sent if it exists,
 *                  which puts the row back on the remote
 */
public record ExtraKeys(List<Object[]> refetched, List<Object[]> rejected) {
}
