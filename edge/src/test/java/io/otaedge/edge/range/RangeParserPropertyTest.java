package io.otaedge.edge.range;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The Range parsers against anything a device can send: {@link RangeParser} (RFC 9110 §14.1–14.2) and
 * {@link OneNetRange} (OneNET's lenient rules) never throw, only ever name bytes inside the representation,
 * agree with a plain split-and-parse model of their rules, and read back what {@link ByteRange} writes.
 */
class RangeParserPropertyTest {

    @Property(tries = 3000)
    void neverThrowsAndOnlyNamesBytesInsideTheRepresentation(@ForAll("headers") String header,
                                                             @ForAll @LongRange(min = 0, max = 1L << 40) long size) {
        RangeRequest r = RangeParser.parse(header, size);
        if (r instanceof RangeRequest.Satisfiable s) {
            assertThat(s.ranges()).isNotEmpty().hasSizeLessThanOrEqualTo(RangeParser.MAX_SPECS)
                    .allSatisfy(b -> assertThat(b.last()).isLessThan(size));
        }
    }

    @Property(tries = 3000)
    void agreesWithASplitAndParseModel(@ForAll("headers") String header, @ForAll("sizes") long size) {
        assertThat(RangeParser.parse(header, size)).as("%s over %d", header, size).isEqualTo(model(header, size));
    }

    @Property(tries = 1000)
    void readsBackTheRangesItWouldServe(@ForAll("rangeLists") List<long[]> ranges, @ForAll("sizes") long size) {
        String header = "bytes=" + ranges.stream().map(r -> r[0] + "-" + r[1]).collect(Collectors.joining(","));
        List<ByteRange> expected = new ArrayList<>();
        for (long[] r : ranges) {
            if (r[0] < size) {
                expected.add(new ByteRange(r[0], Math.min(r[1], size - 1)));
            }
        }
        RangeRequest parsed = RangeParser.parse(header, size);
        assertThat(parsed).isEqualTo(expected.isEmpty() ? RangeRequest.UNSATISFIABLE : RangeRequest.of(expected));
        if (parsed instanceof RangeRequest.Satisfiable s) {
            String written = "bytes=" + s.ranges().stream().map(b -> b.first() + "-" + b.last()).collect(Collectors.joining(","));
            assertThat(RangeParser.parse(written, size)).isEqualTo(parsed);
        }
    }

    @Property(tries = 3000)
    void oneNetNeverThrowsNeverRefusesAndStaysInside(@ForAll("headers") String header, @ForAll("sizes") long size) {
        ByteRange r = OneNetRange.parse(header, size);
        if (r != null) {
            assertThat(r.first()).isBetween(0L, size - 1);
            assertThat(r.last()).isBetween(r.first(), size - 1);
        }
        assertThat(r).as("%s over %d", header, size).isEqualTo(oneNetModel(header, size));
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 20), Arbitraries.longs().between(0, Long.MAX_VALUE));
    }

    /** Range-like text: the grammar's pieces in random order with noise, plus any string at all. */
    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("bytes", "BYTES", "Bytes", "items", "=", "-", ",", " ", "\t", ";", "+", "0", "00"),
                Arbitraries.longs().between(0, 30).map(Object::toString),
                Arbitraries.longs().map(l -> Long.toString(Math.abs(l))),
                Arbitraries.of("9223372036854775807", "9223372036854775808", "99999999999999999999"),
                Arbitraries.strings().ofMaxLength(3));
        Arbitrary<String> structured = piece.list().ofMaxSize(20).map(l -> String.join("", l));
        return Arbitraries.oneOf(structured, structured, Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<List<long[]>> rangeLists() {
        Arbitrary<long[]> range = Combinators.combine(Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, 1000))
                .as((a, n) -> new long[] {a, a + n});
        return range.list().ofMinSize(1).ofMaxSize(RangeParser.MAX_SPECS);
    }

    /** RFC 9110's rules written the obvious way: split on '=' and ',', trim, parse numbers with BigInteger. */
    static RangeRequest model(String header, long size) {
        if (header == null) {
            return RangeRequest.NONE;
        }
        String set = header;
        int eq = header.indexOf('=');
        if (eq >= 0) {
            if (!trimOws(header.substring(0, eq)).toLowerCase(Locale.ROOT).equals("bytes")
                    || !trimOws(header.substring(0, eq)).chars().allMatch(c -> c < 128)) {
                return RangeRequest.NONE;
            }
            set = header.substring(eq + 1);
        }
        List<ByteRange> out = new ArrayList<>();
        int specs = 0;
        for (String raw : set.split(",", -1)) {
            String spec = trimOws(raw);
            if (spec.isEmpty()) {
                continue;
            }
            if (++specs > RangeParser.MAX_SPECS) {
                return RangeRequest.NONE;
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return RangeRequest.NONE;
            }
            String a = trimOws(spec.substring(0, dash));
            String b = trimOws(spec.substring(dash + 1));
            if (a.isEmpty()) {
                Long n = number(b);
                if (n == null) {
                    return RangeRequest.NONE;
                }
                if (n > 0 && size > 0) {
                    out.add(new ByteRange(Math.max(0, size - n), size - 1));
                }
                continue;
            }
            Long first = number(a);
            Long last = b.isEmpty() ? Long.valueOf(Long.MAX_VALUE) : number(b);
            if (first == null || last == null || last < first) {
                return RangeRequest.NONE;
            }
            if (first < size) {
                out.add(new ByteRange(first, Math.min(last, size - 1)));
            }
        }
        if (specs == 0) {
            return RangeRequest.NONE;
        }
        return out.isEmpty() ? RangeRequest.UNSATISFIABLE : RangeRequest.of(out);
    }

    /** OneNET's rules (PROTOCOLS.md) the obvious way. */
    static ByteRange oneNetModel(String header, long size) {
        if (header == null || size <= 0) {
            return null;
        }
        String s = trimOws(header);
        if (s.length() >= 6 && s.substring(0, 6).equalsIgnoreCase("bytes=")) {
            s = trimOws(s.substring(6));
        }
        int dash = s.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = trimOws(s.substring(0, dash));
        String b = trimOws(s.substring(dash + 1));
        Long start = a.isEmpty() ? Long.valueOf(-1) : number(a);
        Long end = b.isEmpty() ? Long.valueOf(-1) : number(b);
        if (start == null || end == null) {
            return null;
        }
        if (start < 0) {
            return end <= 0 ? null : new ByteRange(Math.max(0, size - end), size - 1);
        }
        if (end < 0) {
            return new ByteRange(start >= size ? 0 : start, size - 1);
        }
        end = Math.min(end, size - 1);
        return new ByteRange(start > end ? 0 : start, end);
    }

    /** Digits only, fitting a long; else null. */
    private static Long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        java.math.BigInteger n = new java.math.BigInteger(s);
        return n.bitLength() < 64 ? n.longValue() : null;
    }

    private static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
