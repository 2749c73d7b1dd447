package dev.ferry.e2e;

import dev.ferry.server.conflict.Conflict;
import dev.ferry.server.conflict.ConflictResolver;
import dev.ferry.server.conflict.Resolution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The custom resolver the conflict tests configure: both names survive an update-update, the remote's
 * insert replaces an existing row, an update of a deleted row stays deleted, a delete beats an update.
 * A remote name of "boom" makes it throw, to show a failing resolver rejects one row and nothing else.
 */
public final class NameJoiningResolver implements ConflictResolver {
    @Override
    public Resolution resolve(Conflict c) {
        switch (c.kind()) {
            case UPDATE_UPDATE -> {
                if ("boom".equals(c.remoteImage().get("name"))) {
                    throw new IllegalStateException("cannot join names with boom");
                }
                Map<String, Object> row = new LinkedHashMap<>(c.serverImage());
                row.put("name", c.serverImage().get("name") + "+" + c.remoteImage().get("name"));
                return Resolution.write(row);
            }
            case INSERT_EXISTS -> {
                return Resolution.takeRemote();
            }
            case UPDATE_DELETED -> {
                return Resolution.keepServer();
            }
            default -> {
                return Resolution.delete();
            }
        }
    }
}
