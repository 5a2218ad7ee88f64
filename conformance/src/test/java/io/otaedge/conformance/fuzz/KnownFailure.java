package io.otaedge.conformance.fuzz;


/**
 * Failures the fuzzer has found and that are still open, so a random run reports them in a tally instead of
 * failing on them, and still fails on anything new. Fixed findings are replayed by {@link SocketFuzzRegressionTest};
 * each entry here says why it is open (docs/RELIABILITY.md, "Fuzzing"); remove it once it is fixed.
 */
enum KnownFailure {

    /**
     * Control (reactor-netty 1.3.7's pipelining): a pipelined request behind one still in flight, asking to close
     * ({@code Connection: close}, or HTTP/1.0), is never answered and the connection stays open, e.g.
     * {@code GET /nothing HTTP/1.1 / GET /nothing HTTP/1.1 / GET /nothing HTTP/1.0} in one write. Two fixes in
     * front of reactor-netty's traffic handler (holding such requests; re-marking them keep-alive and closing
     * after their answer) did not cure it or stalled the edge's pooled calls: reactor/reactor-netty#4347, #4361.
     * No device pipelines; open.
     */
    CONTROL_PIPELINE_STALL("docs/RELIABILITY.md: open");

    final String regressionTest;

    KnownFailure(String regressionTest) {
        this.regressionTest = regressionTest;
    }

    /** The known failure this is, or null when it is new. */
    static KnownFailure classify(String port, String verdict, FuzzInput input) {
        boolean control = !port.equals("edge");
        if (control && verdict.matches("answer \\d+ never came") && input.heads().size() > 1) {
            return CONTROL_PIPELINE_STALL;
        }
        return null;
    }
}
