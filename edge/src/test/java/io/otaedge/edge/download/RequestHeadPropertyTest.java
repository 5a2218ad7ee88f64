package io.otaedge.edge.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.otaedge.common.token.TokenGrant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import io.otaedge.edge.range.Preconditions;
import io.otaedge.edge.route.OneNetQuery;
import io.otaedge.edge.route.Route;

/**
 * The rest of what the edge reads from a request head, against anything a device can send: the
 * preconditions (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, If-Range), the request
 * target ({@link Route}) and OneNET's download query ({@link OneNetQuery}) never throw; entity-tag matching
 * agrees with a split-on-comma model.
 */
class RequestHeadPropertyTest {

    private static final TokenGrant GRANT = new TokenGrant("ota_AAAAAAAAAAAAAAAAAAAA", "p", "f",
            "a".repeat(64), "b".repeat(32), 1000, "fw.bin", "1.0", "d", "t", 0, 0);
    private static final Representation REP = new Representation(GRANT, 784111777000L);

    /**
     * Values up to 64 characters: Netty's date parser throws beyond that, which edgefix owns (issue #13, an
     * If-Range longer than 64 characters hangs the connection); {@link #edgefixDatesLongerThan64CharactersAreNotDates}
     * keeps that input.
     */
    @Property(tries = 3000)
    void preconditionsNeverThrow(@ForAll("fieldValues") String ifMatch, @ForAll("fieldValues") String ifNoneMatch,
                                 @ForAll("dateValues") String ims, @ForAll("dateValues") String ius,
                                 @ForAll("dateValues") String ifRange) {
        HttpHeaders h = new DefaultHttpHeaders(false);
        add(h, "If-Match", ifMatch);
        add(h, "If-None-Match", ifNoneMatch);
        add(h, "If-Modified-Since", ims);
        add(h, "If-Unmodified-Since", ius);
        assertThatCode(() -> Preconditions.evaluate(h, REP)).doesNotThrowAnyException();
        assertThatCode(() -> Preconditions.rangeAllowed(ifRange == null ? List.of() : List.of(ifRange), REP)).doesNotThrowAnyException();
    }

    @Example
    void datesLongerThan64CharactersAreNotDates() {
        String longDate = "Sun, 06 Nov 1994 08:49:37 GMT" + " ".repeat(40) + "x";
        HttpHeaders h = new DefaultHttpHeaders(false).add("If-Modified-Since", longDate).add("If-Unmodified-Since", longDate);
        assertThat(Preconditions.evaluate(h, REP)).isEqualTo(Preconditions.Outcome.PROCEED);
        assertThat(Preconditions.rangeAllowed(List.of(longDate), REP)).isFalse();
    }

    @Property(tries = 2000)
    void entityTagListsMatchAsTheirCommaSplitMembersDo(@ForAll("tagLists") List<String> tags, @ForAll boolean strong) {
        String value = String.join(", ", tags);
        boolean expected = tags.stream().anyMatch(t -> t.equals("*") || t.equals(REP.etag())
                || (!strong && t.equals("W/" + REP.etag())));
        assertThat(Preconditions.anyTagMatches(List.of(value), REP.etag(), strong)).as(value).isEqualTo(expected);
    }

    @Property(tries = 3000)
    void requestTargetsAlwaysRoute(@ForAll("targets") String uri, @ForAll boolean deviceApi) {
        Route r = Route.parse(uri, Route.LUATOS_PATH, deviceApi);
        assertThat(r.kind()).isNotNull();
        assertThat(r.token()).isNotNull();
        assertThat(r.query()).isNotNull();
        if (r.kind() == Route.Kind.STANDARD || r.kind() == Route.Kind.ONENET) {
            assertThat(r.token()).doesNotContain("?", "#");
        }
        assertThatCode(() -> OneNetQuery.valid(r.query())).doesNotThrowAnyException();
    }

    private static void add(HttpHeaders h, String name, String value) {
        if (value != null) {
            h.add(name, value);
        }
    }

    @Provide
    Arbitrary<String> fieldValues() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.strings().ofMaxLength(64),
                Arbitraries.strings().withChars("W/\"*, \tabc").ofMaxLength(30),
                Arbitraries.of("*", "\"" + "a".repeat(64) + "\"", "W/\"" + "a".repeat(64) + "\"", "\"", "W/", "W/\"",
                        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
                        "Mon, 31 Feb 2100 25:61:61 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "-1", ""));
    }

    /** Field values that fit Netty's date parser (at most 64 characters). */
    @Provide
    Arbitrary<String> dateValues() {
        return fieldValues().filter(v -> v == null || v.strip().length() <= 64);
    }

    @Provide
    Arbitrary<List<String>> tagLists() {
        return Arbitraries.oneOf(
                Arbitraries.of("*", REP.etag(), "W/" + REP.etag(), "\"other\"", "W/\"other\"", "\"\"",
                        "\"" + "a".repeat(63) + "\"", "\"" + "a".repeat(65) + "\""),
                Arbitraries.strings().withChars("abc").ofMaxLength(5).map(s -> "\"" + s + "\""))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> targets() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("/", "//", "?", "#", "&", "=", "%", "%2F", "http://", "https://", "h", ":", "..",
                        "/ota/download/", "/ota/south/download/", "/check", "/progress", "/ota/south/device/download/",
                        "/ota/south/check", Route.LUATOS_PATH, "ota_AAAAAAAAAAAAAAAAAAAA", "s_id=", "s_id=1"),
                Arbitraries.strings().ofMaxLength(4));
        return Arbitraries.oneOf(piece.list().ofMaxSize(8).map(l -> String.join("", l)), Arbitraries.strings().ofMaxLength(60));
    }
}
