package dev.switchboard.app.routingstats;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.context.ApplicationContext;

/** Lets tests outside this package close the statistics window now, as the scheduled flush would when it is due. */
public final class StatsProbe {

    private StatsProbe() {}

    /** Closes the open window (the routing counters advance) and writes it. */
    public static void closeWindow(ApplicationContext context) {
        assertThat(context.getBean(RoutingStatsFlusher.class).closeAndFlush()).as("the closed window was written").isTrue();
    }
}
