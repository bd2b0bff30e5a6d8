package dev.switchboard.app.cli;

/** A command-line mistake: printed with the usage line, exit status 2. */
class CliUsageException extends RuntimeException {
    CliUsageException(String message) {
        super(message);
    }
}
