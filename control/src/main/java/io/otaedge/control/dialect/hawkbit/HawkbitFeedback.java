package io.otaedge.control.dialect.hawkbit;

import com.fasterxml.jackson.databind.JsonNode;
import io.otaedge.common.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A device's action feedback, {@code {"status": {"execution", "result": {"finished", "progress": {"cnt", "of"}},
 * "details": [..]}}}, as hawkBit's {@code DdiActionFeedback} reads it. Every other field is ignored: SWUpdate
 * 2022.12 still sends {@code id} and {@code time}, newer hawkBit clients a {@code timestamp}.
 *
 * @param cnt     steps done, or -1 when the feedback carries no progress
 * @param of      steps in all, or -1; SWUpdate's log flushes send {@code of: 0}, which is no progress either
 * @param details the detail lines, joined by {@code "; "} (empty when none)
 */
record HawkbitFeedback(String execution, String finished, int cnt, int of, String details) {

    static final Set<String> EXECUTIONS = Set.of("closed", "proceeding", "canceled", "scheduled", "rejected", "resumed",
            "downloaded", "download");
    static final Set<String> RESULTS = Set.of("success", "failure", "none");
    private static final int MAX_DETAILS = 512;

    /** The share done, 0..100, or -1 when the feedback carries none. */
    int percent() {
        if (cnt < 0 || of <= 0) {
            return -1;
        }
        return (int) Math.min(100, Math.max(0, cnt * 100L / of));
    }

    static HawkbitFeedback parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw HawkbitError.badBody("the body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw HawkbitError.badBody("the body must be a JSON object");
        }
        JsonNode status = root.get("status");
        if (status == null || !status.isObject()) {
            throw HawkbitError.badBody("status is required, an object");
        }
        String execution = word(status.get("execution"), "status.execution", EXECUTIONS, null);
        JsonNode result = status.path("result");
        String finished = word(result.get("finished"), "status.result.finished", RESULTS, "none");
        JsonNode progress = result.path("progress");
        int cnt = count(progress.get("cnt"), "status.result.progress.cnt");
        int of = count(progress.get("of"), "status.result.progress.of");
        return new HawkbitFeedback(execution, finished, cnt, of, details(status.get("details")));
    }

    private static String word(JsonNode n, String field, Set<String> allowed, String dflt) {
        if (n == null || n.isNull()) {
            if (dflt != null) {
                return dflt;
            }
            throw HawkbitError.badBody(field + " is required, one of " + new java.util.TreeSet<>(allowed));
        }
        String v = n.isTextual() ? n.asText().toLowerCase(Locale.ROOT) : null;
        if (v == null || !allowed.contains(v)) {
            throw HawkbitError.badBody(field + " must be one of " + new java.util.TreeSet<>(allowed));
        }
        return v;
    }

    private static int count(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return -1;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
            throw HawkbitError.badBody(field + " must be a non-negative integer");
        }
        return n.asInt();
    }

    private static String details(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (!n.isArray()) {
            throw HawkbitError.badBody("status.details must be an array of strings");
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode d : n) {
            String line = d.asText().trim();
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        String joined = String.join("; ", lines);
        return joined.length() > MAX_DETAILS ? joined.substring(0, MAX_DETAILS) : joined;
    }
}
