package dev.switchboard.app.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Every logging event of an application, as text: message, arguments, MDC and stack trace. Attached to
 * Logback's root logger once Spring Boot has configured logging (which resets the appenders) and before any
 * bean is created; detached, and the root level put back as it was found, by {@link #close}.
 */
final class LogCapture implements ApplicationListener<ApplicationPreparedEvent>, AutoCloseable {

    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    private final Level rootLevelBefore = root.getLevel();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder text = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                    .append(' ').append(event.getFormattedMessage());
            if (event.getArgumentArray() != null && event.getArgumentArray().length > 0) {
                text.append(" args=").append(Arrays.deepToString(event.getArgumentArray()));
            }
            if (!event.getMDCPropertyMap().isEmpty()) {
                text.append(" mdc=").append(event.getMDCPropertyMap());
            }
            if (event.getThrowableProxy() != null) {
                text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            events.add(text.toString());
        }
    };

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        appender.setContext(root.getLoggerContext());
        appender.setName("secret-capture");
        appender.start();
        root.addAppender(appender);
    }

    /** Everything captured so far, one event per line (stack traces span several). */
    String text() {
        return String.join("\n", events);
    }

    /** The logging events that mention {@code text} (in their message, arguments, MDC or stack trace). */
    List<String> eventsContaining(String text) {
        return events.stream().filter(event -> event.contains(text)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevelBefore);
    }
}
