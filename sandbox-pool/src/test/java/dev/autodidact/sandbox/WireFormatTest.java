package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void requestsKeepUnpairedSurrogatesAndNullBytes() throws IOException {
        byte[] frame = WireFormat.encode(7, 99, Request.checkLiteral("é\ud800\0'"));

        assertThat(WireFormat.decodeFields(frame))
                .containsEntry("id", "7")
                .containsEntry("nonce", "99")
                .containsEntry("op", "check_literal")
                .containsEntry("text", "é\ud800\0'");
    }

    @Test
    void aTrueFlagIsSentAndAFalseOneLeftOut() throws IOException {
        assertThat(WireFormat.decodeFields(WireFormat.encode(1, 2, Request.call("def f(): pass", "", true))))
                .containsEntry("require_literal", "1");
        assertThat(WireFormat.decodeFields(WireFormat.encode(1, 2, Request.call("def f(): pass", "", false))))
                .doesNotContainKey("require_literal");
    }

    @Test
    void repliesDecodeIntoStatuses() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("status", "ERROR");
        fields.put("stdout", "");
        fields.put("error", "E: x");
        fields.put("id", "3");
        fields.put("nonce", "5");

        assertThat(WireFormat.decodeReply(WireFormat.encodeFields(fields)))
                .isEqualTo(new WireFormat.Reply(3L, 5L, Status.ERROR, null, "", "E: x", null));
    }

    @Test
    void anUnknownStatusOrATruncatedFrameIsAMalformedReply() {
        byte[] forged = WireFormat.encodeFields(Map.of("id", "3", "status", "FORGED"));
        byte[] whole = WireFormat.encodeFields(Map.of("id", "3", "status", "OK"));
        byte[] truncated = Arrays.copyOf(whole, whole.length - 1);

        assertThatThrownBy(() -> WireFormat.decodeReply(forged)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireFormat.decodeReply(truncated)).isInstanceOf(IOException.class);
    }
}
