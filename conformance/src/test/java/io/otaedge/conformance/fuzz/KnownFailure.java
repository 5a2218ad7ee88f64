package io.otaedge.conformance.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures the fuzzer has found whose input is kept in {@link SocketFuzzRegressionTest} (which fails until the
 * fix lands), so a random run reports them in a tally instead of failing again on them, and still fails on
 * anything new. Each names the regression test that pins it; remove an entry once its fix is merged.
 */
enum KnownFailure {

    /**
     * Control: a bad %-escape, a character outside RFC 3986 or a target that is no path is 500 (issue #13; "limits"
     * fixes); the edge passes it on for OneNET's forwarded paths.
     */
    LIMITS_PATH_ESCAPE("limitsBadPercentEscapeOrCharacterInAControlPathIsNot500"),
    /** Edge: a date field over 64 characters makes Netty's date parser throw, the request is never answered ("edgefix"). */
    EDGEFIX_LONG_DATE("edgefixDateFieldsLongerThan64CharactersAreAnswered"),
    /** Edge: control refusing a LuatOS decision call is told to the device as 503 "token store unavailable" ("edgefix"). */
    EDGEFIX_LUATOS_REFUSAL("edgefixALuatosRequestControlRefusesIsNot503"),
    /** Control: the status line repeats the request's version (HTTP/0.9, HTTP/1.2, HTTP/9.9); not assigned. */
    CONTROL_VERSION_ECHO("unassignedControlAnswersHttp11WhicheverVersionTheRequestNamed"),
    /** Control (reactor-netty's pipelining): a pipelined request after one still in flight may never be answered; not assigned. */
    CONTROL_PIPELINE_STALL("unassignedControlAnswersAPipelinedRequestThatAsksToClose");

    private static final Pattern DATE_FIELD = Pattern.compile("(?im)^(if-modified-since|if-unmodified-since|if-range)[ \t]*:([^\r\n]*)");
    private static final Pattern REQUEST_LINE = Pattern.compile("(?m)^[^ \r\n:]+ ([^ \r\n]*) [^\r\n]*\r?$");

    final String regressionTest;

    KnownFailure(String regressionTest) {
        this.regressionTest = regressionTest;
    }

    /** The known failure this is, or null when it is new. */
    static KnownFailure classify(String port, String verdict, FuzzInput input) {
        String text = new String(input.bytes(), StandardCharsets.ISO_8859_1);
        boolean control = !port.equals("edge");
        boolean unanswered = verdict.startsWith("no answer") || verdict.matches("answer \\d+ never came");
        // Also on the edge's port: it forwards OneNET's device-API paths, and passes control's 500 on as it came.
        if (verdict.startsWith("status 500") && (hasBadTarget(text) || input.targets().stream().anyMatch(t -> hasBadTarget("GET " + t + " HTTP/1.1")))) {
            return LIMITS_PATH_ESCAPE;
        }
        if (control && verdict.startsWith("malformed answer: status line: HTTP/") && !verdict.contains("status line: HTTP/1.")) {
            return CONTROL_VERSION_ECHO;
        }
        if (control && verdict.matches("answer \\d+ never came") && input.heads().size() > 1) {
            return CONTROL_PIPELINE_STALL;
        }
        if (!control && unanswered && hasLongDate(text)) {
            return EDGEFIX_LONG_DATE;
        }
        if (!control && verdict.startsWith("status 503") && text.contains("/api/site/firmware_upgrade")) {
            return EDGEFIX_LUATOS_REFUSAL;
        }
        return null;
    }

    private static boolean hasLongDate(String text) {
        Matcher m = DATE_FIELD.matcher(text);
        while (m.find()) {
            if (m.group(2).strip().length() > 64) {
                return true;
            }
        }
        return false;
    }

    /**
     * A request target that is not an origin-form path ({@code ?}, {@code http://} without a path), or has a
     * %-escape that is not two hex digits, or a character RFC 3986 does not allow in a path or query.
     */
    static boolean hasBadTarget(String text) {
        Matcher m = REQUEST_LINE.matcher(text);
        while (m.find()) {
            String t = m.group(1);
            if (!t.startsWith("/") || t.contains("[") || t.contains("]")) {
                return true;
            }
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c == '%') {
                    if (i + 2 >= t.length() || !isHex(t.charAt(i + 1)) || !isHex(t.charAt(i + 2))) {
                        return true;
                    }
                } else if (!(Character.isLetterOrDigit(c) && c < 128) && "-._~:/?#[]@!$&'()*+,;=".indexOf(c) < 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
