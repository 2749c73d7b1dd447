package dev.ferry.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.io.InputStream;

/**
 * The server's answer on {@link Protocol#CREDENTIAL_PATH}: a new credential for {@code remoteId}; the
 * ones issued before are revoked. The request is {@code {"remoteId": ...}} with the user's password
 * as HTTP Basic.
 */
public record CredentialGrant(int protocol, String remoteId, String credential) {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public CredentialGrant(String remoteId, String credential) {
        this(Protocol.VERSION, remoteId, credential);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a credential grant always serializes", e);
        }
    }

    public static CredentialGrant read(InputStream in) {
        try {
            return JSON.readValue(in, CredentialGrant.class);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "malformed credential answer: " + e.getMessage(), null, e);
        }
    }

    /** Never prints the credential. */
    @Override
    public String toString() {
        return "CredentialGrant[remoteId=" + remoteId + "]";
    }
}
