package dev.switchboard.app.generation;

import org.springframework.context.ApplicationContext;

/** Lets tests outside this package read the scheduler's admission count. */
public final class SchedulerProbe {

    private SchedulerProbe() {}

    /** Requests accepted and not yet ended (waiting plus running). */
    public static int inFlight(ApplicationContext context) {
        return context.getBean(GenerationScheduler.class).inFlight();
    }
}
