package dev.switchboard.app.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** What clients that hold connections do: idle and slow-header connections, and streams dropped mid-way. */
final class ConnectionProbes {

    private final AppProcess app;
    private final Traffic traffic;

    ConnectionProbes(AppProcess app) {
        this.app = app;
        this.traffic = new Traffic(app.base());
    }

    /**
     * Opens {@code count} idle connections and {@code count} that send a header line every few seconds and never
     * finish; the server must close all of them within {@code limit} while liveness keeps answering.
     */
    ProbeResult idleAndSlowConnections(int count, Duration limit) throws IOException, InterruptedException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2 * count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", app.port()), 5000);
            socket.setSoTimeout(200);
            sockets.add(socket);
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        byte[] requestLine = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII);
        int closed = 0;
        long lastClosedMillis = 0;
        long failedProbes = 0;
        long slowestProbe = 0;
        boolean[] open = new boolean[sockets.size()];
        java.util.Arrays.fill(open, true);
        int round = 0;
        while (closed < sockets.size() && System.nanoTime() < deadline) {
            for (int i = 0; i < sockets.size(); i++) {
                if (!open[i]) {
                    continue;
                }
                Socket socket = sockets.get(i);
                boolean slow = i >= count;
                if (serverClosed(socket, slow, round == 0 ? requestLine : ("X-Slow-" + round + ": a\r\n").getBytes(StandardCharsets.US_ASCII))) {
                    open[i] = false;
                    closed++;
                    lastClosedMillis = (System.nanoTime() - start) / 1_000_000;
                }
            }
            long liveness = traffic.livenessMillis();
            failedProbes += liveness < 0 ? 1 : 0;
            slowestProbe = Math.max(slowestProbe, liveness);
            round++;
            Thread.sleep(2000);
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        return new ProbeResult(count + " idle + " + count + " slow-header connections", sockets.size(), -1, 0, failedProbes,
                closed + " of " + sockets.size() + " closed by the server, the last after " + lastClosedMillis / 1000 + " s; slowest liveness "
                        + slowestProbe + " ms", closed == sockets.size());
    }

    /** True when the server has closed the connection; slow ones first send their next header line. */
    private static boolean serverClosed(Socket socket, boolean slow, byte[] nextHeader) {
        try {
            if (slow) {
                OutputStream out = socket.getOutputStream();
                out.write(nextHeader);
                out.flush();
            }
            InputStream in = socket.getInputStream();
            while (true) {
                int b = in.read();
                if (b == -1) {
                    return true;
                }
                // the server answered something (e.g. a 408 or 400) before closing: keep reading to the close
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * {@code streams} streaming completions at once, each dropped by the client after its second chunk; afterwards
     * nothing may stay running or queued on the server.
     */
    ProbeResult droppedStreams(int streams) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(streams);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < streams; i++) {
            int n = i;
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return traffic.stream("Stream " + n + ": count slowly to one hundred.", 200, 2);
                } catch (IOException | InterruptedException e) {
                    failures.add(e.toString());
                    return -1;
                }
            }, clients));
        }
        int accepted = 0;
        int refused = 0;
        int serverErrors = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<Integer> result : results) {
            int status = result.get();
            statuses.merge(status, 1, Integer::sum);
            accepted += status == 200 ? 1 : 0;
            refused += status == 429 ? 1 : 0;
            serverErrors += status >= 500 || status < 0 ? 1 : 0;
        }
        clients.shutdown();
        clients.awaitTermination(1, TimeUnit.MINUTES);
        long dropped = System.nanoTime();
        long[] load;
        do {
            Thread.sleep(50);
            load = traffic.queueAndRunning();
        } while ((load[0] > 0 || load[1] > 0) && System.nanoTime() - dropped < Duration.ofSeconds(10).toNanos());
        long settledMillis = (System.nanoTime() - dropped) / 1_000_000;
        boolean settled = load[0] == 0 && load[1] == 0;
        return new ProbeResult(streams + " streams dropped after 2 chunks", streams, -1, 0, serverErrors,
                accepted + " streamed, " + refused + " refused 429; queue and running back to 0 after " + settledMillis
                        + " ms" + (settled ? "" : " (NOT settled: " + load[0] + " queued, " + load[1] + " running)")
                        + (serverErrors == 0 ? "" : "; statuses " + statuses + (failures.isEmpty() ? "" : ", e.g. " + failures.peek())),
                settled);
    }
}
