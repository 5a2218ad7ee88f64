package io.otaedge.conformance.fuzz;


/**
 * Failures the fuzzer has found whose input is kept in {@link SocketFuzzRegressionTest} (which fails until the
 * fix lands), so a random run reports them in a tally instead of failing again on them, and still fails on
 * anything new. Each names the regression test that pins it; remove an entry once its fix is merged.
 */
enum KnownFailure {

    /** Control (reactor-netty's pipelining): a pipelined request that asks to close, behind one still in flight, is never answered; not assigned. */
    CONTROL_PIPELINE_STALL("unassignedControlAnswersAPipelinedRequestThatAsksToClose");

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
