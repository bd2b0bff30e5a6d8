package dev.switchboard.app.model;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.tree.Node;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The Jinjava engine a chat template runs in. A chat template comes from a model folder, so it is trusted as
 * code, but not without bounds; the conversation it renders comes from anonymous clients and is data only.
 *
 * <ul>
 *   <li><b>Nested interpretation off:</b> Jinjava by default renders the output of an expression again, so
 *       {@code {{ 7*7 }}} inside a message would run. Off, a message's text is printed exactly as sent.
 *   <li><b>No resources:</b> {@code include}, {@code import} and {@code from} find nothing (the default locator
 *       reads the class path, which holds the server's configuration).
 *   <li><b>Method calls allow-listed</b> by {@link MethodAllowlistResolver}: the string, list and dict helpers chat
 *       templates use, never arbitrary Java methods such as {@code String.repeat}.
 *   <li><b>Bounded work:</b> output, string, list and range sizes are capped, and a render that has used
 *       {@link #RENDER_TIME_LIMIT} of its thread's CPU time is stopped at its next node. CPU time, not the clock:
 *       on a busy machine a harmless template can wait longer than the limit for a core, and must not fail for it.
 * </ul>
 */
final class TemplateSandbox {

    /** Most characters a render may produce; far above any prompt a served context holds. */
    static final long MAX_OUTPUT_CHARS = 8L << 20;
    /** Most CPU time a render may use; a real chat template renders a 1 MB conversation in milliseconds. */
    static final Duration RENDER_TIME_LIMIT = Duration.ofSeconds(1);
    private static final int MAX_COLLECTION_SIZE = 100_000;
    private static final int MAX_RANGE = 10_000;
    private static final int MAX_RENDER_DEPTH = 10;

    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TemplateSandbox() {}

    static Jinjava newEngine() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(false)
                .withNestedInterpretationEnabled(false)
                .withElResolver(new MethodAllowlistResolver(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY))
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withMaxStringLength(MAX_OUTPUT_CHARS)
                .withMaxListSize(MAX_COLLECTION_SIZE)
                .withMaxMapSize(MAX_COLLECTION_SIZE)
                .withRangeLimit(MAX_RANGE)
                .withMaxRenderDepth(MAX_RENDER_DEPTH)
                .withMaxMacroRecursionDepth(MAX_RENDER_DEPTH)
                .withEnableRecursiveMacroCalls(false)
                .withNodePreProcessor(TemplateSandbox::checkDeadline)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("chat templates cannot load other templates or files ('" + name + "')");
        });
        return jinjava;
    }

    /** Runs {@code render} on this thread with the time limit armed. */
    static <T> T timed(Supplier<T> render) {
        DEADLINE_NANOS.set(now() + RENDER_TIME_LIMIT.toNanos());
        try {
            return render.get();
        } finally {
            DEADLINE_NANOS.remove();
        }
    }

    private static void checkDeadline(Node node, JinjavaInterpreter interpreter) {
        Long deadline = DEADLINE_NANOS.get();
        if (deadline != null && now() - deadline > 0) {
            throw new RenderTimeExceededException();
        }
    }

    /** This thread's CPU time where the JVM measures it (HotSpot on Linux does), else the clock. */
    private static long now() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Thrown at the first node rendered after the time limit; ends the render. */
    static final class RenderTimeExceededException extends RuntimeException {
        RenderTimeExceededException() {
            super("the chat template used more than " + RENDER_TIME_LIMIT.toMillis() + " ms of CPU time", null, false, false);
        }
    }
}
