package dev.switchboard.app.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens around the requests: expert swaps while serving, a frozen and a crashed PostgreSQL, a graceful
 * drain and a kill -9. Losses compare what the clients were answered (prompt + completion − 1 routed tokens per
 * completion) with what PostgreSQL gained once every window was written.
 */
final class LifecycleProbes {

    /** The statistics window and flush interval of the server under test: the most a kill -9 may lose. */
    private static final Duration OPEN_WINDOW = Duration.ofSeconds(11);
    /** Longer than a window plus a flush: by then every closed window has been written. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private final AppProcess app;
    private final Traffic traffic;

    LifecycleProbes(AppProcess app) {
        this.app = app;
        this.traffic = new Traffic(app.base());
    }

    /** Four clients for 20 s while layer 0's expert 1 is disabled and enabled every 200 ms. */
    ProbeResult hotSwapsUnderLoad() throws Exception {
        long storedBefore = settledStoredTokens();
        int swaps = 0;
        int refusedSwaps = 0;
        Traffic.Load load = traffic.new Load(4, 16);
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            String action = swaps % 2 == 0 ? "disable" : "enable";
            refusedSwaps += traffic.admin("/api/admin/experts/layers/0/experts/1/" + action) == 200 ? 0 : 1;
            swaps++;
            Thread.sleep(200);
        }
        load.close();
        traffic.admin("/api/admin/experts/layers/0/experts/1/enable");
        long stored = settledStoredTokens() - storedBefore;
        long lost = Math.max(0, load.routedTokens.get() - stored);
        return new ProbeResult("hot swaps under load (" + swaps + " swaps)", load.sent.get(), lost, 0, load.serverErrors.get(),
                accounting(load.routedTokens.get(), stored) + "; " + refusedSwaps + " swaps refused" + samples(load),
                refusedSwaps == 0);
    }

    /** PostgreSQL frozen with SIGSTOP for 15 s under load: readiness keeps answering, nothing is lost after SIGCONT. */
    ProbeResult databaseFreeze() throws Exception {
        long storedBefore = settledStoredTokens();
        Traffic.Load load = traffic.new Load(4, 16);
        Thread.sleep(2000);
        app.signalPostgres("STOP");
        long slowestReadiness = 0;
        int unanswered = 0;
        try {
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < until) {
                long[] readiness = traffic.readiness();
                slowestReadiness = Math.max(slowestReadiness, readiness[1]);
                unanswered += readiness[0] < 0 ? 1 : 0;
                Thread.sleep(1000);
            }
        } finally {
            app.signalPostgres("CONT");
        }
        Thread.sleep(2000);
        load.close();
        long stored = settledStoredTokens() - storedBefore; // the writer retries what the frozen database did not take
        long lost = Math.max(0, load.routedTokens.get() - stored);
        return new ProbeResult("PostgreSQL frozen 15 s (SIGSTOP) under load", load.sent.get(), lost, 0, load.serverErrors.get(),
                accounting(load.routedTokens.get(), stored) + "; slowest readiness " + slowestReadiness + " ms, "
                        + unanswered + " unanswered" + samples(load), slowestReadiness < 1000 && unanswered == 0);
    }

    /** One PostgreSQL backend killed with SIGKILL under load: the postmaster restarts every backend (crash recovery). */
    ProbeResult databaseCrash() throws Exception {
        long storedBefore = settledStoredTokens();
        Traffic.Load load = traffic.new Load(4, 16);
        Thread.sleep(3000);
        long postmaster = app.postgresPid();
        List<ProcessHandle> backends = new ArrayList<>(ProcessHandle.of(postmaster).orElseThrow().children().toList());
        ProcessHandle victim = backends.stream().filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("")
                .contains("postgres")).findFirst().orElse(backends.get(backends.size() - 1));
        new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).inheritIO().start().waitFor();
        Thread.sleep(8000);
        load.close();
        long stored = settledStoredTokens() - storedBefore;
        long lost = Math.max(0, load.routedTokens.get() - stored);
        return new ProbeResult("PostgreSQL backend SIGKILL (crash recovery) under load", load.sent.get(), lost, 0,
                load.serverErrors.get(), accounting(load.routedTokens.get(), stored) + samples(load), true);
    }

    /** SIGTERM under load, then a restart on the same data directory: every answered completion's statistics are there. */
    ProbeResult gracefulDrain() throws Exception {
        long storedBefore = settledStoredTokens();
        Traffic.Load load = traffic.new Load(4, 48);
        Thread.sleep(5000);
        long terminating = System.nanoTime();
        int exit = app.terminate(Duration.ofSeconds(60));
        long shutdownMillis = (System.nanoTime() - terminating) / 1_000_000;
        load.close();
        app.start();
        long stored = app.storedRoutedTokens(ReliabilitySuite.MODEL) - storedBefore;
        long lost = Math.max(0, load.routedTokens.get() - stored);
        return new ProbeResult("graceful drain (SIGTERM under load) and restart", load.sent.get(), lost, 0, load.serverErrors.get(),
                accounting(load.routedTokens.get(), stored) + "; shutdown took " + shutdownMillis + " ms, exit " + exit
                        + samples(load), shutdownMillis < 30_000);
    }

    /** kill -9 under load, then a restart on the same data directory: it starts, and loses at most the open window. */
    ProbeResult killAndRestart() throws Exception {
        long storedBefore = settledStoredTokens();
        Traffic.Load load = traffic.new Load(4, 16);
        long loadStart = System.nanoTime();
        Thread.sleep(15_000);
        long beforeKill = load.routedTokens.get();
        double seconds = (System.nanoTime() - loadStart) / 1e9;
        app.kill();
        load.close();
        Duration restart = app.start();
        long stored = app.storedRoutedTokens(ReliabilitySuite.MODEL) - storedBefore;
        long routed = load.routedTokens.get();
        long lost = Math.max(0, routed - stored);
        long allowed = (long) Math.ceil(beforeKill / seconds * OPEN_WINDOW.toSeconds()) + (routed - beforeKill);
        return new ProbeResult("kill -9 under load and restart", load.sent.get(), lost, allowed, 0,
                accounting(routed, stored) + " (the open window allows " + allowed + " lost); restarted in "
                        + restart.toMillis() + " ms", true);
    }

    /**
     * Waits until the stored total has not moved for longer than a window plus a flush, so the window that was
     * open when the last traffic ended has been closed and written; returns it (the baseline of what follows).
     * The server's own counter cannot serve: it advances when a window closes, as the table does.
     */
    private long settledStoredTokens() throws Exception {
        long stored = app.storedRoutedTokens(ReliabilitySuite.MODEL);
        long unchangedSince = System.nanoTime();
        long deadline = unchangedSince + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() - unchangedSince < SETTLE.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = app.storedRoutedTokens(ReliabilitySuite.MODEL);
            if (now != stored) {
                stored = now;
                unchangedSince = System.nanoTime();
            }
        }
        return stored;
    }

    /** The loss line: what the clients were answered against what PostgreSQL gained. */
    private static String accounting(long routed, long stored) {
        return "answered completions routed " + routed + " tokens, PostgreSQL gained " + stored
                + (stored > routed ? " (" + (stored - routed) + " more: requests the server finished but the client gave up on)" : "");
    }

    private static String samples(Traffic.Load load) {
        return load.errorSamples.isEmpty() ? "" : "; e.g. " + String.join(" | ", load.errorSamples);
    }
}
