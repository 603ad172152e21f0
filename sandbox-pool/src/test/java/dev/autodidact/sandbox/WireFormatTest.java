package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void requestsKeepUnpairedSurrogatesAndNullBytes() throws IOException {
        byte[] frame = WireFormat.encode(99, List.of(
                new WireFormat.Numbered(7, Request.checkLiteral("é\ud800\0'")),
                new WireFormat.Numbered(8, Request.checkLiteral("1"))));

        assertThat(WireFormat.decodeFields(frame))
                .containsEntry("nonce", "99")
                .containsEntry("0:id", "7")
                .containsEntry("0:op", "check_literal")
                .containsEntry("0:text", "é\ud800\0'")
                .containsEntry("1:id", "8")
                .containsEntry("1:text", "1");
    }

    @Test
    void aTrueFlagIsSentAndAFalseOneLeftOut() throws IOException {
        assertThat(WireFormat.decodeFields(WireFormat.encode(2,
                List.of(new WireFormat.Numbered(1, Request.call("def f(): pass", "", true))))))
                .containsEntry("0:require_literal", "1");
        assertThat(WireFormat.decodeFields(WireFormat.encode(2,
                List.of(new WireFormat.Numbered(1, Request.call("def f(): pass", "", false))))))
                .doesNotContainKey("0:require_literal");
    }

    @Test
    void repliesDecodeIntoStatuses() throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("nonce", "5");
        fields.put("0:status", "OK");
        fields.put("0:result", "1");
        fields.put("0:id", "3");
        fields.put("1:status", "ERROR");
        fields.put("1:stdout", "");
        fields.put("1:error", "E: x");
        fields.put("1:id", "4");
        fields.put("1:ms", "12");
        fields.put("ran", "2");
        fields.put("dirty", "math changed");

        assertThat(WireFormat.decodeReply(WireFormat.encodeFields(fields))).isEqualTo(new WireFormat.BatchReply(5L,
                List.of(new WireFormat.Reply(3L, Status.OK, "1", null, null, null),
                        new WireFormat.Reply(4L, Status.ERROR, null, "", "E: x", 12L)),
                "math changed"));
    }

    @Test
    void anUnknownStatusOrATruncatedFrameIsAMalformedReply() {
        byte[] forged = WireFormat.encodeFields(Map.of("ran", "1", "0:id", "3", "0:status", "FORGED"));
        byte[] whole = WireFormat.encodeFields(Map.of("ran", "1", "0:id", "3", "0:status", "OK"));
        byte[] truncated = Arrays.copyOf(whole, whole.length - 1);

        assertThatThrownBy(() -> WireFormat.decodeReply(forged)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireFormat.decodeReply(truncated)).isInstanceOf(IOException.class);
    }
}
