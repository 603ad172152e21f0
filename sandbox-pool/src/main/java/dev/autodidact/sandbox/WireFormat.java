package dev.autodidact.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The executor's answer to one job of a batch. */
    record Reply(Long id, Status status, String result, String stdout, String error, Long millis) {}

    /**
     * The executor's answer to a batch: the jobs it ran, in order (it stops after the first
     * that is not ok).
     *
     * @param nonce the batch's nonce, echoed: a frame a program forged cannot know it
     * @param dirty set when a program changed interpreter state: the worker must be replaced
     */
    record BatchReply(Long nonce, List<Reply> replies, String dirty) {}

    /** One job of a batch: its id and request. */
    record Numbered(long id, Request request) {}

    private static final ObjectMapper HELLO = JsonMapper.builder().build();

    private WireFormat() {}

    static byte[] encode(long nonce, List<Numbered> jobs) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("nonce", Long.toString(nonce));
        for (int i = 0; i < jobs.size(); i++) {
            String prefix = i + ":";
            Request request = jobs.get(i).request();
            fields.put(prefix + "id", Long.toString(jobs.get(i).id()));
            fields.put(prefix + "op", request.op().wireName());
            request.fields().forEach((key, value) -> {
                if (value instanceof Boolean flag) {
                    if (flag) {
                        fields.put(prefix + key, "1");
                    }
                } else {
                    fields.put(prefix + key, value.toString());
                }
            });
        }
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

    static BatchReply decodeReply(byte[] frame) throws IOException {
        Map<String, String> fields = decodeFields(frame);
        try {
            int ran = Integer.parseInt(fields.getOrDefault("ran", "-1"));
            if (ran < 0) {
                throw new IOException("malformed reply: no job count");
            }
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < ran; i++) {
                String prefix = i + ":";
                String status = fields.get(prefix + "status");
                replies.add(new Reply(
                        parseLong(fields.get(prefix + "id")),
                        status == null ? null : Status.valueOf(status),
                        fields.get(prefix + "result"),
                        fields.get(prefix + "stdout"),
                        fields.get(prefix + "error"),
                        parseLong(fields.get(prefix + "ms"))));
            }
            return new BatchReply(parseLong(fields.get("nonce")), replies, fields.get("dirty"));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed reply: " + e.getMessage());
        }
    }

    private static Long parseLong(String text) {
        return text == null ? null : Long.parseLong(text);
    }
}
