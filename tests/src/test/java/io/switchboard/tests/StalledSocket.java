package io.switchboard.tests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client that completes the upgrade and then reads nothing, with a small receive buffer:
 * what the server sends it piles up in the server, as it does for a tab that stopped reading. It holds
 * nothing in the test's JVM, so that the JVM's memory is the server's.
 */
final class StalledSocket implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;

    private StalledSocket(Socket socket) {
        this.socket = socket;
    }

    static StalledSocket open(URI ws, String bearer, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer); // before connecting, so that the window is small
        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET " + ws.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + bearer + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException(
                    "the upgrade was refused: " + head.lines().findFirst().orElse(head));
        }
        return new StalledSocket(socket);
    }

    /** The response's status line and headers, and not one byte more. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection during the upgrade");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** What a stalled socket finally reads: its text frames in order, and the close code (-1 if none came). */
    record Received(List<String> texts, int closeCode) {}

    /**
     * Starts reading at last: every frame the server wrote, until its close frame or until nothing
     * comes for {@code quiet}. Server frames are unmasked; messages here fit in single frames.
     */
    Received readAll(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        List<String> texts = new ArrayList<>();
        try {
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                long length = in.readUnsignedByte() & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = in.readNBytes((int) length);
                if (opcode == 0x1) {
                    texts.add(new String(payload, StandardCharsets.UTF_8));
                } else if (opcode == 0x8) {
                    return new Received(
                            texts, payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
                }
            }
        } catch (SocketTimeoutException | EOFException ended) {
            return new Received(texts, -1);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
