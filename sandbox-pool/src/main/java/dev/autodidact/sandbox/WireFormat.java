package dev.autodidact.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The JSON inside the executor's frames. */
final class WireFormat {

    /** The executor's first frame: whether it isolated itself, and how far. */
    record Hello(boolean ready, Isolation isolation, long pid, String error) {}

    /** The executor's answer to one request. */
    record Reply(Long id, Status status, String result, String stdout, String error) {}

    // Escaping every non-ASCII char keeps unpaired surrogates of model output encodable.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private WireFormat() {}

    static byte[] encode(long jobId, Request request) {
        Map<String, Object> message = new HashMap<>(request.fields());
        message.put("id", jobId);
        message.put("op", request.op().wireName());
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Hello decodeHello(byte[] frame) throws IOException {
        return MAPPER.readValue(frame, Hello.class);
    }

    static Reply decodeReply(byte[] frame) throws IOException {
        return MAPPER.readValue(frame, Reply.class);
    }
}
