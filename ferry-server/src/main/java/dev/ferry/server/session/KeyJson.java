package dev.ferry.server.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.List;

/** Stores rejected rows' keys as JSON arrays in {@code ferry_upload_error.pk}. */
final class KeyJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    String write(List<Object> key) {
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot encode key " + key, null, e);
        }
    }

    List<Object> read(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<Object>>() { });
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "stored key " + json + " is not valid JSON", null, e);
        }
    }
}
