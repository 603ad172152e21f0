package dev.autodidact.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The executor's frames. The first frame (hello) is JSON: it is written before any program
 * ran. Requests and replies are lists of fields, each a 1-byte key length, the ASCII key, a
 * 4-byte value length and the value in UTF-16BE (which keeps unpaired surrogates of model
 * output intact): the executor reads and writes them with methods of bytes, str and int
 * only, which no program can replace, unlike the json module a program may patch.
 */
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

    private static final ObjectMapper HELLO = JsonMapper.builder().build();

    private WireFormat() {}

    static byte[] encode(long jobId, long nonce, Request request) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", Long.toString(jobId));
        fields.put("nonce", Long.toString(nonce));
        fields.put("op", request.op().wireName());
        request.fields().forEach((key, value) -> {
            if (value instanceof Boolean flag) {
                if (flag) {
                    fields.put(key, "1");
                }
            } else {
                fields.put(key, value.toString());
            }
        });
        return encodeFields(fields);
    }

    static byte[] encodeFields(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((key, value) -> {
            byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
            byte[] valueBytes = utf16(value);
            out.write(keyBytes.length);
            out.writeBytes(keyBytes);
            out.writeBytes(ByteBuffer.allocate(4).putInt(valueBytes.length).array());
            out.writeBytes(valueBytes);
        });
        return out.toByteArray();
    }

    static Map<String, String> decodeFields(byte[] frame) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        try {
            while (buffer.hasRemaining()) {
                byte[] key = new byte[Byte.toUnsignedInt(buffer.get())];
                buffer.get(key);
                int size = buffer.getInt();
                if (size < 0 || size > buffer.remaining() || size % 2 != 0) {
                    throw new IOException("malformed reply field of " + size + " bytes");
                }
                byte[] value = new byte[size];
                buffer.get(value);
                fields.put(new String(key, StandardCharsets.US_ASCII), fromUtf16(value));
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("truncated reply frame");
        }
        return fields;
    }

    /** The chars as they are, two bytes each: unlike the UTF_16BE charset, no surrogate is replaced. */
    static byte[] utf16(String text) {
        byte[] bytes = new byte[2 * text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes[2 * i] = (byte) (c >> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        return bytes;
    }

    static String fromUtf16(byte[] bytes) {
        char[] chars = new char[bytes.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF));
        }
        return new String(chars);
    }

    static Hello decodeHello(byte[] frame) throws IOException {
        return HELLO.readValue(frame, Hello.class);
    }

    static Reply decodeReply(byte[] frame) throws IOException {
        Map<String, String> fields = decodeFields(frame);
        try {
            return new Reply(
                    parseLong(fields.get("id")),
                    parseLong(fields.get("nonce")),
                    fields.containsKey("status") ? Status.valueOf(fields.get("status")) : null,
                    fields.get("result"),
                    fields.get("stdout"),
                    fields.get("error"),
                    fields.get("dirty"));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed reply: " + e.getMessage());
        }
    }

    private static Long parseLong(String text) {
        return text == null ? null : Long.parseLong(text);
    }
}
