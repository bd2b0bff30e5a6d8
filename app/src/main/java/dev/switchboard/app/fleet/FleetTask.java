package dev.switchboard.app.fleet;

/**
 * Work a replica does to keep in step with the others: run by {@link FleetSync} on its one thread, at every
 * poll and whenever a NOTIFY arrives, in bean order. Implementations block (bounded) and must not throw for
 * an unreachable database: they log and try again at the next run.
 */
public interface FleetTask {

    void sync();

    /**
     * Whether this task needs a run before the next poll (e.g. a model just loaded and not yet reconciled):
     * checked every {@link FleetSync#CHECK_EVERY}, cheaply, without the database.
     */
    default boolean wantsRunSoon() {
        return false;
    }

    /** Called once when this replica stops (the database still answers): say goodbye where it matters. */
    default void leave() {}
}
