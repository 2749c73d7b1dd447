package dev.ferry.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * What {@code ferry remote init} sends to {@code POST /v1/remotes} before it creates anything locally:
 * "register this remote id to me, for the database with this incarnation". Without {@code replace} a
 * remote id the server already knows is refused ({@code REMOTE_ID_IN_USE}); with it, the id's owner
 * makes the new database the remote id and the one before it is refused from then on.
 * {@code publications} names the publications the remote subscribes to (docs/PARTITIONS.md); null or
 * empty = every publication.
 */
public record RegistrationRequest(int protocol, String remoteId, String incarnation, boolean replace, List<String> publications) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("protocol", "remoteId", "incarnation", "replace", "publications");
    private static final int MAX_PUBLICATIONS = 100;

    public RegistrationRequest(String remoteId, String incarnation, boolean replace) {
        this(Protocol.VERSION, remoteId, incarnation, replace, null);
    }

    public RegistrationRequest(String remoteId, String incarnation, boolean replace, List<String> publications) {
        this(Protocol.VERSION, remoteId, incarnation, replace, publications);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a registration request always serializes", e);
        }
    }

    /**
     * Reads and checks a request strictly (no unknown or duplicate fields, exact types, nothing after it):
     * the protocol version, a well-formed remote id and incarnation.
     */
    public static RegistrationRequest read(InputStream in) {
        StrictJsonObject o = StrictJsonObject.read(in, "registration request", FIELDS);
        long protocol = o.counter("protocol");
        if (protocol != Protocol.VERSION) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "registration request speaks protocol " + protocol
                    + "; this server speaks " + Protocol.VERSION, "use a client and server of the same Ferry release");
        }
        String remoteId = RemoteIds.checked(o.string("remoteId"));
        String incarnation = IncarnationToken.checked(o.string("incarnation"));
        List<String> publications = o.nullableStringList("publications", MAX_PUBLICATIONS);
        return new RegistrationRequest(Protocol.VERSION, remoteId, incarnation, o.bool("replace", false),
                publications.isEmpty() ? null : publications);
    }
}
