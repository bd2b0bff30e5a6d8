package dev.switchboard.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 written byte for byte on a loopback socket, for what no HTTP client will send: malformed chunks,
 * {@code ..} and {@code %00} left in the path, {@code TRACE}, headers that never end.
 */
public final class RawHttp {

    /** A response as read off the socket; {@code body} is the raw rest after the headers (chunk sizes included). */
    public record Response(int status, String headers, String body) {}

    private RawHttp() {}

    /** Sends {@code request} (which should carry {@code Connection: close}) and reads until the server closes. */
    public static Response exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(15).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return parse(readUntilClosed(socket.getInputStream()));
        }
    }

    static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server neither answered nor closed within the socket timeout; got: "
                    + bytes.toString(StandardCharsets.UTF_8), stillOpen);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (!raw.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP response: '" + raw + "'");
        }
        return new Response(Integer.parseInt(raw.substring(9, 12)), raw.substring(0, end), raw.substring(end + 4));
    }
}
