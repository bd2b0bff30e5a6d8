package dev.switchboard.app.connections;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening socket and reports connections it could not accept. reactor-netty swallows accept
 * errors (it pauses accepting for a second and retries), so a server out of file descriptors stopped answering
 * probes with nothing in the log. Logged at WARN at most every {@value #LOG_EVERY_SECONDS} s with the descriptor
 * counts, and counted in {@code switchboard_connections_accept_failures_total{reason}}.
 */
@ChannelHandler.Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptFailures.class);
    private static final long LOG_EVERY_SECONDS = 10;

    private final Counter descriptors;
    private final Counter other;
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong unlogged = new AtomicLong();

    AcceptFailures(MeterRegistry registry) {
        this.descriptors = counter(registry, "descriptors");
        this.other = counter(registry, "other");
    }

    private static Counter counter(MeterRegistry registry, String reason) {
        return Counter.builder("switchboard.connections.accept.failures")
                .description("Connections the server could not accept (descriptors: the process is out of file descriptors)")
                .tag("reason", reason).register(registry);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean outOfDescriptors = String.valueOf(cause.getMessage()).contains("Too many open files");
        (outOfDescriptors ? descriptors : other).increment();
        long suppressed = unlogged.incrementAndGet();
        long now = System.nanoTime();
        long due = nextLogNanos.get();
        if (now - due >= 0 && nextLogNanos.compareAndSet(due, now + TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS))) {
            unlogged.set(0);
            if (outOfDescriptors) {
                log.warn("Cannot accept new connections: the process is out of file descriptors ({}); {} refused since the "
                        + "last report. Raise the limit (ulimit -n) or lower the number of open connections "
                        + "(server.netty.idle-timeout, switchboard.connections.header-read-timeout).",
                        descriptorCounts(), suppressed);
            } else {
                log.warn("Cannot accept new connections ({} since the last report): {}", suppressed, cause.toString());
            }
        }
        ctx.fireExceptionCaught(cause); // reactor-netty's acceptor pauses accepting for a second and retries
    }

    private static String descriptorCounts() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getOpenFileDescriptorCount() + " of " + unix.getMaxFileDescriptorCount() + " open";
        }
        return "counts unavailable";
    }
}
