package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void requestsAreAsciiEvenForUnpairedSurrogatesAndNullBytes() {
        byte[] frame = WireFormat.encode(7, 99, Request.checkLiteral("é\ud800\0'"));
        String json = new String(frame, StandardCharsets.ISO_8859_1);

        assertThat(json.chars()).allMatch(c -> c < 128);
        assertThat(json).contains("\"id\":7", "\"nonce\":99", "\"op\":\"check_literal\"", "\\u00E9\\uD800\\u0000'");
    }

    @Test
    void repliesDecodeIntoStatuses() throws IOException {
        byte[] frame = "{\"id\":3,\"nonce\":5,\"status\":\"ERROR\",\"result\":null,\"stdout\":\"\",\"error\":\"E: x\"}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(WireFormat.decodeReply(frame))
                .isEqualTo(new WireFormat.Reply(3L, 5L, Status.ERROR, null, "", "E: x", null));
    }

    @Test
    void anUnknownStatusIsAMalformedReply() {
        byte[] frame = "{\"id\":3,\"nonce\":5,\"status\":\"FORGED\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireFormat.decodeReply(frame)).isInstanceOf(IOException.class);
    }
}
