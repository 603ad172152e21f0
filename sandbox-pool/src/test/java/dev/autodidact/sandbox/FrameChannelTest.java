package dev.autodidact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameChannelTest {

    @Test
    void framesAreLengthPrefixedBigEndian() throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        FrameChannel channel = new FrameChannel(sent, InputStream.nullInputStream(), 100);

        channel.write("{}".getBytes(StandardCharsets.UTF_8));

        assertThat(sent.toByteArray()).containsExactly(0, 0, 0, 2, '{', '}');
    }

    @Test
    void readsFramesBackInOrder() throws IOException {
        FrameChannel channel = reading(frame("one"), frame("two"));

        assertThat(new String(channel.read(), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(new String(channel.read(), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThatThrownBy(channel::read).isInstanceOf(EOFException.class);
    }

    @Test
    void aTruncatedFrameIsAnEndOfStream() {
        byte[] whole = frame("truncated");
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);

        assertThatThrownBy(reading(cut)::read).isInstanceOf(EOFException.class);
    }

    @Test
    void anImpossibleLengthIsMalformed() {
        byte[] hugeLength = ByteBuffer.allocate(4).putInt(1 << 30).array();
        byte[] negativeLength = ByteBuffer.allocate(4).putInt(-5).array();

        assertThatThrownBy(reading(hugeLength)::read).hasMessageContaining("malformed frame");
        assertThatThrownBy(reading(negativeLength)::read).hasMessageContaining("malformed frame");
    }

    private static FrameChannel reading(byte[]... frames) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            stream.writeBytes(frame);
        }
        return new FrameChannel(OutputStream.nullOutputStream(), new ByteArrayInputStream(stream.toByteArray()), 1000);
    }

    private static byte[] frame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }
}
