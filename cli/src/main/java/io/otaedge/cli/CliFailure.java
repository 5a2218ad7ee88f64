package io.otaedge.cli;

/** A failure shown to the operator as one line, with the exit status it ends otactl with. */
public final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public static CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, message);
    }

    public static CliFailure failed(String message) {
        return new CliFailure(ExitCodes.FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
