package dev.ferry.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.InputStream;

/**
 * The server's answer to a {@link RegistrationRequest}: the remote id is now the requesting
 * database's, owned by {@code owner}.
 *
 * @param replaced   true when another database was this remote id before (and is refused from now on)
 * @param credential the remote's credential for every later request ({@code Authorization: Bearer}); sent only in this answer
 */
public record Registration(int protocol, String remoteId, String owner, boolean replaced, String credential) {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public Registration(String remoteId, String owner, boolean replaced, String credential) {
        this(Protocol.VERSION, remoteId, owner, replaced, credential);
    }

    /** Never prints the credential. */
    @Override
    public String toString() {
        return "Registration[remoteId=" + remoteId + ", owner=" + owner + ", replaced=" + replaced + "]";
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a registration always serializes", e);
        }
    }

    public static Registration read(InputStream in) {
        try {
            return JSON.readValue(in, Registration.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "malformed registration answer: " + e.getMessage(), null, e);
        }
    }
}
