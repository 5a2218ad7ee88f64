package io.otaedge.edge.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.otaedge.common.token.TokenGrant;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import io.otaedge.edge.download.Representation;

/**
 * Properties of the conditional-request parsing over arbitrary header values: nothing a client sends in
 * If-Range, If-Match, If-None-Match, If-Modified-Since or If-Unmodified-Since makes it throw; If-Range
 * allows the Range only for one field holding the current strong tag or exactly Last-Modified
 * (RFC 9110 §13.1.5: neither a strong tag nor a date means the condition is false); a value longer
 * than any HTTP-date is never a date (Netty's parser throws above 64 characters, which once left
 * connections unanswered).
 */
class PreconditionsPropertyTest {

    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");
    static final Representation REP = new Representation(new TokenGrant("ota_x", "p1", "fw-1",
            "5f".repeat(32), "0".repeat(32), 10, "fw.bin", "1.0", "d1", "t1", 0, 1), MTIME.toEpochMilli());
    static final String ETAG = REP.etag();

    /** A value and whether If-Range holding it allows the Range. */
    record Case(String value, boolean allows) {
    }

    @Property(tries = 1000)
    void parsingAnHttpDateNeverThrows(@ForAll("anyText") String value) {
        long millis = HttpDates.parse(value);
        assertThat(millis).isGreaterThanOrEqualTo(-1);
    }

    @Property(tries = 300)
    void aValueLongerThanAnyHttpDateIsNotOne(@ForAll @StringLength(min = 65, max = 500) String tail) {
        assertThat(HttpDates.parse(tail)).isEqualTo(-1);
        assertThat(HttpDates.parse(httpDate(MTIME, 0) + " ".repeat(40) + tail)).isEqualTo(-1);
    }

    @Property(tries = 1500)
    void ifRangeAllowsTheRangeOnlyForTheExactValidators(@ForAll("ifRangeCases") Case c) {
        assertThat(Preconditions.rangeAllowed(List.of(c.value()), REP)).as(c.value()).isEqualTo(c.allows());
    }

    @Property(tries = 300)
    void severalIfRangeFieldsNeverAllowTheRange(@ForAll @Size(min = 1, max = 4) List<@From("ifRangeCases") Case> more) {
        List<String> values = new java.util.ArrayList<>();
        values.add(ETAG);
        more.forEach(c -> values.add(c.value()));
        assertThat(Preconditions.rangeAllowed(values, REP)).isFalse();
    }

    @Property(tries = 1000)
    void anyConditionalHeadersEvaluateWithoutThrowing(@ForAll("fieldValue") String ifMatch,
                                                      @ForAll("fieldValue") String ifNoneMatch,
                                                      @ForAll("fieldValue") String ifModifiedSince,
                                                      @ForAll("fieldValue") String ifUnmodifiedSince,
                                                      @ForAll("fieldValue") String ifRange) {
        HttpHeaders h = new DefaultHttpHeaders(false);
        add(h, HttpHeaderNames.IF_MATCH, ifMatch);
        add(h, HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
        add(h, HttpHeaderNames.IF_MODIFIED_SINCE, ifModifiedSince);
        add(h, HttpHeaderNames.IF_UNMODIFIED_SINCE, ifUnmodifiedSince);
        add(h, HttpHeaderNames.IF_RANGE, ifRange);
        assertThat(Preconditions.evaluate(h, REP)).isNotNull();
        Preconditions.rangeAllowed(h.getAll(HttpHeaderNames.IF_RANGE), REP);
    }

    @Property(tries = 300)
    void aDateFieldThatIsNoDateIsIgnored(@ForAll("visibleJunk") String junk) {
        HttpHeaders h = new DefaultHttpHeaders(false);
        h.set(HttpHeaderNames.IF_UNMODIFIED_SINCE, httpDate(MTIME, -3600) + junk);
        h.set(HttpHeaderNames.IF_MODIFIED_SINCE, httpDate(MTIME, 3600) + junk);
        assertThat(Preconditions.evaluate(h, REP)).isEqualTo(Preconditions.Outcome.PROCEED);
    }

    private static void add(HttpHeaders h, CharSequence name, String value) {
        if (value != null) {
            h.add(name, value);
        }
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("SunMonTueWedThuFriSatJanFebDecGMT0123456789 ,:-\"W/\t").ofMaxLength(100),
                Combinators.combine(Arbitraries.integers().between(-400_000_000, 400_000_000),
                        Arbitraries.strings().all().ofMaxLength(60)).as((s, tail) -> httpDate(MTIME, s) + tail));
    }

    /** Visible ASCII after a date, enough to pass the longest date even stripped. */
    @Provide
    Arbitrary<String> visibleJunk() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(40).ofMaxLength(200);
    }

    /** A header value or none (null); values a header may carry on the wire (no CR, LF or NUL). */
    @Provide
    Arbitrary<String> fieldValue() {
        return anyText().map(v -> v.replaceAll("[\r\n\u0000]", " ")).injectNull(0.3);
    }

    @Provide
    Arbitrary<Case> ifRangeCases() {
        Arbitrary<String> space = Arbitraries.strings().withChars(" \t").ofMaxLength(3);
        return Arbitraries.oneOf(
                // Text of any kind and length: neither the tag nor the date.
                anyText().filter(v -> !v.strip().equals(ETAG) && HttpDates.parse(v.strip()) != MTIME.toEpochMilli())
                        .map(v -> new Case(v, false)),
                // The current tag, padded with optional whitespace: allowed.
                Combinators.combine(space, space).as((a, b) -> new Case(a + ETAG + b, true)),
                // The tag weak, or with one character changed, cut short or grown: not allowed.
                Arbitraries.just(new Case("W/" + ETAG, false)),
                Arbitraries.integers().between(0, ETAG.length() - 1).map(i -> new Case(
                        ETAG.substring(0, i) + (ETAG.charAt(i) == 'a' ? 'b' : 'a') + ETAG.substring(i + 1), false)),
                Arbitraries.integers().between(0, ETAG.length() - 1).map(i -> new Case(ETAG.substring(0, i), false)),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(500).map(tail -> new Case(ETAG + tail, false))
                        .filter(c -> !c.value().strip().equals(ETAG)),
                // Last-Modified in each format a recipient accepts: allowed; any other second: not.
                Arbitraries.of(DateStyle.values()).map(s -> new Case(s.format(MTIME), true)),
                Combinators.combine(Arbitraries.of(DateStyle.values()),
                                Arbitraries.integers().between(-100_000_000, 100_000_000).filter(s -> s != 0))
                        .as((s, offset) -> new Case(s.format(MTIME.plusSeconds(offset)), false)),
                // Last-Modified followed by enough to pass the longest date: not a date at all.
                Arbitraries.strings().all().ofMinLength(40).ofMaxLength(400)
                        .map(tail -> new Case(httpDate(MTIME, 0) + tail, false))
                        .filter(c -> c.value().strip().length() > HttpDates.MAX_DATE_LENGTH));
    }

    static String httpDate(Instant base, long offsetSeconds) {
        return DateStyle.IMF_FIXDATE.format(base.plusSeconds(offsetSeconds));
    }

    /** The three HTTP-date formats (RFC 9110 §5.6.7). */
    enum DateStyle {
        IMF_FIXDATE("EEE, dd MMM yyyy HH:mm:ss 'GMT'"),
        RFC850("EEEE, dd-MMM-yy HH:mm:ss 'GMT'"),
        ASCTIME("EEE MMM ppd HH:mm:ss yyyy");

        private final DateTimeFormatter formatter;

        DateStyle(String pattern) {
            this.formatter = DateTimeFormatter.ofPattern(pattern, Locale.US).withZone(ZoneOffset.UTC);
        }

        String format(Instant t) {
            return formatter.format(t);
        }
    }
}
