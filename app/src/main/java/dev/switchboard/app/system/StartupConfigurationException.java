package dev.switchboard.app.system;

/**
 * A start-up failure caused by configuration the operator can fix. Carries the setting to change so
 * that {@link StartupConfigurationFailureAnalyzer} can say it in one line.
 */
public class StartupConfigurationException extends RuntimeException {

    private final String setting;

    public StartupConfigurationException(String problem, String setting, Throwable cause) {
        super(problem, cause);
        this.setting = setting;
    }

    /** The property (or environment variable) the operator should change. */
    public String setting() {
        return setting;
    }
}
