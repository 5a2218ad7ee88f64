package io.otaedge.loadtest;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * An NB-IoT module fetching a firmware in small ranges over a bad link: each range is
 * {@code ota.rangeMin}–{@code ota.rangeMax} bytes, followed by a pause of {@code ota.pauseMinMs}–
 * {@code ota.pauseMaxMs}; in {@code ota.dropPercent} of the ranges the link drops mid-transfer:
 * only part of the body counts, the connection is closed, and the device resumes on a new
 * connection with a Range from the byte it actually has. The assembled file's md5 is checked
 * against the check call's (see {@link Assembly}).
 *
 * <p>Needs {@code expectedSize} and {@code expectedMd5} in the session.
 */
public final class RangedDownload {

    private final int rangeMin;
    private final int rangeMax;
    private final Duration pauseMin;
    private final Duration pauseMax;
    private final int dropPercent;

    private RangedDownload(int rangeMin, int rangeMax, Duration pauseMin, Duration pauseMax, int dropPercent) {
        if (rangeMin < 2 || rangeMax < rangeMin) {
            throw new IllegalArgumentException("need 2 <= ota.rangeMin <= ota.rangeMax, got " + rangeMin + ", " + rangeMax);
        }
        this.rangeMin = rangeMin;
        this.rangeMax = rangeMax;
        this.pauseMin = pauseMin;
        this.pauseMax = pauseMax.compareTo(pauseMin) < 0 ? pauseMin : pauseMax;
        this.dropPercent = dropPercent;
    }

    /** From {@code -Dota.*}, with the given defaults. */
    public static RangedDownload fromProperties(int rangeMin, int rangeMax, long pauseMinMs, long pauseMaxMs, int dropPercent) {
        return new RangedDownload(
                LoadSettings.integer("ota.rangeMin", rangeMin),
                LoadSettings.integer("ota.rangeMax", rangeMax),
                LoadSettings.millis("ota.pauseMinMs", pauseMinMs),
                LoadSettings.millis("ota.pauseMaxMs", pauseMaxMs),
                LoadSettings.integer("ota.dropPercent", dropPercent));
    }

    /**
     * Downloads {@code url} (Gatling EL, e.g. {@code http://#{ipPort}/ota/download/#{token}}) range
     * by range. {@code bareRanges}: send OneNET's bare {@code a-b} form instead of {@code bytes=a-b}
     * for every other device, as some OneNET modules do.
     */
    public ChainBuilder chain(String requestName, String url, boolean bareRanges) {
        return chain(requestName, url, bareRanges, session -> session);
    }

    /** As {@link #chain(String, String, boolean)}; {@code beforeRange} sees each range planned (from, to) before it is asked for. */
    public ChainBuilder chain(String requestName, String url, boolean bareRanges, Function<Session, Session> beforeRange) {
        return exec(session -> session.set("assembly", new Assembly(session.getLong("expectedSize"), session.getString("expectedMd5")))
                        .set("rangeCount", 0))
                // Bounded: a run never loops forever on a system that keeps answering short.
                .asLongAs(session -> !assembly(session).complete()
                        && session.getInt("rangeCount") < maxRanges(assembly(session).size())).on(
                        exec(session -> beforeRange.apply(planNext(session, bareRanges)))
                                .exec(http(requestName).get(url)
                                        .header("Range", "#{range}")
                                        .header("Connection", "#{connection}")
                                        .check(status().is(206),
                                                header("Content-Range").isEL("bytes #{from}-#{to}/#{expectedSize}"),
                                                bodyBytes().transformWithSession((body, session) -> assembly(session).accept(
                                                                session.getLong("from"), session.getLong("length"), body, session.getInt("keep")))
                                                        .in(Assembly.PARTIAL, Assembly.COMPLETE)))
                                .exitHereIfFailed()
                                .pause(pauseMin, pauseMax));
    }

    private Session planNext(Session session, boolean bareRanges) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Assembly a = assembly(session);
        long from = a.received();
        long length = Math.min(random.nextInt(rangeMin, rangeMax + 1), a.size() - from);
        long to = from + length - 1;
        // A drop keeps a strict prefix of the body and ends the connection; the next range starts
        // at the first byte not kept, on a new connection.
        boolean drop = length > 1 && random.nextInt(100) < dropPercent;
        int keep = drop ? random.nextInt(1, (int) length) : (int) length;
        boolean bare = bareRanges && session.getLong("devId") % 2 == 1;
        return session.set("from", from).set("to", to).set("length", length).set("keep", keep)
                .set("range", (bare ? "" : "bytes=") + from + "-" + to)
                .set("connection", drop ? "close" : "keep-alive")
                .set("rangeCount", session.getInt("rangeCount") + 1);
    }

    private int maxRanges(long size) {
        return (int) Math.min(Integer.MAX_VALUE, 4 * (size / rangeMin) + 16);
    }

    private static Assembly assembly(Session session) {
        return session.get("assembly");
    }
}
