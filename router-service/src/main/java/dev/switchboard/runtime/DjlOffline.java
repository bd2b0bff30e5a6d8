package dev.switchboard.runtime;

/**
 * Keeps DJL from ever reaching the network: the PyTorch natives come from the Maven jars. Called by
 * every entry point that may load the engine, before it loads (the property is read once, at engine start).
 */
public final class DjlOffline {

    private DjlOffline() {}

    public static void enforce() {
        System.setProperty("ai.djl.offline", "true");
    }
}
