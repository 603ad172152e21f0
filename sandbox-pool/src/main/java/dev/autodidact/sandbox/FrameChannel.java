package dev.autodidact.sandbox;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Length-prefixed frames (4-byte big-endian length, then the payload) over a worker's pipes. */
final class FrameChannel implements Closeable {

    private final DataOutputStream toWorker;
    private final DataInputStream fromWorker;
    private final int maxInboundBytes;

    FrameChannel(OutputStream toWorker, InputStream fromWorker, int maxInboundBytes) {
        this.toWorker = new DataOutputStream(toWorker);
        this.fromWorker = new DataInputStream(fromWorker);
        this.maxInboundBytes = maxInboundBytes;
    }

    void write(byte[] payload) throws IOException {
        toWorker.writeInt(payload.length);
        toWorker.write(payload);
        toWorker.flush();
    }

    /** The next frame; EOFException when the worker is gone, IOException on a malformed length. */
    byte[] read() throws IOException {
        int length = fromWorker.readInt();
        if (length < 0 || length > maxInboundBytes) {
            throw new IOException("malformed frame: length " + length);
        }
        byte[] payload = new byte[length];
        fromWorker.readFully(payload);
        return payload;
    }

    @Override
    public void close() {
        closeQuietly(toWorker);
        closeQuietly(fromWorker);
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // The worker is being discarded; a failed close changes nothing.
        }
    }
}
