package io.otaedge.cli;

/** What otactl's exit status means; scripts branch on these, so they never change meaning. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** The server refused the request (a 4xx: unknown id, conflict, bad field, wrong key). */
    public static final int REFUSED = 1;
    /** The command line is wrong (unknown option, missing argument, no URL or key configured, unreadable file). */
    public static final int USAGE = 2;
    /** The server or the network failed (unreachable, timeout, 5xx, or an upload whose digests do not match). */
    public static final int FAILED = 3;

    private ExitCodes() {
    }
}
