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

    /** The executor's first frame: whether it isolated itself, and its report of the layers. */
    record Hello(boolean ready, Map<String, Object> isolation, Long pid, String error) {}

    /**
     * The executor's answer to one request.
     *
     * @param nonce the request's nonce, echoed: a frame a program forged cannot know it
     * @param dirty set when the program changed interpreter state: the worker must be replaced
     */
    record Reply(Long id, Long nonce, Status status, String result, String stdout, String error, String dirty) {}

    // Escaping every non-ASCII char keeps unpaired surrogates of model output encodable.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private WireFormat() {}

    static byte[] encode(long jobId, long nonce, Request request) {
        Map<String, Object> message = new HashMap<>(request.fields());
        message.put("id", jobId);
        message.put("nonce", nonce);
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
