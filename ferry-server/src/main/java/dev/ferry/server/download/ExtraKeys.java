package dev.ferry.server.download;

import java.util.List;

/**
 * Keys of one table that a download carries whatever their change position.
 *
 * @param refetched keys the remote asked for again: the server's row is sent if it exists, a delete if not
 * @param rejected  keys this session's upload rejected: the server's row is sent if it exists (a refused
 *                  delete then puts the row back), nothing if not (a refused insert stays the remote's own)
 */
public record ExtraKeys(List<Object[]> refetched, List<Object[]> rejected) {
}
