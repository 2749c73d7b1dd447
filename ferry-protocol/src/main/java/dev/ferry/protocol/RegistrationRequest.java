package dev.ferry.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.InputStream;

/**
 * What {@code ferry remote init} sends to {@code POST /v1/remotes} before it creates anything locally:
 * "register this remote id to me, for the database with this incarnation". Without {@code replace} a
 * remote id the server already knows is refused ({@code REMOTE_ID_IN_USE}); with it, the id's owner
 * makes the new database the remote id and the one before it is refused from then on.
 * {@code publications} names the publications the remote subscribes to (docs/PARTITIONS.md); null or
 * empty = every publication.
 */
public record RegistrationRequest(int protocol, String remoteId, String incarnation, boolean replace, java.util.List<String> publications) {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public RegistrationRequest(String remoteId, String incarnation, boolean replace) {
        this(Protocol.VERSION, remoteId, incarnation, replace, null);
    }

    public RegistrationRequest(String remoteId, String incarnation, boolean replace, java.util.List<String> publications) {
        this(Protocol.VERSION, remoteId, incarnation, replace, publications);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a registration request always serializes", e);
        }
    }

    /** Reads and checks a request: the protocol version, a remote id and a well-formed incarnation. */
    public static RegistrationRequest read(InputStream in) {
        RegistrationRequest r;
        try {
            r = JSON.readValue(in, RegistrationRequest.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "malformed registration request: " + e.getMessage(), null, e);
        }
        if (r == null || r.protocol() != Protocol.VERSION) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "registration request speaks protocol " + (r == null ? null : r.protocol())
                    + "; this server speaks " + Protocol.VERSION, "use a client and server of the same Ferry release");
        }
        if (r.remoteId() == null || r.incarnation() == null) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a registration request needs remoteId and incarnation");
        }
        IncarnationToken.checked(r.incarnation());
        return r;
    }
}
