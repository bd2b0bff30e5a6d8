package dev.switchboard.app.cli;

/** A command-line mistake: printed with the usage line, exit status 2. */
public class CliUsageException extends RuntimeException {
    public CliUsageException(String message) {
        super(message);
    }
}
